package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
)

// TestAggregatesMatchRecords is the exactness property of the aggregates
// (issue 18): random histories over three years, four officers, six
// projects and six companies — activities created, edited in every field,
// deleted; projects signed, re-dated, re-valued, started, made 市外 or
// not, moved to another park or owner; 增资 and payments added, edited
// and deleted (each with its project's amount, as the verbs write them);
// tasks opened, closed and re-opened; undos (the reverse puts, as 撤销
// writes them); project merges (every record of one project moved to
// another, the first deleted) and company merges — applied through Apply.
// Then for random periods every figure from the aggregates (counts,
// amounts, every size band, distinct companies, the conversion) equals
// zsbot.ComputeBy over the records, for the bureau, each officer and each
// park; and RebuildAggregates finds no difference. It runs on a single
// server and on a Cluster (the write script names the chains' buckets
// itself: they share the bureau's hash slot).
func TestAggregatesMatchRecords(t *testing.T) {
	eachTopology(t, func(t *testing.T, top topology) {
		for seed := range uint64(4) {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				testAggregates(t, top.mustDB(t), seed)
			})
		}
	})
}

// history is the model of a random history: the live records by ID.
type history struct {
	t    *testing.T
	db   *storage.DB
	rng  *rand.Rand
	recs map[string]zsbot.Record
	last []zsbot.Put
	n    int
}

func (h *history) apply(puts []zsbot.Put) {
	h.t.Helper()
	if len(puts) == 0 {
		return
	}
	mustApply(h.t, h.db, &zsbot.Change{Audit: zsbot.Audit{Who: "u1", When: time.Unix(1, 0), Raw: "t"}, Puts: puts})
	for _, p := range puts {
		if p.After != nil {
			h.recs[p.After.RecordID()] = p.After
		} else {
			delete(h.recs, p.Before.RecordID())
		}
	}
	h.last = puts
}

func (h *history) id(prefix string) string { h.n++; return fmt.Sprintf("%s%d", prefix, h.n) }

func (h *history) day() zsbot.Date {
	return zsbot.NewDate(2023, time.January, 1).AddDays(h.rng.IntN(3 * 365))
}

// of returns the live records of one kind, by ID.
func of[T zsbot.Record](h *history) []T {
	var out []T
	for _, r := range h.recs {
		if x, ok := r.(T); ok {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].RecordID() < out[j].RecordID() })
	return out
}

func pickOne[T any](h *history, xs []T) (T, bool) {
	var zero T
	if len(xs) == 0 {
		return zero, false
	}
	return xs[h.rng.IntN(len(xs))], true
}

// children returns the 增资 and payments of project id.
func (h *history) children(id string) (incs []*zsbot.Increase, pays []*zsbot.Payment) {
	for _, z := range of[*zsbot.Increase](h) {
		if z.Project == id {
			incs = append(incs, z)
		}
	}
	for _, f := range of[*zsbot.Payment](h) {
		if f.Project == id {
			pays = append(pays, f)
		}
	}
	return incs, pays
}

func (h *history) amount() zsbot.Money {
	// Around the band bounds: 0.5亿 to 120亿, often a whole 亿.
	if h.rng.IntN(2) == 0 {
		return zsbot.Money(1+h.rng.IntN(120)) * zsbot.Yi
	}
	return zsbot.Money(5000 + h.rng.IntN(1_200_000))
}

