package zsbot

import (
	"math"
	"sort"
	"strings"
)

// Weight is what one part of the quarterly assessment (季度考核) is worth.
// A part is a count or money metric (签约项目, 协议引资 …) or PartOnTime.
type Weight struct {
	Part   string
	Points int
}

// PartOnTime is the assessment part "tasks done on time".
const PartOnTime = "任务按时完成"

// WeightPrefix starts the metric of a target that sets a weight of the
// year's assessment: "权重/签约项目" with value 30.
const WeightPrefix = "权重/"

// DefaultWeights are the assessment's weights unless the year's targets
// set others: 签约 30, 协议引资 20, 开工 20, 资金到位 20, 任务按时完成 10.
var DefaultWeights = []Weight{{"签约项目", 30}, {"协议引资", 20}, {"开工项目", 20}, {"资金到位", 20}, {PartOnTime, 10}}

// WeightsFor returns the year's weights: the defaults, each overridden by a
// target named WeightPrefix+part (0 drops the part), plus any other part
// such a target names.
func WeightsFor(targets []*Target) []Weight {
	out := append([]Weight(nil), DefaultWeights...)
	for _, t := range targets {
		part, ok := strings.CutPrefix(t.Metric, WeightPrefix)
		if !ok {
			continue
		}
		i := len(out)
		for j, w := range out {
			if w.Part == part {
				i = j
			}
		}
		if i == len(out) {
			out = append(out, Weight{Part: part})
		}
		out[i].Points = int(t.Value)
	}
	kept := out[:0]
	for _, w := range out {
		if w.Points > 0 {
			kept = append(kept, w)
		}
	}
	return kept
}

// WeightPart returns the canonical part a weight names — PartOnTime (also
// "任务", "按时完成") or a count or money metric — or "" if it cannot be scored.
func WeightPart(name string) string {
	switch name {
	case PartOnTime, "任务", "按时完成", "任务按时":
		return PartOnTime
	}
	if m, ok := LookupMetric(name); ok && m.value != nil && m.Kind != MetricRate {
		return m.Name
	}
	return ""
}

// Score is one unit's assessment over a period.
type Score struct {
	Unit    string
	Figures *Figures
	Late    int       // tasks still open past their due date at the period's end
	Parts   []float64 // completion of each weight, 0 to 1
	Points  float64   // Σ weight × completion
}

// OnTime is the unit's share of tasks done on time: closed on time over
// closed plus still late; nothing due counts as all on time.
func (s *Score) OnTime() Ratio {
	return Ratio{int64(s.Figures.TasksOnTime), int64(s.Figures.TasksDone + s.Late)}
}

// Rank scores units and orders them best first (ties by name). Each part's
// completion is the unit's figure over its share of the year's target —
// share (¼ for a quarter) split evenly among the units, or share of the
// unit's own target when it is a park with one (ParkTargets) — capped at
// 100%; a part without a target is measured against the best unit.
func Rank(units map[string]*Figures, late map[string]int, targets []*Target, weights []Weight, share Ratio) []*Score {
	scores := make([]*Score, 0, len(units))
	for u, f := range units {
		scores = append(scores, &Score{Unit: u, Figures: f, Late: late[u]})
	}
	for _, w := range weights {
		common := partBasis(w.Part, scores, targets, share)
		for _, s := range scores {
			basis := common
			if own := ownBasis(w.Part, ParkTargets(targets, s.Unit), share); own > 0 {
				basis = own
			}
			c := 0.0
			switch r := s.OnTime(); {
			case w.Part == PartOnTime && r.D == 0:
				c = 1
			case w.Part == PartOnTime:
				c = float64(r.N) / float64(r.D)
			case basis > 0:
				c = math.Min(1, float64(partValue(w.Part, s.Figures))/basis)
			}
			s.Parts = append(s.Parts, c)
			s.Points += float64(w.Points) * c
		}
	}
	sort.Slice(scores, func(i, j int) bool {
		a, b := scores[i], scores[j]
		if math.Abs(a.Points-b.Points) > 1e-9 {
			return a.Points > b.Points
		}
		return a.Unit < b.Unit
	})
	return scores
}

// partValue is a unit's figure for a count or money part.
func partValue(part string, f *Figures) int64 {
	m, ok := LookupMetric(part)
	if !ok || m.value == nil || m.Kind == MetricRate {
		return 0
	}
	return m.value(f, Conversion{}).N
}

// ownBasis is what a park must reach for full marks on part by its own
// target (share of it), or 0 without one.
func ownBasis(part string, own []*Target, share Ratio) float64 {
	m, _ := LookupMetric(part)
	for _, t := range own {
		if tm, ok := LookupMetric(t.Metric); ok && tm.Name == m.Name && t.Value > 0 && share.D > 0 {
			return float64(t.Value) * float64(share.N) / float64(share.D)
		}
	}
	return 0
}

// partBasis is what a unit must reach for full marks on part: its share of
// the year's target, or without one the best unit's figure.
func partBasis(part string, scores []*Score, targets []*Target, share Ratio) float64 {
	m, _ := LookupMetric(part)
	for _, t := range targets {
		if tm, ok := LookupMetric(t.Metric); ok && tm.Name == m.Name && t.Value > 0 && len(scores) > 0 && share.D > 0 {
			return float64(t.Value) * float64(share.N) / float64(share.D) / float64(len(scores))
		}
	}
	best := int64(0)
	for _, s := range scores {
		best = max(best, partValue(part, s.Figures))
	}
	return float64(best)
}
