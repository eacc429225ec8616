package handlers_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/benchdata"
	figures "zsbot/report"
)

// BenchmarkStatsAtVolume measures 统计 over a bureau that holds ten years
// at ten times the seed's volume (benchdata: a year of 1,200 signings,
// 3,600 visits to 3,000 companies, 4,000 receptions, 2,400 new tasks …;
// 2015 to 23 December 2024), loaded into a real redis-server by
// storage.(*DB).Load, its aggregates rebuilt (RebuildAggregates), and asked
// through the handlers and the once-only runner as the tests ask them
// (claim, Respond, commit) by the bureau's leader. It reports each query's
// latency percentiles (p50-ms, p99-ms, max-ms) beside the mean (ns/op).
// Before timing, each reply is checked against the figures computed from
// the records (storage's Ledger and zsbot.Compute, ComputeBy), so a faster
// path must give the same answer. It generates its data only under -bench
// (BENCHMARKS.md, "Figures at volume"):
//
//	go test ./handlers -run '^$' -bench StatsAtVolume -benchtime 200x -timeout 60m
//
// The target is a p99 of 5 ms or less for each query.
func BenchmarkStatsAtVolume(b *testing.B) {
	ctx := context.Background()
	bt := newBot(b) // the clock: 23 December 2024, 10:00
	end := zsbot.Date(20241223)
	start := time.Now()
	recs := benchdata.Generate(benchdata.Config{Years: 10, Scale: 10, End: end, Seed: 18})
	if err := bt.db.Load(ctx, recs); err != nil {
		b.Fatal(err)
	}
	loaded := time.Since(start)
	if _, err := bt.db.RebuildAggregates(ctx, true); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d records (10 years at 10× the seed) in %v, aggregates rebuilt in %v", len(recs),
		loaded.Round(time.Millisecond), (time.Since(start) - loaded).Round(time.Millisecond))
	people := map[string]string{}
	for _, r := range recs {
		if p, ok := r.(*zsbot.Person); ok {
			people[p.UserID] = p.Park
		}
	}
	park := benchdata.Parks[0]
	year := zsbot.Date(20240101)
	for _, q := range []struct {
		name, text string
		from, to   zsbot.Date
		unit       string // "" the bureau, "*" every park, else one park
	}{
		{"Day", "统计 12月20日至12月20日", 20241220, 20241220, ""}, // as 统计 12月20日, which trees before 3987ec8 refuse
		{"Month", "统计 本月", 20241201, end, ""},
		{"Year", "统计 2024", year, end, ""},
		{"TenYears", "统计 2015年至2024年", 20150101, end, ""},
		{"Parks", "统计 各园区 本年", year, end, "*"},
		{"Park", "统计 " + park + " 本年", year, end, park},
	} {
		l, err := bt.db.Ledger(ctx, q.from, q.to)
		if err != nil {
			b.Fatal(err)
		}
		units := zsbot.ComputeBy(l, q.from, q.to, zsbot.ByPark(people))
		f := zsbot.Compute(l, q.from, q.to)
		var want []string
		switch q.unit {
		case "":
			want = []string{figures.SigningLine(f), figures.StartLine(f), figures.FundsLine(f), figures.ActivityLine(f)}
		case "*":
			want = []string{figures.MeasuresLine("全区合计", f)}
			for _, p := range benchdata.Parks {
				want = append(want, figures.MeasuresLine(p, units[p]))
			}
		default:
			u := units[q.unit]
			want = []string{q.unit + " ", figures.SigningLine(u), figures.StartLine(u), figures.FundsLine(u), figures.ActivityLine(u)}
		}
		reply := bt.say(benchdata.Leader, q.text)
		for _, w := range want {
			if !strings.Contains(reply, w) {
				b.Fatalf("%s: %q\nreplied %q\nwhich lacks the records' %q", q.name, q.text, reply, w)
			}
		}
		if f.Visits == 0 && q.name != "Day" {
			b.Fatalf("%s: no visits in %s–%s: the data is not there", q.name, q.from, q.to)
		}
		b.Run(q.name, func(b *testing.B) {
			outer := bt.tb
			bt.tb = b
			defer func() { bt.tb = outer }()
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				bt.say(benchdata.Leader, q.text)
				lat = append(lat, time.Since(t0))
			}
			reportLatency(b, lat)
		})
	}
}

// reportLatency reports the median, 99th percentile (nearest rank) and
// maximum of lat in milliseconds. With 100 samples or fewer the p99 is the
// maximum or next to it.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[max(0, int(math.Ceil(q*float64(len(lat))))-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/float64(time.Millisecond), "max-ms")
	if len(lat) < 100 {
		b.Logf("%d samples: the p99 is their maximum; run with -benchtime 200x", len(lat))
	}
}
