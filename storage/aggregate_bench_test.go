package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
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

// tenYears loads ten years at ten times the seed bureau's volume: each
// year 2,000 projects (1,210 signed, 470 started, 5% raised by 增资), 2,400
// payments, 3,500 visits to 3,000 companies, 4,000 receptions, 100
// promotions and 5,000 tasks, 40 officers in 4 parks.
func tenYears(b *testing.B) (*storage.DB, zsbot.Unit) {
	db := mustDB(b)
	rng := rand.New(rand.NewPCG(10, 10))
	parks := []string{"双福园区", "珞璜园区", "综保区", ""}
	people := map[string]string{}
	for i := range 40 {
		people[fmt.Sprintf("u%d", i)] = parks[i%4]
	}
	var recs []zsbot.Record
	n := 0
	id := func(p string) string { n++; return fmt.Sprintf("%s%d", p, n) }
	for y := 2015; y <= 2024; y++ {
		day := func() zsbot.Date { return zsbot.NewDate(y, time.January, 1).AddDays(rng.IntN(365)) }
		for i := range 2000 {
			p := &zsbot.Project{ID: id("P"), Name: "项目", Owner: fmt.Sprintf("u%d", rng.IntN(40)), Park: parks[rng.IntN(4)],
				Stage: zsbot.StageTalking, CreatedOn: zsbot.NewDate(y, 1, 1), OutOfCity: rng.IntN(10) < 7}
			recs = append(recs, p)
			if i < 1210 {
				p.SignedOn, p.Signed, p.Stage = day(), zsbot.Money(1+rng.IntN(60))*zsbot.Yi/2, zsbot.StageSigned
				p.Amount = p.Signed
				if i < 470 {
					p.StartedOn, p.Stage = max(p.SignedOn, day()), zsbot.StageStarted
				}
				if rng.IntN(20) == 0 {
					z := &zsbot.Increase{ID: id("Z"), Project: p.ID, Date: max(p.SignedOn, day()), Amount: 5 * zsbot.Yi}
					p.Amount += z.Amount
					recs = append(recs, z)
				}
				for range 2 {
					f := &zsbot.Payment{ID: id("F"), Project: p.ID, Date: max(p.SignedOn, day()), Amount: p.Signed / 10}
					p.Funds += f.Amount
					recs = append(recs, f)
				}
			}
		}
		kinds := []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindReception, zsbot.KindPromotion}
		for i, count := range []int{3500, 4000, 100} {
			for range count {
				recs = append(recs, &zsbot.Activity{ID: id("A"), Kind: kinds[i], Date: day(), Company: fmt.Sprintf("E%d", rng.IntN(6000)),
					By: fmt.Sprintf("u%d", rng.IntN(40)), Project: fmt.Sprintf("P%d", 1+rng.IntN(n))})
			}
		}
		for range 5000 {
			due := day()
			t := &zsbot.Task{ID: id("T"), Project: fmt.Sprintf("P%d", 1+rng.IntN(n)), Text: "任务", Due: due, Assignee: fmt.Sprintf("u%d", rng.IntN(40))}
			if rng.IntN(10) < 8 {
				t.DoneOn = due.AddDays(rng.IntN(20) - 10)
			}
			recs = append(recs, t)
		}
	}
	if err := db.Load(context.Background(), recs); err != nil {
		b.Fatal(err)
	}
	return db, zsbot.ByPark(people)
}

// BenchmarkAggregatesTenYears times what 统计 reads and sums from the
// aggregates — the period and the year to date — over ten years at ten
// times the seed's volume, for a day, a month, a year and the ten years,
// for the bureau and by park, with p50 and p99 per operation
// (go test -run XXX -bench AggregatesTenYears ./storage/).
func BenchmarkAggregatesTenYears(b *testing.B) {
	db, unit := tenYears(b)
	ctx := context.Background()
	for _, p := range []struct {
		name     string
		from, to zsbot.Date
	}{
		{"day", 20241216, 20241216}, {"month", 20241101, 20241130}, {"year-to-date", 20240101, 20241216},
		{"year", 20240101, 20241231}, {"ten-years", 20150101, 20241231},
	} {
		for _, byPark := range []bool{false, true} {
			name := p.name
			u := zsbot.Unit(nil)
			if byPark {
				name, u = name+"/by-park", unit
			}
			b.Run(name, func(b *testing.B) {
				var times []time.Duration
				for b.Loop() {
					start := time.Now()
					d, err := db.Aggregates(ctx, byPark, [2]zsbot.Date{p.from, p.to}, [2]zsbot.Date{zsbot.YearStart(p.to), p.to})
					if err != nil {
						b.Fatal(err)
					}
					d.Figures(p.from, p.to, u)
					d.Figures(zsbot.YearStart(p.to), p.to, u)
					times = append(times, time.Since(start))
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
			})
		}
	}
}