func testAggregates(t *testing.T, db *storage.DB, seed uint64) {
	ctx := context.Background()
	h := &history{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 18)), recs: map[string]zsbot.Record{}}
	rng := h.rng
	officers := []string{"u1", "u2", "u3", "u4"}
	companies := []string{"", "E1", "E2", "E3", "E4", "E5", "E6"}
	parks := []string{"", "双福园区", "珞璜园区", "综保区"}
	people := map[string]string{"u1": "双福园区", "u2": "珞璜园区", "u3": "", "u4": "综保区"}
	newProject := func() {
		p := &zsbot.Project{ID: h.id("P"), Name: "项目", Owner: officers[rng.IntN(4)], Park: parks[rng.IntN(len(parks))],
			Stage: zsbot.StageTalking, CreatedOn: 20230101, OutOfCity: rng.IntN(2) == 0}
		h.apply([]zsbot.Put{{After: p}})
	}
	for range 6 {
		newProject()
	}
	projectIDs := func() []string {
		ids := []string{"", "", "P999"} // none, and one never created
		for _, p := range of[*zsbot.Project](h) {
			ids = append(ids, p.ID)
		}
		return ids
	}
	kinds := []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindVisit, zsbot.KindReception, zsbot.KindPromotion, zsbot.KindTalk}
	counts := map[string]int{}
	// withProject puts p as q along with the other puts (the amount and funds
	// follow the children, as the verbs keep them).
	for step := 0; step < 700; step++ {
		op := rng.IntN(100)
		var puts []zsbot.Put
		name := ""
		switch {
		case op < 30:
			name = "activity"
			a := &zsbot.Activity{ID: h.id("A"), Kind: kinds[rng.IntN(len(kinds))], Date: h.day(),
				Company: companies[rng.IntN(len(companies))], By: officers[rng.IntN(4)]}
			ids := projectIDs()
			a.Project = ids[rng.IntN(len(ids))]
			puts = append(puts, zsbot.Put{After: a})
		case op < 40:
			a, ok := pickOne(h, of[*zsbot.Activity](h))
			if !ok {
				continue
			}
			name = "activity edit"
			b := *a
			switch rng.IntN(6) {
			case 0:
				ids := projectIDs()
				b.Project = ids[rng.IntN(len(ids))]
			case 1:
				b.Date = h.day()
			case 2:
				b.Kind = kinds[rng.IntN(len(kinds))]
			case 3:
				b.Company = companies[rng.IntN(len(companies))]
			case 4:
				b.By = officers[rng.IntN(4)]
			case 5:
				puts = append(puts, zsbot.Put{Before: a})
				name = "activity delete"
			}
			if len(puts) == 0 {
				puts = append(puts, zsbot.Put{Before: a, After: &b})
			}
		case op < 48:
			p, ok := pickOne(h, of[*zsbot.Project](h))
			if !ok || !p.SignedOn.IsZero() {
				continue
			}
			name = "sign"
			q := *p
			q.SignedOn, q.Signed, q.Stage = h.day(), h.amount(), zsbot.StageSigned
			q.Amount = q.Signed
			puts = append(puts, zsbot.Put{Before: p, After: &q})
		case op < 54:
			p, ok := pickOne(h, of[*zsbot.Project](h))
			if !ok || p.SignedOn.IsZero() {
				continue
			}
			name = "增资"
			z := &zsbot.Increase{ID: h.id("Z"), Project: p.ID, Date: p.SignedOn.AddDays(rng.IntN(400)), Amount: h.amount() / 2, By: "u1"}
			q := *p
			q.Amount += z.Amount
			puts = append(puts, zsbot.Put{After: z}, zsbot.Put{Before: p, After: &q})
		case op < 58:
			z, ok := pickOne(h, of[*zsbot.Increase](h))
			if !ok {
				continue
			}
			p := h.recs[z.Project].(*zsbot.Project)
			q := *p
			y := *z
			switch rng.IntN(3) {
			case 0:
				name = "增资 re-dated"
				y.Date = p.SignedOn.AddDays(rng.IntN(400))
				puts = append(puts, zsbot.Put{Before: z, After: &y})
			case 1:
				name = "增资 re-valued"
				y.Amount = h.amount() / 2
				q.Amount += y.Amount - z.Amount
				puts = append(puts, zsbot.Put{Before: z, After: &y}, zsbot.Put{Before: p, After: &q})
			case 2:
				name = "增资 deleted"
				q.Amount -= z.Amount
				puts = append(puts, zsbot.Put{Before: z}, zsbot.Put{Before: p, After: &q})
			}
		case op < 64:
			p, ok := pickOne(h, of[*zsbot.Project](h))
			if !ok || p.SignedOn.IsZero() {
				continue
			}
			name = "到位"
			f := &zsbot.Payment{ID: h.id("F"), Project: p.ID, Date: h.day(), Amount: h.amount() / 4, By: "u1"}
			q := *p
			q.Funds += f.Amount
			puts = append(puts, zsbot.Put{After: f}, zsbot.Put{Before: p, After: &q})
		case op < 67:
			f, ok := pickOne(h, of[*zsbot.Payment](h))
			if !ok {
				continue
			}
			p := h.recs[f.Project].(*zsbot.Project)
			q := *p
			g := *f
			switch rng.IntN(3) {
			case 0:
				name = "到位 re-dated" // without its project, as 改 F 日期 writes it
				g.Date = h.day()
				puts = append(puts, zsbot.Put{Before: f, After: &g})
			case 1:
				name = "到位 re-valued"
				g.Amount = h.amount() / 4
				q.Funds += g.Amount - f.Amount
				puts = append(puts, zsbot.Put{Before: f, After: &g}, zsbot.Put{Before: p, After: &q})
			case 2:
				name = "到位 deleted"
				q.Funds -= f.Amount
				puts = append(puts, zsbot.Put{Before: f}, zsbot.Put{Before: p, After: &q})
			}
		case op < 78:
			p, ok := pickOne(h, of[*zsbot.Project](h))
			if !ok {
				continue
			}
			q := *p
			incs, _ := h.children(p.ID)
			switch rng.IntN(7) {
			case 0:
				name = "start"
				q.StartedOn = h.day()
				if rng.IntN(4) == 0 {
					q.StartedOn = 0
				}
			case 1:
				name = "市外"
				q.OutOfCity = !q.OutOfCity
			case 2:
				name = "park/owner"
				q.Park, q.Owner = parks[rng.IntN(len(parks))], officers[rng.IntN(4)]
			case 3:
				if q.SignedOn.IsZero() {
					continue
				}
				name = "signing re-dated" // not after its first 增资
				d := h.day()
				for _, z := range incs {
					d = min(d, z.Date)
				}
				q.SignedOn = d
			case 4:
				if q.SignedOn.IsZero() {
					continue
				}
				name = "signing re-valued"
				q.Amount += -q.Signed
				q.Signed = h.amount()
				q.Amount += q.Signed
			case 5:
				if q.SignedOn.IsZero() || len(incs) > 0 {
					continue
				}
				name = "unsigned"
				q.SignedOn, q.Signed, q.Amount, q.Stage = 0, 0, 0, zsbot.StageTalking
			case 6:
				name = "new project"
				newProject()
				continue
			}
			puts = append(puts, zsbot.Put{Before: p, After: &q})
		case op < 86:
			name = "task"
			ts := of[*zsbot.Task](h)
			if tk, ok := pickOne(h, ts); ok && rng.IntN(3) > 0 {
				u := *tk
				switch rng.IntN(4) {
				case 0:
					u.DoneOn = h.day()
					name = "task closed"
				case 1:
					u.DoneOn = 0
					name = "task reopened"
				case 2:
					u.Assignee = officers[rng.IntN(4)]
				case 3:
					u.Due = h.day()
				}
				puts = append(puts, zsbot.Put{Before: tk, After: &u})
				break
			}
			ids := projectIDs()
			puts = append(puts, zsbot.Put{After: &zsbot.Task{ID: h.id("T"), Project: ids[rng.IntN(len(ids))],
				Text: "任务", Due: h.day(), Assignee: officers[rng.IntN(4)]}})
		case op < 93:
			if h.last == nil {
				continue
			}
			name = "undo"
			for i := len(h.last) - 1; i >= 0; i-- {
				puts = append(puts, zsbot.Put{Before: h.last[i].After, After: h.last[i].Before})
			}
		case op < 96:
			ps := of[*zsbot.Project](h)
			if len(ps) < 3 {
				continue
			}
			name = "project merge"
			from, into := ps[rng.IntN(len(ps))], ps[rng.IntN(len(ps))]
			if from == into || !from.SignedOn.IsZero() && !into.SignedOn.IsZero() {
				continue
			}
			q := *into
			if q.SignedOn.IsZero() {
				q.SignedOn, q.Signed, q.Stage = from.SignedOn, from.Signed, from.Stage
				q.Amount = from.Amount
			} else {
				q.Amount += from.Amount - from.Signed
			}
			q.Funds += from.Funds
			for _, r := range h.recs {
				switch r := r.(type) {
				case *zsbot.Activity:
					if r.Project == from.ID {
						b := *r
						b.Project = into.ID
						puts = append(puts, zsbot.Put{Before: r, After: &b})
					}
				case *zsbot.Increase:
					if r.Project == from.ID {
						b := *r
						b.Project = into.ID
						b.Date = max(b.Date, q.SignedOn)
						puts = append(puts, zsbot.Put{Before: r, After: &b})
					}
				case *zsbot.Payment:
					if r.Project == from.ID {
						b := *r
						b.Project = into.ID
						puts = append(puts, zsbot.Put{Before: r, After: &b})
					}
				case *zsbot.Task:
					if r.Project == from.ID {
						b := *r
						b.Project = into.ID
						puts = append(puts, zsbot.Put{Before: r, After: &b})
					}
				}
			}
			puts = append(puts, zsbot.Put{Before: into, After: &q}, zsbot.Put{Before: from})
		default:
			from, into := companies[1+rng.IntN(6)], companies[1+rng.IntN(6)]
			if from == into {
				continue
			}
			name = "company merge"
			for _, a := range of[*zsbot.Activity](h) {
				if a.Company == from {
					b := *a
					b.Company = into
					puts = append(puts, zsbot.Put{Before: a, After: &b})
				}
			}
		}
		if len(puts) == 0 {
			continue
		}
		h.apply(puts)
		counts[name]++
	}
	t.Logf("history: %v, %d records live", counts, len(h.recs))
	for _, op := range []string{"sign", "增资", "增资 re-dated", "增资 deleted", "到位", "到位 re-dated", "到位 deleted", "start", "市外",
		"signing re-dated", "signing re-valued", "task closed", "undo", "project merge", "company merge", "activity delete", "park/owner"} {
		if counts[op] == 0 {
			t.Fatalf("the history lacks %q: %v", op, counts)
		}
	}

	periods := [][2]zsbot.Date{{20230101, 20251231}, {20240101, 20241231}, {20240301, 20240331}, {20240229, 20240229},
		{20240101, 20240615}, {20250101, 20251130}}
	for range 40 {
		a, b := h.day(), h.day()
		periods = append(periods, [2]zsbot.Date{min(a, b), max(a, b)})
	}
	byPark := zsbot.ByPark(people)
	nonzero := map[string]int{}
	for _, p := range periods {
		from, to := p[0], p[1]
		first := zsbot.YearStart(to)
		l, err := db.Ledger(ctx, min(from, first), to)
		if err != nil {
			t.Fatal(err)
		}
		for _, unit := range []zsbot.Unit{nil, zsbot.ByOfficer, byPark} {
			d, err := db.Aggregates(ctx, unit != nil, p, [2]zsbot.Date{first, to})
			if err != nil {
				t.Fatal(err)
			}
			compareFigures(t, fmt.Sprintf("[%v, %v]", from, to), zsbot.ComputeBy(l, from, to, unit), d.Figures(from, to, unit), nonzero)
			want := zsbot.ConvertBy(l, to, unit)
			for u, g := range d.Figures(first, to, unit) {
				w := want[u]
				w.AsOf = to
				if c := g.Conversion(); c != w && (c != zsbot.Conversion{AsOf: to} || want[u] != zsbot.Conversion{}) {
					t.Errorf("[%v] conversion of %q: aggregates %+v, records %+v", to, u, c, w)
				}
			}
		}
	}
	for _, m := range []string{"signed", "band", "agreed", "funds", "started", "visited", "converted", "done"} {
		if nonzero[m] < len(periods)/2 {
			t.Errorf("only %d comparisons had %s: the check compares too little (%v)", nonzero[m], m, nonzero)
		}
	}
	diffs, err := db.RebuildAggregates(ctx, false)
	if err != nil || len(diffs) != 0 {
		t.Fatalf("rebuild check: %v, %v", diffs, err)
	}
}

