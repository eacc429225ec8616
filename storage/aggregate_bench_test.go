package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// aggBureau loads a year of 50,000 activities (20 officers, 2,000
// companies, 50 projects in 4 parks) with Load, which keeps the
// aggregates as Apply does.
func aggBureau(b *testing.B) (*storage.DB, zsbot.Unit) {
	db := mustDB(b)
	rng := rand.New(rand.NewPCG(1, 2))
	parks := []string{"双福园区", "珞璜园区", "综保区", ""}
	var recs []zsbot.Record
	people := map[string]string{}
	for i := range 20 {
		people[fmt.Sprintf("u%d", i)] = parks[i%4]
	}
	for i := 1; i <= 50; i++ {
		recs = append(recs, &zsbot.Project{ID: fmt.Sprintf("P%d", i), Name: fmt.Sprintf("项目%d", i), Owner: fmt.Sprintf("u%d", i%20), Park: parks[i%4], Stage: zsbot.StageTalking, CreatedOn: 20250101})
	}
	kinds := []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindVisit, zsbot.KindVisit, zsbot.KindReception, zsbot.KindPromotion, zsbot.KindTalk}
	for i := 1; i <= 50000; i++ {
		proj := ""
		if rng.IntN(3) == 0 {
			proj = fmt.Sprintf("P%d", 1+rng.IntN(50))
		}
		recs = append(recs, &zsbot.Activity{ID: fmt.Sprintf("A%d", i), Kind: kinds[rng.IntN(len(kinds))],
			Date: zsbot.NewDate(2025, time.January, 1).AddDays(rng.IntN(365)), Company: fmt.Sprintf("E%d", 1+rng.IntN(2000)),
			Project: proj, By: fmt.Sprintf("u%d", rng.IntN(20)), City: "重庆"})
	}
	if err := db.Load(context.Background(), recs); err != nil {
		b.Fatal(err)
	}
	return db, zsbot.ByPark(people)
}

// BenchmarkAggregatesYear compares the activity figures of a 50,000-activity
// year by park from the aggregates (Aggregates, AggData.Figures) and from the records (Ledger
// and ComputeBy, what 统计 does today), after checking they agree
// (go test -run XXX -bench AggregatesYear ./storage/).
func BenchmarkAggregatesYear(b *testing.B) {
	db, unit := aggBureau(b)
	ctx := context.Background()
	from, to := zsbot.Date(20250101), zsbot.Date(20251231)
	year := [2]zsbot.Date{from, to}
	d, err := db.Aggregates(ctx, true, year)
	l, err2 := db.Ledger(ctx, from, to)
	if err != nil || err2 != nil {
		b.Fatal(err, err2)
	}
	f := zsbot.Compute(l, from, to)
	if got := d.Figures(from, to, nil)[""]; figureLine(got) != figureLine(f) || f.Visits < 20000 {
		b.Fatalf("aggregates %s, records %s", figureLine(got), figureLine(f))
	}
	b.Run("aggregates", func(b *testing.B) {
		for b.Loop() {
			d, err := db.Aggregates(ctx, true, year)
			if err != nil {
				b.Fatal(err)
			}
			d.Figures(from, to, unit)
		}
	})
	b.Run("aggregates-bureau", func(b *testing.B) {
		for b.Loop() {
			d, err := db.Aggregates(ctx, false, year)
			if err != nil {
				b.Fatal(err)
			}
			d.Figures(from, to, nil)
		}
	})
	b.Run("records", func(b *testing.B) {
		for b.Loop() {
			l, err := db.Ledger(ctx, from, to)
			if err != nil {
				b.Fatal(err)
			}
			zsbot.ComputeBy(l, from, to, unit)
		}
	})
}
