package jobs

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"zsbot"
	"zsbot/report"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// Generated history: per year 5,000 projects (60% signed, 40% of those
// started, two payments each), 50,000 activities and 10,000 tasks — ten
// years make 50,000 projects and 500,000 activities, far more than a
// district bureau records, loaded into a real redis-server.
const (
	benchProjects   = 5000
	benchActivities = 50000
	benchTasks      = 10000
)

// benchYear generates one year's records, the same for a given year in
// every run (its own seeded generator).
func benchYear(y int) []zsbot.Record {
	rng := rand.New(rand.NewPCG(uint64(y), 7))
	first := zsbot.NewDate(y, 1, 1)
	last := zsbot.NewDate(2024, 12, 31)
	day := func(from zsbot.Date, spread int) zsbot.Date { return min(from.AddDays(rng.IntN(spread)), last) }
	parks := []string{"双福园区", "珞璜园区", "德感园区", "白沙园区"}
	base := (y - 2015) * benchProjects
	var out []zsbot.Record
	var ids []string
	for i := range benchProjects {
		p := &zsbot.Project{ID: fmt.Sprintf("P%d", base+i+1), Name: fmt.Sprintf("%d年项目%d", y, i+1),
			Company: fmt.Sprintf("E%d", rng.IntN(20000)+1), Park: parks[rng.IntN(4)], Owner: fmt.Sprintf("u%d", rng.IntN(20)),
			OutOfCity: rng.IntN(5) > 0, Stage: zsbot.StageTalking, CreatedOn: day(first, 365)}
		p.FollowedOn = p.CreatedOn
		if rng.IntN(10) < 6 {
			p.Stage, p.SignedOn = zsbot.StageSigned, day(p.CreatedOn, 60)
			p.Signed = zsbot.Money(rng.IntN(300000) + 1000)
			p.Amount = p.Signed
			if rng.IntN(20) == 0 {
				z := &zsbot.Increase{ID: fmt.Sprintf("Z%d", base+i+1), Project: p.ID, Date: day(p.SignedOn, 100), Amount: 5 * zsbot.Yi}
				p.Amount += z.Amount
				out = append(out, z)
			}
			if rng.IntN(10) < 4 {
				p.Stage, p.StartedOn = zsbot.StageStarted, day(p.SignedOn, 200)
				for k := range 2 {
					out = append(out, &zsbot.Payment{ID: fmt.Sprintf("F%d-%d", base+i+1, k), Project: p.ID,
						Date: day(p.StartedOn, 300), Amount: zsbot.Money(rng.IntN(50000) + 100)})
				}
			}
		}
		ids = append(ids, p.ID)
		out = append(out, p)
	}
	kinds := []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindVisit, zsbot.KindVisit, zsbot.KindReception, zsbot.KindReception,
		zsbot.KindTalk, zsbot.KindReview, zsbot.KindPromotion}
	for i := range benchActivities {
		a := &zsbot.Activity{ID: fmt.Sprintf("A%d", (y-2015)*benchActivities+i+1), Kind: kinds[rng.IntN(len(kinds))],
			Date: day(first, 365), Company: fmt.Sprintf("E%d", rng.IntN(20000)+1), By: fmt.Sprintf("u%d", rng.IntN(20)), Note: "洽谈投资意向"}
		if rng.IntN(2) == 0 {
			a.Project = ids[rng.IntN(len(ids))]
		}
		out = append(out, a)
	}
	for i := range benchTasks {
		t := &zsbot.Task{ID: fmt.Sprintf("T%d", (y-2015)*benchTasks+i+1), Project: ids[rng.IntN(len(ids))], Text: "推进事项",
			Due: day(first, 365), Assignee: fmt.Sprintf("u%d", rng.IntN(20))}
		if rng.IntN(10) < 9 {
			t.DoneOn = day(t.Due.AddDays(-10), 20)
		}
		out = append(out, t)
	}
	return out
}

// benchStore loads the years [from, 2024] into a fresh redis-server.
func benchStore(b *testing.B, from int) (*storage.DB, int) {
	b.Helper()
	db := storage.New(redistest.Start(b).Client(b), "bench")
	ctx := context.Background()
	n := 0
	for y := from; y <= 2024; y++ {
		recs := benchYear(y)
		if err := db.Load(ctx, recs); err != nil {
			b.Fatal(err)
		}
		n += len(recs)
	}
	return db, n
}

// BenchmarkFigures shows that the figures' cost grows with the period, not
// with the history: one half-month over 1 and 10 years of history, a whole
// year and the scheduled notices over 10 years. Run with
//
//	go test ./jobs -run '^$' -bench Figures -benchtime 20x
func BenchmarkFigures(b *testing.B) {
	ctx := context.Background()
	start := time.Now()
	one, n1 := benchStore(b, 2024)
	ten, n10 := benchStore(b, 2015)
	b.Logf("loaded %d records (1 year) and %d records (10 years) in %v", n1, n10, time.Since(start).Round(time.Second))
	figures := func(db *storage.DB, from, to zsbot.Date) func(*testing.B) {
		return func(b *testing.B) {
			var l *zsbot.Ledger
			for b.Loop() {
				var err error
				if l, err = db.Ledger(ctx, from, to); err != nil {
					b.Fatal(err)
				}
				zsbot.Compute(l, from, to)
				zsbot.Convert(l, to)
			}
			read := len(l.Projects) + len(l.Increases) + len(l.Payments) + len(l.Activities) + len(l.TasksDone)
			b.ReportMetric(float64(read), "records")
		}
	}
	b.Run("HalfMonth/1y", figures(one, 20241201, 20241215))
	b.Run("HalfMonth/10y", figures(ten, 20241201, 20241215))
	b.Run("Year/1y", figures(one, 20240101, 20241231))
	b.Run("Year/10y", figures(ten, 20240101, 20241231))
	report := func(db *storage.DB, from, to zsbot.Date) func(*testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				if _, err := report.LoadReport(ctx, db, from, to); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("Stats2024/10y", report(ten, 20240101, 20241231))
	for _, name := range []string{HalfMonthly, Quarterly, Overdue, Monthly} {
		for _, h := range []struct {
			years string
			db    *storage.DB
		}{{"1y", one}, {"10y", ten}} {
			b.Run("Notice/"+name+"/"+h.years, func(b *testing.B) {
				for b.Loop() {
					if _, err := Lookup(name).Drafts(ctx, h.db, at(2025, 1, 1, 9, 10)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
