package zsbot

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// generatedYear is a year of records drawn at random (seeded): projects of
// three parks and none, owners of those parks and none, 增资, payments,
// activities with and without a project, tasks done on time and late.
func generatedYear(seed uint64) (*Ledger, map[string]string) {
	rng := rand.New(rand.NewPCG(seed, 7))
	parks := []string{"双福园区", "珞璜园区", "德感园区", ""}
	people := map[string]string{"zhangsan": "双福园区", "wangwu": "珞璜园区", "zhaoliu": "德感园区", "li": ""}
	users := []string{"zhangsan", "wangwu", "zhaoliu", "li", "stranger"}
	day := func() Date { return NewDate(2024, 1, 1).AddDays(rng.IntN(366)) }
	var ps []*Project
	var rest []any
	for i := range 300 {
		p := &Project{ID: fmt.Sprintf("P%d", i+1), Park: parks[rng.IntN(len(parks))], Owner: users[rng.IntN(len(users))],
			OutOfCity: rng.IntN(3) > 0}
		switch rng.IntN(5) {
		case 0: // signed last year
			p.SignedOn = NewDate(2023, 6, 1)
		case 1: // not signed
		default:
			p.SignedOn = day()
		}
		if !p.SignedOn.IsZero() {
			p.Signed = Money(rng.IntN(120)+1) * Yi / 2
			p.Amount = p.Signed
			if rng.IntN(2) == 0 {
				p.StartedOn = max(p.SignedOn, day())
			}
			if rng.IntN(4) == 0 {
				rest = append(rest, &Increase{ID: fmt.Sprintf("Z%d", i), Project: p.ID, Date: max(p.SignedOn, day()), Amount: Money(rng.IntN(10)+1) * Yi})
			}
			for j := range rng.IntN(3) {
				rest = append(rest, &Payment{ID: fmt.Sprintf("F%d-%d", i, j), Project: p.ID, Date: day(), Amount: Money(rng.IntN(50000) + 1)})
			}
		}
		ps = append(ps, p)
	}
	kinds := []ActivityKind{KindVisit, KindVisit, KindReception, KindPromotion, KindTalk}
	for i := range 600 {
		a := &Activity{ID: fmt.Sprintf("A%d", i+1), Kind: kinds[rng.IntN(len(kinds))], Date: day(), By: users[rng.IntN(len(users))],
			Company: fmt.Sprintf("E%d", rng.IntN(80)+1)}
		if rng.IntN(2) == 0 {
			a.Project = ps[rng.IntN(len(ps))].ID
		}
		rest = append(rest, a)
	}
	for i := range 200 {
		due := day()
		rest = append(rest, &Task{ID: fmt.Sprintf("T%d", i+1), Project: ps[rng.IntN(len(ps))].ID, Due: due,
			DoneOn: min(NewDate(2024, 12, 31), due.AddDays(rng.IntN(20)-10)), Assignee: users[rng.IntN(len(users))]})
	}
	return ledger(NewDate(2023, 1, 1), NewDate(2024, 12, 31), ps, rest...), people
}

// measures are the additive figures of f, by name.
func measures(f *Figures) map[string]int64 {
	return map[string]int64{
		"签约项目": int64(f.Signed()), "市外签约": int64(f.SignedOut()), "协议引资": int64(f.Agreed), "市外协议引资": int64(f.AgreedOut),
		"10-20亿": int64(f.Count(SizeTiers[0])), "20-50亿": int64(f.Count(SizeTiers[1])), "50-100亿": int64(f.Count(SizeTiers[2])),
		"100亿以上": int64(f.Count(SizeTiers[3])), "开工项目": int64(f.Started), "新开工市外项目": int64(f.StartedOut),
		"资金到位": int64(f.Funds), "市外资金到位": int64(f.FundsOut), "拜访次": int64(f.Visits), "接待": int64(f.Receptions),
		"推介": int64(f.Promotions), "任务完成": int64(f.TasksDone), "任务按时": int64(f.TasksOnTime),
	}
}