// bands are the size bands compareFigures checks: the report's, the
// default target bands and some others of whole 亿.
var bands = append(append([]zsbot.Tier(nil), zsbot.SizeTiers...),
	zsbot.Tier{Lo: zsbot.Major}, zsbot.Tier{Lo: 10 * zsbot.Yi, Hi: 50 * zsbot.Yi}, zsbot.Tier{Lo: 50 * zsbot.Yi},
	zsbot.Tier{Lo: 1 * zsbot.Yi, Hi: 3 * zsbot.Yi}, zsbot.Tier{Lo: 3 * zsbot.Yi, Hi: 7 * zsbot.Yi}, zsbot.Tier{Lo: 30 * zsbot.Yi, Hi: 31 * zsbot.Yi})

// figureLine shows every measure of f that the aggregates carry.
func figureLine(f *zsbot.Figures) string {
	if f == nil {
		f = &zsbot.Figures{}
	}
	s := fmt.Sprintf("签约%d/%d 引资%d/%d 开工%d/%d 到位%d/%d 拜访%d/%d家 接待%d 推介%d 任务%d/%d 转化%d/%d 档",
		f.Signed(), f.SignedOut(), f.Agreed, f.AgreedOut, f.Started, f.StartedOut, f.Funds, f.FundsOut,
		f.Visits, f.Visited, f.Receptions, f.Promotions, f.TasksDone, f.TasksOnTime, f.Converted, f.ConvertedOut)
	for _, b := range bands {
		s += fmt.Sprintf(" %d", f.Count(b))
	}
	return s
}

