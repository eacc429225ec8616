package zsbot

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// ledger builds a Ledger the way storage does: the index lists name every
// project signed or started in [from, to]; records carry their own dates.
func ledger(from, to Date, ps []*Project, rest ...any) *Ledger {
	l := &Ledger{From: from, To: to, Projects: map[string]*Project{}}
	for _, p := range ps {
		l.Projects[p.ID] = p
		if p.SignedOn >= from && p.SignedOn <= to {
			l.Signed = append(l.Signed, p.ID)
		}
		if p.StartedOn >= from && p.StartedOn <= to {
			l.Started = append(l.Started, p.ID)
		}
	}
	for _, r := range rest {
		switch r := r.(type) {
		case *Increase:
			l.Increases = append(l.Increases, r)
		case *Payment:
			l.Payments = append(l.Payments, r)
		case *Activity:
			l.Activities = append(l.Activities, r)
		case *Task:
			l.TasksDone = append(l.TasksDone, r)
		}
	}
	return l
}

func signed(id string, on Date, amount Money, out bool) *Project {
	return &Project{ID: id, Name: "项目" + id, Park: "双福园区", Owner: "zhangsan", OutOfCity: out, SignedOn: on, Signed: amount, Amount: amount}
}

func TestTiers(t *testing.T) {
	var ps []*Project
	for i, yi := range []float64{9.99, 10, 19.99, 20, 49.99, 50, 99.99, 100, 150} {
		ps = append(ps, signed(fmt.Sprintf("P%d", i+1), 20240301, Money(math.Round(yi*float64(Yi))), true))
	}
	f := Compute(ledger(20240101, 20241231, ps), 20240101, 20241231)
	var got []int
	for _, tier := range SizeTiers {
		got = append(got, f.Count(tier))
	}
	if !slices.Equal(got, []int{2, 2, 2, 2}) || f.Count(Tier{Lo: Major}) != 8 || f.Signed() != 9 {
		t.Fatalf("tiers %v, 10亿以上 %d, signed %d; want [2 2 2 2], 8, 9", got, f.Count(Tier{Lo: Major}), f.Signed())
	}
}

func TestComputeIncreasesAndPeriods(t *testing.T) {
	old := signed("P1", 20231115, 8*Yi, true) // signed last year
	p2 := signed("P2", 20240310, 15*Yi, false)
	p3 := signed("P3", 20240320, 30*Yi, true)
	p3.StartedOn = 20240325
	old.StartedOn = 20240302
	l := ledger(20240101, 20241231, []*Project{old, p2, p3},
		&Increase{ID: "Z1", Project: "P2", Date: 20240315, Amount: 5 * Yi},  // in March: P2 reaches 20亿
		&Increase{ID: "Z2", Project: "P1", Date: 20240316, Amount: 2 * Yi},  // an old project's 增资
		&Increase{ID: "Z3", Project: "P3", Date: 20240601, Amount: 30 * Yi}, // after March
		&Payment{ID: "F1", Project: "P1", Date: 20240301, Amount: 35000},
		&Payment{ID: "F2", Project: "P2", Date: 20240331, Amount: 1000},
		&Payment{ID: "F3", Project: "P3", Date: 20240401, Amount: Yi},
	)
	t.Run("March", func(t *testing.T) {
		f := Compute(l, 20240301, 20240331)
		if f.Signed() != 2 || f.SignedOut() != 1 {
			t.Fatalf("signed %d (市外 %d), want 2 (1): 增资 never counts", f.Signed(), f.SignedOut())
		}
		if f.Agreed != 52*Yi || f.AgreedOut != 32*Yi {
			t.Fatalf("协议引资 %v (市外 %v), want 52亿 (32亿): 15+30 signed, 5+2 增资", f.Agreed, f.AgreedOut)
		}
		if f.Count(SizeTiers[0]) != 0 || f.Count(SizeTiers[1]) != 2 {
			t.Fatalf("P2 with its 增资 is 20亿 and P3 30亿 by the end of March: %+v", f.Signings)
		}
		if f.Started != 2 || f.StartedOut != 2 || f.Funds != 36000 || f.FundsOut != 35000 {
			t.Fatalf("started %d/%d funds %v/%v", f.Started, f.StartedOut, f.Funds, f.FundsOut)
		}
	})
	t.Run("Year", func(t *testing.T) {
		f := Compute(l, 20240101, 20241231)
		if f.Agreed != 82*Yi || f.Count(SizeTiers[2]) != 1 {
			t.Fatalf("协议引资 %v, 50-100亿 %d: want 82亿 and P3 at 60亿", f.Agreed, f.Count(SizeTiers[2]))
		}
	})
}