// TestUnitsAddUp checks that the figures per park and per officer add up
// to the bureau's for every measure and every period of a generated year:
// each month, quarter and half, the year, and spans across them. 拜访家
// counts distinct companies, so the units' sum is at least the bureau's
// (two parks may visit one company) and never more than the visits.
func TestUnitsAddUp(t *testing.T) {
	for seed := range uint64(3) {
		l, people := generatedYear(seed)
		var periods [][2]Date
		for m := 1; m <= 12; m++ {
			first := NewDate(2024, time.Month(m), 1)
			periods = append(periods, [2]Date{first, NewDate(2024, time.Month(m%12+1), 1).AddDays(-1)})
		}
		periods[11][1] = NewDate(2024, 12, 31)
		for q := range 4 {
			periods = append(periods, [2]Date{periods[3*q][0], periods[3*q+2][1]})
		}
		periods = append(periods, [2]Date{NewDate(2024, 1, 1), NewDate(2024, 6, 30)}, [2]Date{NewDate(2024, 7, 1), NewDate(2024, 12, 31)},
			[2]Date{NewDate(2024, 1, 1), NewDate(2024, 12, 31)}, [2]Date{NewDate(2024, 3, 17), NewDate(2024, 11, 2)},
			[2]Date{NewDate(2023, 12, 1), NewDate(2024, 12, 16)})
		for _, pd := range periods {
			whole := Compute(l, pd[0], pd[1])
			if whole.Signed() == 0 && pd[1]-pd[0] > 300 {
				t.Fatalf("seed %d: the generated year signs nothing in %v", seed, pd)
			}
			want := measures(whole)
			for name, unit := range map[string]Unit{"park": ByPark(people), "officer": ByOfficer} {
				sum := map[string]int64{}
				visited := 0
				for _, f := range ComputeBy(l, pd[0], pd[1], unit) {
					for k, v := range measures(f) {
						sum[k] += v
					}
					visited += f.Visited
				}
				for k, v := range want {
					if sum[k] != v {
						t.Errorf("seed %d %s–%s by %s: %s sums to %d, the bureau's is %d", seed, pd[0], pd[1], name, k, sum[k], v)
					}
				}
				if visited < whole.Visited || visited > whole.Visits {
					t.Errorf("seed %d %v by %s: 拜访 %d家 summed, bureau %d家 of %d次", seed, pd, name, visited, whole.Visited, whole.Visits)
				}
				conv, convs := Convert(l, pd[1]), ConvertBy(l, pd[1], unit)
				var c Conversion
				for _, u := range convs {
					c.Signed, c.Started, c.SignedOut, c.StartOut = c.Signed+u.Signed, c.Started+u.Started, c.SignedOut+u.SignedOut, c.StartOut+u.StartOut
				}
				c.AsOf = conv.AsOf
				if c != conv {
					t.Errorf("seed %d as of %s by %s: conversion counts sum to %+v, the bureau's %+v", seed, pd[1], name, c, conv)
				}
			}
		}
	}
}

func TestParkTargets(t *testing.T) {
	targets := []*Target{{2024, "签约项目", 16}, {2024, ParkTargetMetric("双福园区", "签约项目"), 4}, {2024, ParkTargetMetric("珞璜园区", "资金到位"), 100}}
	own := ParkTargets(targets, "双福园区")
	if len(own) != 1 || own[0].Metric != "签约项目" || own[0].Value != 4 || ParkOfTarget(targets[1]) != "双福园区" || ParkOfTarget(targets[0]) != "" {
		t.Fatalf("own targets %+v", own)
	}
	if p := TargetProgress(targets, &Figures{To: 20240630}, Conversion{}); len(p) != 1 || p[0].Target.Value != 16 {
		t.Fatalf("the bureau's progress reads a park's target: %+v", p)
	}
	units := map[string]*Figures{"双福园区": {Signings: make([]Signing, 1)}, "珞璜园区": {Signings: make([]Signing, 1)}}
	scores := Rank(units, nil, targets, []Weight{{"签约项目", 100}}, Ratio{1, 4})
	// 双福 by its own target: 1 of 4/4 = 100; 珞璜 by the bureau's share: 1 of 16/4/2 = 50.
	if scores[0].Unit != "双福园区" || scores[0].Points != 100 || scores[1].Points != 50 {
		t.Fatalf("scores %s %.1f, %s %.1f", scores[0].Unit, scores[0].Points, scores[1].Unit, scores[1].Points)
	}
}
