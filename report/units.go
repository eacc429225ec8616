package report

import (
	"fmt"
	"sort"
	"strings"

	"zsbot"
)

// ForUnit narrows the report to one park (parks true) or officer, keyed as
// Parks and Officers key them: the period's and the year's figures and the
// conversion of that unit alone, computed by zsbot.ComputeBy from the same
// ledger (so the units add up to the bureau), and a park's progress against
// its own targets (zsbot.ParkTargets). An officer has no targets.
func (r *Report) ForUnit(parks bool, key string) *Report {
	unit := r.UnitFunc(parks)
	pick := func(m map[string]*zsbot.Figures, from, to zsbot.Date) *zsbot.Figures {
		if f := m[key]; f != nil {
			return f
		}
		return &zsbot.Figures{From: from, To: to}
	}
	u := *r
	u.Period = pick(r.src.figures(r.From, r.To, unit), r.From, r.To)
	u.Targets, u.Progress = nil, nil
	if r.Year == nil {
		return &u
	}
	first := zsbot.YearStart(r.To)
	u.Year = u.Period
	if r.From != first {
		u.Year = pick(r.src.figures(first, r.To, unit), first, r.To)
	}
	u.Conv = r.src.conversion(r.To, unit)[key]
	u.Conv.AsOf = r.To
	if parks {
		u.Targets = zsbot.ParkTargets(r.Targets, key)
		u.Progress = zsbot.TargetProgress(u.Targets, u.Year, u.Conv)
	}
	return &u
}

// ParkNames returns the parks as the figures key them: with a closed list,
// the listed parks; else every park of a registered person, written as the
// register writes it; sorted.
func ParkNames(people map[string]*zsbot.Person, list []*zsbot.Park) []string {
	if len(list) > 0 {
		out := make([]string, len(list))
		for i, p := range list {
			out[i] = p.Name
		}
		sort.Strings(out)
		return out
	}
	unit := ParkUnit(people, nil)
	seen := map[string]bool{}
	var out []string
	for _, p := range people {
		if p.Park == "" {
			continue
		}
		if k := unit(nil, p.UserID); k != zsbot.NoPark && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// MeasuresLine is one unit's figures in every measure of 统计, compactly:
// "双福园区：签约3个/25亿元，开工2个（市外1个），到位5亿元（市外4亿元），拜访4次（3家），接待2批次，推介1场".
func MeasuresLine(name string, f *zsbot.Figures) string {
	return fmt.Sprintf("%s：签约%d个/%s，开工%d个（市外%d个），到位%s（市外%s），拜访%d次（%d家），接待%d批次，推介%d场",
		name, f.Signed(), Amount(f.Agreed), f.Started, f.StartedOut, Amount(f.Funds), Amount(f.FundsOut),
		f.Visits, f.Visited, f.Receptions, f.Promotions)
}

// ParksText is the reply to 统计 各园区: one line per park (records of no
// park on a line of their own), by 协议引资, then the bureau's line, which
// the parks' lines add up to (拜访的家数 excepted: one company visited by
// two parks is one company of the bureau). limit bounds the reply in bytes.
func ParksText(r *Report, label string, limit int) string {
	lines := []string{label + "各园区招商统计："}
	total := MeasuresLine("全区合计", r.Period)
	note := "（各园区之和等于全区合计；拜访家数按企业去重，两个园区拜访同一企业时全区只计一家。）"
	parks := r.Parks()
	size := len(lines[0]) + len(total) + len(note) + 2
	for _, u := range parks {
		l := MeasuresLine(u.Name, u.Figures)
		if size+len(l)+1 > limit-32 {
			lines = append(lines, fmt.Sprintf("…共%d个园区", len(parks)))
			break
		}
		size += len(l) + 1
		lines = append(lines, l)
	}
	return strings.Join(append(lines, total, note), "\n")
}