// compareFigures checks that the aggregates' figures per unit equal the
// records' (a unit missing from one side counts as all zero), and counts
// in nonzero the measures that were compared non-zero.
func compareFigures(t *testing.T, what string, want, got map[string]*zsbot.Figures, nonzero map[string]int) {
	t.Helper()
	zero := figureLine(nil)
	for u, w := range want {
		if a, b := figureLine(w), figureLine(got[u]); a != b {
			t.Errorf("%s unit %q:\nrecords    %s\naggregates %s", what, u, a, b)
		}
		for m, ok := range map[string]bool{"signed": w.Signed() > 0, "band": w.Count(zsbot.Tier{Lo: zsbot.Major}) > 0, "agreed": w.Agreed > 0,
			"funds": w.Funds > 0, "started": w.Started > 0, "visited": w.Visited > 0, "converted": w.Converted > 0, "done": w.TasksDone > 0} {
			if ok {
				nonzero[m]++
			}
		}
	}
	for u, g := range got {
		if want[u] == nil && figureLine(g) != zero {
			t.Errorf("%s unit %q: aggregates %s, no records", what, u, figureLine(g))
		}
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
	rdb.ZAdd(ctx, "zs:{test}:aggv:E1", redis.Z{Score: 20250101, Member: "A9"})
	d, err := db.RebuildAggregates(ctx, true)
	if err != nil || len(d) != 3 {
		t.Fatalf("corrupted: %q, %v; want three differences", d, err)
	}
	if d, err := db.RebuildAggregates(ctx, false); err != nil || len(d) != 0 {
		t.Fatalf("after the repair: %v, %v", d, err)
	}
	march := [2]zsbot.Date{20250301, 20250331}
	d2, err := db.Aggregates(ctx, true, march)
	if err != nil {
		t.Fatal(err)
	}
	bureau, units := d2.Figures(march[0], march[1], nil)[""], d2.Figures(march[0], march[1], zsbot.ByOfficer)
	if bureau.Visits != 1 || bureau.Visited != 1 || bureau.Receptions != 1 || units["u1"].Visited != 1 || units["u2"].Receptions != 1 {
		t.Fatalf("March after the repair: %s; u1 %s; u2 %s", figureLine(bureau), figureLine(units["u1"]), figureLine(units["u2"]))
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
	year, march := [2]zsbot.Date{20250101, 20251231}, [2]zsbot.Date{20250301, 20250331}
	d, err := e.Aggregates(ctx, false, year, march)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Figures(year[0], year[1], nil)[""]; got.Visits != 1 || got.Visited != 1 || got.Promotions != 0 {
		t.Fatalf("2025: %s", figureLine(got))
	}
	if got := d.Figures(march[0], march[1], nil)[""]; figureLine(got) != figureLine(nil) {
		t.Fatalf("March after the visit moved to April: %s", figureLine(got))
	}
}

// TestTargetsOfYear: Targets reads the year's targets from their index by
// year; a store from before that index (no aggregates' version, no index)
// reads every target, and its migration fills the index.
func TestTargetsOfYear(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustDB(t)
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "admin", Raw: "目标"}}
	for _, tg := range []*zsbot.Target{{Year: 2024, Metric: "签约项目", Value: 120}, {Year: 2024, Metric: "协议引资", Value: int64(900 * zsbot.Yi)},
		{Year: 2025, Metric: "签约项目", Value: 130}} {
		c.Add(nil, tg)
	}
	mustApply(t, db, c)
	show := func(what string) string {
		ts, err := db.Targets(ctx, 2024)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var out []string
		for _, tg := range ts {
			out = append(out, fmt.Sprintf("%d %s %d", tg.Year, tg.Metric, tg.Value))
		}
		return fmt.Sprint(out)
	}
	want := "[2024 协议引资 9000000 2024 签约项目 120]"
	if got := show("indexed"); got != want {
		t.Fatalf("indexed: %s, want %s", got, want)
	}
	rdb := db.Client()
	rdb.Del(ctx, "zs:{test}:aggversion", "zs:{test}:idx:target")
	if got := show("before the migration"); got != want {
		t.Fatalf("before the migration: %s, want %s", got, want)
	}
	if built, err := db.MigrateAggregates(ctx); err != nil || !built {
		t.Fatalf("migrate: %v %v", built, err)
	}
	if n := rdb.ZCard(ctx, "zs:{test}:idx:target").Val(); n != 3 {
		t.Fatalf("the migration indexed %d targets, want 3", n)
	}
	if got := show("after the migration"); got != want {
		t.Fatalf("after the migration: %s, want %s", got, want)
	}
}