func TestActivitiesAndUnits(t *testing.T) {
	p := signed("P1", 20240110, 10*Yi, true)
	p.Park = "珞璜"
	l := ledger(20240101, 20241231, []*Project{p},
		&Activity{ID: "A1", Kind: KindVisit, Date: 20240105, Company: "E1", Project: "P1", By: "wangwu"},
		&Activity{ID: "A2", Kind: KindVisit, Date: 20240106, Company: "E1", By: "wangwu"},
		&Activity{ID: "A3", Kind: KindVisit, Date: 20240107, Company: "E2", By: "zhangsan"},
		&Activity{ID: "A4", Kind: KindReception, Date: 20240108, Company: "E2", By: "zhangsan"},
		&Activity{ID: "A5", Kind: KindPromotion, Date: 20240109, By: "li"},
		&Activity{ID: "A6", Kind: KindTalk, Date: 20240109, Project: "P1", By: "wangwu"},
		&Activity{ID: "A7", Kind: KindReview, Date: 20240109, Project: "P1", By: "wangwu"},
		&Task{ID: "T1", Project: "P1", Due: 20240201, DoneOn: 20240201, Assignee: "wangwu"},
		&Task{ID: "T2", Project: "P1", Due: 20240201, DoneOn: 20240202, Assignee: "wangwu"},
	)
	f := Compute(l, 20240101, 20241231)
	if f.Visits != 3 || f.Visited != 2 || f.Receptions != 1 || f.Promotions != 1 || f.TasksDone != 2 || f.TasksOnTime != 1 {
		t.Fatalf("figures %+v", f)
	}
	parks := ComputeBy(l, 20240101, 20241231, ByPark(map[string]string{"zhangsan": "双福园区", "wangwu": "珞璜园区"}))
	if parks["珞璜"].Visits != 1 || parks["珞璜园区"].Visits != 1 || parks["双福园区"].Receptions != 1 || parks[NoPark].Promotions != 1 {
		t.Fatalf("by park: a record counts for its project's park, else its officer's: %v", keys(parks))
	}
	officers := ComputeBy(l, 20240101, 20241231, ByOfficer)
	if officers["wangwu"].Visits != 2 || officers["wangwu"].Visited != 1 || officers["zhangsan"].Signed() != 1 {
		t.Fatalf("by officer: %v", keys(officers))
	}
}

func keys(m map[string]*Figures) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestConvert(t *testing.T) {
	a := signed("P1", 20240110, Yi, true)
	a.StartedOn = 20240601
	b := signed("P2", 20240210, Yi, true)
	b.StartedOn = 20250105 // after the report date
	c := signed("P3", 20240310, Yi, false)
	c.StartedOn = 20240311
	d := signed("P4", 20231201, Yi, true) // last year's signing
	d.StartedOn = 20240101
	l := ledger(20240101, 20241231, []*Project{a, b, c, d})
	conv := Convert(l, 20241231)
	if conv.Signed != 3 || conv.Started != 2 || conv.SignedOut != 2 || conv.StartOut != 1 {
		t.Fatalf("conversion %+v", conv)
	}
	if conv.Rate().Percent() != "66.7%" || conv.RateOut().Percent() != "50.0%" {
		t.Fatalf("rates %s %s", conv.Rate().Percent(), conv.RateOut().Percent())
	}
	if mid := Convert(l, 20240531); mid.Signed != 3 || mid.Started != 1 {
		t.Fatalf("as of 31 May: %+v", mid)
	}
}

