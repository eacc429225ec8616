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

// TestAggregatesMatchRecords is the exactness property of the aggregates
// (issue 18): random histories of activities — creations, edits of every
// field, deletions, undos (the reverse put, as 撤销 writes it), company
// merges (every activity of one company moved to another in one change)
// and projects moved between parks or handed to another owner, over three
// years, four officers, four projects and six companies — applied through
// Apply, then for random periods the activity figures from the aggregates
// equal zsbot.Compute and zsbot.ComputeBy over the records, for the
// bureau, each officer and each park (by the project's park, else the
// officer's); and RebuildAggregates finds no difference.
func TestAggregatesMatchRecords(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			testAggregates(t, seed)
		})
	}
}

func testAggregates(t *testing.T, seed uint64) {
	ctx := context.Background()
	db := mustDB(t)
	rng := rand.New(rand.NewPCG(seed, 18))
	officers := []string{"u1", "u2", "u3", "u4"}
	companies := []string{"", "E1", "E2", "E3", "E4", "E5", "E6"}
	parks := []string{"", "双福园区", "珞璜园区", "综保区"}
	people := map[string]string{"u1": "双福园区", "u2": "珞璜园区", "u3": "", "u4": "综保区"}
	projectIDs := []string{"", "", "P1", "P2", "P3", "P4", "P9"} // P9 is never created
	projects := map[string]*zsbot.Project{}
	for _, id := range []string{"P1", "P2", "P3", "P4"} {
		p := &zsbot.Project{ID: id, Name: "项目" + id, Owner: "u1", Park: parks[rng.IntN(len(parks))], Stage: zsbot.StageTalking, CreatedOn: 20230101}
		projects[id] = p
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", Raw: "新项目"}}
		c.Add(nil, p)
		mustApply(t, db, c)
	}
	kinds := []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindVisit, zsbot.KindReception, zsbot.KindPromotion, zsbot.KindTalk}
	day := func() zsbot.Date {
		return zsbot.NewDate(2023, time.January, 1).AddDays(rng.IntN(3 * 365))
	}
	live := map[string]*zsbot.Activity{}
	var ids []string
	var last []zsbot.Put // the last change, for an undo
	next := 0
	apply := func(puts []zsbot.Put) {
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", When: time.Unix(1, 0), Raw: "t"}, Puts: puts}
		mustApply(t, db, c)
		for _, p := range puts {
			if p.After != nil {
				live[p.After.RecordID()] = p.After.(*zsbot.Activity)
			} else {
				delete(live, p.Before.RecordID())
			}
		}
		last = puts
	}
	pick := func() *zsbot.Activity {
		for range 10 {
			if a := live[ids[rng.IntN(len(ids))]]; a != nil {
				return a
			}
		}
		return nil
	}
	counts := map[string]int{}
	for step := 0; step < 400; step++ {
		op := rng.IntN(100)
		switch {
		case op < 50 || len(ids) == 0:
			next++
			a := &zsbot.Activity{ID: fmt.Sprintf("A%d", next), Kind: kinds[rng.IntN(len(kinds))], Date: day(),
				Company: companies[rng.IntN(len(companies))], By: officers[rng.IntN(len(officers))],
				Project: projectIDs[rng.IntN(len(projectIDs))]}
			ids = append(ids, a.ID)
			apply([]zsbot.Put{{After: a}})
			counts["create"]++
		case op < 75:
			a := pick()
			if a == nil {
				continue
			}
			b := *a
			switch rng.IntN(5) {
			case 4:
				b.Project = projectIDs[rng.IntN(len(projectIDs))]
			case 0:
				b.Date = day()
			case 1:
				b.Kind = kinds[rng.IntN(len(kinds))]
			case 2:
				b.Company = companies[rng.IntN(len(companies))]
			case 3:
				b.By = officers[rng.IntN(len(officers))]
			}
			apply([]zsbot.Put{{Before: a, After: &b}})
			counts["edit"]++
		case op < 80:
			p := projects[projectIDs[2+rng.IntN(4)]]
			q := *p
			q.Park = parks[rng.IntN(len(parks))]
			q.Owner = officers[rng.IntN(len(officers))]
			c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", Raw: "改 园区"}}
			c.Add(p, &q)
			mustApply(t, db, c)
			projects[q.ID] = &q
			counts["move"]++
		case op < 85:
			if a := pick(); a != nil {
				apply([]zsbot.Put{{Before: a}})
				counts["delete"]++
			}
		case op < 93:
			if last == nil {
				continue
			}
			rev := make([]zsbot.Put, len(last))
			for i, p := range last {
				rev[len(last)-1-i] = zsbot.Put{Before: p.After, After: p.Before}
			}
			apply(rev)
			last = nil
			counts["undo"]++
		default:
			from, to := companies[1+rng.IntN(6)], companies[1+rng.IntN(6)]
			if from == to {
				continue
			}
			var puts []zsbot.Put
			for _, a := range live {
				if a.Company == from {
					b := *a
					b.Company = to
					puts = append(puts, zsbot.Put{Before: a, After: &b})
				}
			}
			if len(puts) > 0 {
				apply(puts)
				counts["merge"]++
			}
		}
	}
	t.Logf("history: %v, %d activities live", counts, len(live))
	if counts["undo"] == 0 || counts["merge"] == 0 || counts["delete"] == 0 || counts["move"] == 0 {
		t.Fatalf("the history lacks an operation: %v", counts)
	}

	periods := [][2]zsbot.Date{{20230101, 20251231}, {20240101, 20241231}, {20240301, 20240331}, {20240229, 20240229}}
	for range 40 {
		a, b := day(), day()
		periods = append(periods, [2]zsbot.Date{min(a, b), max(a, b)})
	}
	nonzero := 0
	byPark := zsbot.ByPark(people)
	for _, p := range periods {
		from, to := p[0], p[1]
		l, err := db.Ledger(ctx, from, to)
		if err != nil {
			t.Fatal(err)
		}
		for _, unit := range []zsbot.Unit{zsbot.ByOfficer, byPark} {
			bureau, units, err := db.AggTotals(ctx, from, to, unit)
			if err != nil {
				t.Fatal(err)
			}
			want := zsbot.ComputeBy(l, from, to, unit)
			want["\x00bureau"] = zsbot.Compute(l, from, to)
			units["\x00bureau"] = bureau
			for u, f := range want {
				w := zsbot.AggTotals{Visits: f.Visits, Visited: f.Visited, Receptions: f.Receptions, Promotions: f.Promotions}
				g := zsbot.AggTotals{}
				if units[u] != nil {
					g = *units[u]
				}
				if g != w {
					t.Errorf("[%v, %v] unit %q: aggregates %+v, records %+v", from, to, u, g, w)
				}
				if w.Visits > 0 {
					nonzero++
				}
			}
			for u, g := range units {
				if want[u] == nil && *g != (zsbot.AggTotals{}) {
					t.Errorf("[%v, %v] unit %q: aggregates %+v, no records", from, to, u, *g)
				}
			}
		}
	}
	if nonzero < len(periods) {
		t.Fatalf("only %d units of %d periods had visits: the check compares too little", nonzero, len(periods))
	}
	diffs, err := db.RebuildAggregates(ctx, false)
	if err != nil || len(diffs) != 0 {
		t.Fatalf("rebuild check: %v, %v", diffs, err)
	}
}

