package benchdata_test

import (
	"reflect"
	"testing"

	"zsbot"
	"zsbot/benchdata"
)

// TestSeedShape: a year before End's holds the seed's year times Scale —
// signings with the seed's tiers, visits to YearVisited distinct companies,
// receptions, promotions —, nothing is dated after End, IDs are unique,
// and one Config always gives the same history.
func TestSeedShape(t *testing.T) {
	c := benchdata.Config{Years: 3, Scale: 2, End: 20240615, Seed: 7}
	recs := benchdata.Generate(c)
	if !reflect.DeepEqual(recs, benchdata.Generate(c)) {
		t.Fatal("two histories of one Config differ")
	}
	ids := map[string]bool{}
	var signed, tiers [4]int // 2023's signings by tier: <10亿, 10–20, 20–50, 50–100
	var visits, receptions, promotions int
	visited := map[string]bool{}
	people := 0
	in2023 := func(d zsbot.Date) bool { return d.Year() == 2023 }
	for _, r := range recs {
		key := string(r.RecordKind()) + "/" + r.RecordID()
		if ids[key] {
			t.Fatalf("%s twice", key)
		}
		ids[key] = true
		switch r := r.(type) {
		case *zsbot.Person:
			people++
		case *zsbot.Project:
			if r.CreatedOn > c.End || r.SignedOn > c.End || r.StartedOn > c.End {
				t.Errorf("%s dated after %s: %+v", r.ID, c.End, r)
			}
			if in2023(r.SignedOn) {
				signed[0]++
				switch s := r.Signed; {
				case s >= 50*zsbot.Yi:
					tiers[3]++
				case s >= 20*zsbot.Yi:
					tiers[2]++
				case s >= 10*zsbot.Yi:
					tiers[1]++
				default:
					tiers[0]++
				}
			}
		case *zsbot.Activity:
			if r.Date > c.End {
				t.Errorf("%s dated %s", r.ID, r.Date)
			}
			if !in2023(r.Date) {
				continue
			}
			switch r.Kind {
			case zsbot.KindVisit:
				visits++
				visited[r.Company] = true
			case zsbot.KindReception:
				receptions++
			case zsbot.KindPromotion:
				promotions++
			}
		case *zsbot.Payment:
			if r.Date > c.End {
				t.Errorf("%s dated %s", r.ID, r.Date)
			}
		}
	}
	s := c.Scale
	if people != benchdata.Officers+1 {
		t.Errorf("%d people, want %d officers and the leader", people, benchdata.Officers)
	}
	if signed[0] != benchdata.YearSigned*s || tiers != [4]int{106 * s, 4 * s, 6 * s, 4 * s} {
		t.Errorf("2023: %d signings, by tier %v; want %d, [%d %d %d %d]", signed[0], tiers, benchdata.YearSigned*s, 106*s, 4*s, 6*s, 4*s)
	}
	if visits != benchdata.YearVisits*s || len(visited) != benchdata.YearVisited*s || receptions != benchdata.YearReceptions*s || promotions != benchdata.YearPromotions*s {
		t.Errorf("2023: %d visits to %d companies, %d receptions, %d promotions; want %d, %d, %d, %d", visits, len(visited), receptions, promotions,
			benchdata.YearVisits*s, benchdata.YearVisited*s, benchdata.YearReceptions*s, benchdata.YearPromotions*s)
	}
}