func TestRatio(t *testing.T) {
	for _, tc := range []struct {
		r    Ratio
		want string
	}{
		{Ratio{26, 37}, "70.3%"}, {Ratio{1, 3}, "33.3%"}, {Ratio{2, 3}, "66.7%"}, {Ratio{1, 16}, "6.3%"},
		{Ratio{0, 5}, "0.0%"}, {Ratio{5, 5}, "100.0%"}, {Ratio{0, 0}, "—"}, {Ratio{121, 120}, "100.8%"},
	} {
		if got := tc.r.Percent(); got != tc.want {
			t.Errorf("%d/%d = %s, want %s", tc.r.N, tc.r.D, got, tc.want)
		}
	}
	for d, want := range map[Date]Ratio{20241231: {366, 366}, 20240229: {60, 366}, 20250702: {183, 365}, 20250101: {1, 365}} {
		if got := Elapsed(d); got != want {
			t.Errorf("Elapsed(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestLookupMetric(t *testing.T) {
	for name, want := range map[string]string{
		"签约项目": "签约项目", "签约": "签约项目", "到位资金": "资金到位", "实际到位资金": "资金到位", "转化率": "签约落地转化率",
		"开工率": "签约落地转化率", "50亿级": "50亿级项目", "50亿级项目": "50亿级项目", "30亿元级项目": "30亿级项目", "接待批次": "接待",
	} {
		if m, ok := LookupMetric(name); !ok || m.Name != want {
			t.Errorf("LookupMetric(%q) = %q, %v; want %q", name, m.Name, ok, want)
		}
	}
	for _, bad := range []string{"50亿", "0亿级", "亿级项目", "五十亿级", "利润"} {
		if m, ok := LookupMetric(bad); ok {
			t.Errorf("LookupMetric(%q) = %q", bad, m.Name)
		}
	}
}

func TestTargetProgress(t *testing.T) {
	var ps []*Project
	for i, yi := range []Money{12, 35, 60, 8} {
		ps = append(ps, signed(fmt.Sprintf("P%d", i+1), 20240301, yi*Yi, true))
	}
	ps[0].StartedOn = 20240401
	l := ledger(20240101, 20240630, ps)
	year := Compute(l, 20240101, 20240630)
	targets := []*Target{
		{2024, "资金到位", 300 * int64(Yi)}, {2024, "10亿级项目", 5}, {2024, "签约项目", 4},
		{2024, "30亿级项目", 1}, {2024, "50亿级项目", 1}, {2024, "签约落地转化率", 50}, {2024, WeightPrefix + "签约项目", 40},
	}
	var got []string
	for _, p := range TargetProgress(targets, year, Convert(l, 20240630)) {
		got = append(got, fmt.Sprintf("%s %d/%d %s %v", p.Metric.Name, p.Actual.N, p.Actual.D, p.Done().Percent(), p.Behind()))
	}
	want := []string{
		"签约项目 4/1 100.0% false",   // ahead of half a year
		"50亿级项目 1/1 100.0% false", // P3 (60亿)
		"30亿级项目 1/1 100.0% false", // P2 (35亿): 30亿级 runs to 50亿
		"10亿级项目 1/1 20.0% true",   // P1 (12亿) only: 10亿级 now stops at 30亿
		"签约落地转化率 1/4 50.0% true",  // 25% against 50%
		"资金到位 0/1 0.0% true",      //
	}
	if !slices.Equal(got, want) {
		t.Fatalf("progress:\n%q\nwant\n%q", got, want)
	}
}

func TestRank(t *testing.T) {
	units := map[string]*Figures{
		"双福园区": {Signings: make([]Signing, 3), Agreed: 40 * Yi, Started: 1, Funds: 5 * Yi, TasksDone: 2, TasksOnTime: 2},
		"珞璜园区": {Signings: make([]Signing, 1), Agreed: 80 * Yi, Started: 0, Funds: 20 * Yi, TasksDone: 1, TasksOnTime: 0},
	}
	late := map[string]int{"珞璜园区": 1}
	targets := []*Target{{2024, "签约项目", 16}, {2024, "资金到位", 80 * int64(Yi)}, {2024, WeightPrefix + "开工项目", 0}}
	weights := WeightsFor(targets)
	if len(weights) != 4 || weights[2].Part != "资金到位" {
		t.Fatalf("weights %v: 开工项目 dropped by a 0 weight", weights)
	}
	scores := Rank(units, late, targets, weights, Ratio{1, 4})
	// Share of a quarter per park: 签约 16/4/2 = 2, 到位 80亿/4/2 = 10亿; 协议引资
	// has no target, so the best park (80亿) is full marks.
	// 双福: 30×1 + 20×0.5 + 20×0.5 + 10×1 = 60; 珞璜: 30×0.5 + 20 + 20 + 10×0 = 55.
	if scores[0].Unit != "双福园区" || math.Abs(scores[0].Points-60) > 1e-9 || math.Abs(scores[1].Points-55) > 1e-9 {
		t.Fatalf("scores %s %.2f, %s %.2f", scores[0].Unit, scores[0].Points, scores[1].Unit, scores[1].Points)
	}
	if WeightPart("任务") != PartOnTime || WeightPart("转化率") != "" || WeightPart("签约") != "签约项目" {
		t.Error("WeightPart")
	}
}