// TestRebuildAggregates checks that the rebuild reports a bucket that
// disagrees with the records, repairs it when asked, and then agrees.
func TestRebuildAggregates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustDB(t)
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", Raw: "拜访"}}
	c.Add(nil, &zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20250304, Company: "E1", By: "u1"})
	c.Add(nil, &zsbot.Activity{ID: "A2", Kind: zsbot.KindReception, Date: 20250305, By: "u2"})
	mustApply(t, db, c)
	if d, err := db.RebuildAggregates(ctx, false); err != nil || len(d) != 0 {
		t.Fatalf("fresh: %v, %v", d, err)
	}
	rdb := db.Client()
	rdb.HIncrBy(ctx, "zs:{test}:agg:n:d:20250304", "v", 2)
	rdb.HSet(ctx, "zs:{test}:agg:n:m:202501", "r", 1)
	d, err := db.RebuildAggregates(ctx, true)
	if err != nil || len(d) != 2 {
		t.Fatalf("corrupted: %q, %v; want two differences", d, err)
	}
	if d, err := db.RebuildAggregates(ctx, false); err != nil || len(d) != 0 {
		t.Fatalf("after the repair: %v, %v", d, err)
	}
	bureau, units, err := db.AggTotals(ctx, 20250301, 20250331, zsbot.ByOfficer)
	if err != nil || *bureau != (zsbot.AggTotals{Visits: 1, Visited: 1, Receptions: 1}) || units["u1"].Visited != 1 || units["u2"].Receptions != 1 {
		t.Fatalf("March after the repair: %+v %v, %v", bureau, units, err)
	}
}

// TestAggregatesEmbedded: the embedded store (the console's default) runs
// the same script: its aggregates follow a creation, an edit and a
// deletion, survive a reopen from the file, and agree with the records.
func TestAggregatesEmbedded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20250304, Company: "E1", By: "u1"}
	b := *a
	b.Date = 20250410
	c := &zsbot.Activity{ID: "A2", Kind: zsbot.KindPromotion, Date: 20250411, By: "u2"}
	for _, puts := range [][]zsbot.Put{{{After: a}, {After: c}}, {{Before: a, After: &b}}, {{Before: c}}} {
		mustApply(t, e.DB, &zsbot.Change{Audit: zsbot.Audit{Who: "u1", Raw: "t"}, Puts: puts})
	}
	e.Close()
	e, err = storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if d, err := e.RebuildAggregates(ctx, false); err != nil || len(d) != 0 {
		t.Fatalf("rebuild check: %q, %v", d, err)
	}
	got, _, err := e.AggTotals(ctx, 20250101, 20251231, nil)
	if err != nil || *got != (zsbot.AggTotals{Visits: 1, Visited: 1}) {
		t.Fatalf("2025: %+v, %v", got, err)
	}
	if march, _, err := e.AggTotals(ctx, 20250301, 20250331, nil); err != nil || *march != (zsbot.AggTotals{}) {
		t.Fatalf("March after the visit moved to April: %+v, %v", march, err)
	}
}
