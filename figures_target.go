package zsbot

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// MetricKind says how a metric is counted and compared with its target.
type MetricKind int

// The kinds of metric.
const (
	MetricCount MetricKind = iota // projects, visits, batches: cumulative
	MetricMoney                   // 万元: cumulative
	MetricRate                    // a percentage: compared as it stands
)

// Metric is a figure that may carry a yearly target (年度目标).
type Metric struct {
	Name  string // canonical: 签约项目, 协议引资, 50亿级项目 …
	Kind  MetricKind
	Unit  string // of counts: 个, 家, 批次, 场
	Tier  Money  // "N亿级项目": the band's lower bound, else 0
	value func(y *Figures, c Conversion) Ratio
}

func count(f func(y *Figures) int) func(*Figures, Conversion) Ratio {
	return func(y *Figures, _ Conversion) Ratio { return Ratio{int64(f(y)), 1} }
}

func money(f func(y *Figures) Money) func(*Figures, Conversion) Ratio {
	return func(y *Figures, _ Conversion) Ratio { return Ratio{int64(f(y)), 1} }
}

// Metrics are the metrics a target may name, in the order reports list
// them, each with the synonyms admins type. "N亿级项目" (any N) is a tier
// metric besides these.
var Metrics = []struct {
	Metric
	Synonyms []string
}{
	{Metric{"签约项目", MetricCount, "个", 0, count((*Figures).Signed)}, []string{"签约", "签约数", "签约项目数"}},
	{Metric{"协议引资", MetricMoney, "", 0, money(func(y *Figures) Money { return y.Agreed })}, []string{"引资", "协议引资额", "协议投资"}},
	{Metric{"开工项目", MetricCount, "个", 0, count(func(y *Figures) int { return y.Started })}, []string{"开工", "开工数", "开工项目数"}},
	{Metric{"新开工市外项目", MetricCount, "个", 0, count(func(y *Figures) int { return y.StartedOut })}, []string{"市外开工", "市外开工项目"}},
	{Metric{"签约落地转化率", MetricRate, "", 0, func(_ *Figures, c Conversion) Ratio { return c.Rate() }}, []string{"转化率", "落地转化率", "开工率", "签约转化率"}},
	{Metric{"市外项目开工率", MetricRate, "", 0, func(_ *Figures, c Conversion) Ratio { return c.RateOut() }}, []string{"市外开工率"}},
	{Metric{"资金到位", MetricMoney, "", 0, money(func(y *Figures) Money { return y.Funds })}, []string{"到位资金", "到位", "实际到位资金", "到位金额"}},
	{Metric{"市外资金到位", MetricMoney, "", 0, money(func(y *Figures) Money { return y.FundsOut })}, []string{"市外到位资金", "市外项目资金到位"}},
	{Metric{"拜访", MetricCount, "家", 0, count(func(y *Figures) int { return y.Visited })}, []string{"拜访企业", "拜访客商"}},
	{Metric{"接待", MetricCount, "批次", 0, count(func(y *Figures) int { return y.Receptions })}, []string{"接待批次", "接待客商"}},
	{Metric{"推介活动", MetricCount, "场", 0, count(func(y *Figures) int { return y.Promotions })}, []string{"推介"}},
}

// DefaultTargetTiers are the lower bounds of the target tiers 10亿级 and
// 50亿级; a target named "N亿级项目" adds a bound, and each tier runs from
// its bound to the next (so 10亿级 is ≥10亿 and <50亿).
var DefaultTargetTiers = []Money{10 * Yi, 50 * Yi}

// LookupMetric returns the metric a name or synonym denotes: "转化率" is
// 签约落地转化率, "50亿级" is 50亿级项目. It reports false for anything else.
func LookupMetric(name string) (Metric, bool) {
	for _, m := range Metrics {
		if name == m.Name || slices.Contains(m.Synonyms, name) {
			return m.Metric, true
		}
	}
	if n, ok := tierBound(name); ok {
		return Metric{Name: strconv.FormatInt(int64(n/Yi), 10) + "亿级项目", Kind: MetricCount, Unit: "个", Tier: n}, true
	}
	return Metric{}, false
}

// tierBound reads "50亿级", "50亿级项目" or "50亿元级项目" (1 to 1000亿).
func tierBound(name string) (Money, bool) {
	s := strings.TrimSuffix(strings.TrimSuffix(name, "项目"), "级")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "元"), "亿")
	if s == name || s == "" || len(s) > 4 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	if n < 1 || n > 1000 || !strings.HasSuffix(strings.TrimSuffix(name, "项目"), "级") {
		return 0, false
	}
	return Money(n) * Yi, true
}

// TargetTier returns the band of tier metric m among the year's targets.
func TargetTier(m Metric, targets []*Target) Tier {
	hi := Money(0)
	for _, b := range tierBounds(targets) {
		if b > m.Tier && (hi == 0 || b < hi) {
			hi = b
		}
	}
	return Tier{Label: m.Name, Lo: m.Tier, Hi: hi}
}

func tierBounds(targets []*Target) []Money {
	bounds := append([]Money(nil), DefaultTargetTiers...)
	for _, t := range targets {
		if m, ok := LookupMetric(t.Metric); ok && m.Tier != 0 {
			bounds = append(bounds, m.Tier)
		}
	}
	return bounds
}

// Progress is one target against the year to date.
type Progress struct {
	Target  *Target
	Metric  Metric
	Actual  Ratio    // count or 万元 over 1; for a rate metric the rate itself
	Elapsed Ratio    // share of the year gone
	Year    *Figures // the year-to-date figures it is measured on
}

// VisitMetric is the metric of the visit target. It counts companies
// visited (家, Figures.Visited), as the 季度考核's 拜访 part does; wherever
// it is shown the visits (次) are shown beside it.
const VisitMetric = "拜访"

// Done is the share of the target reached (of a rate: current ÷ target).
func (p Progress) Done() Ratio {
	if p.Metric.Kind == MetricRate {
		return Ratio{p.Actual.N * 100, p.Actual.D * p.Target.Value}
	}
	return Ratio{p.Actual.N, p.Target.Value}
}

// Behind reports "滞后": a cumulative figure below the elapsed share of the
// year, or a rate below its target.
func (p Progress) Behind() bool {
	if p.Metric.Kind == MetricRate {
		return p.Actual.D > 0 && p.Actual.Less(Ratio{p.Target.Value, 100})
	}
	return p.Done().Less(p.Elapsed)
}

// TargetProgress returns the progress of the year's targets (weights and
// unknown metrics skipped), in the order of Metrics, tiers largest first.
// year is the year-to-date figures and c the conversion as of year.To.
func TargetProgress(targets []*Target, year *Figures, c Conversion) []Progress {
	var out []Progress
	for _, t := range targets {
		m, ok := LookupMetric(t.Metric)
		if !ok || t.Value <= 0 {
			continue
		}
		p := Progress{Target: t, Metric: m, Elapsed: Elapsed(year.To), Year: year}
		if m.Tier != 0 {
			p.Actual = Ratio{int64(year.Count(TargetTier(m, targets))), 1}
		} else {
			p.Actual = m.value(year, c)
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return metricOrder(out[i].Metric) < metricOrder(out[j].Metric) })
	return out
}

// metricOrder lists 签约项目 first, then the tiers largest first, then the
// other metrics in the order of Metrics.
func metricOrder(m Metric) int {
	if m.Tier != 0 {
		return 2000 - int(m.Tier/Yi)
	}
	for i, x := range Metrics {
		if x.Name == m.Name && i == 0 {
			return 0
		} else if x.Name == m.Name {
			return 2000 + i
		}
	}
	return 3000
}

// ParkTargetPrefix starts the metric of a park's own target:
// "园区:双福园区/签约项目" is 双福园区's 签约项目 target. The bureau's
// progress skips such targets (their metric is no metric); ParkTargets
// reads them back.
const ParkTargetPrefix = "园区:"

// ParkTargetMetric is the stored metric of park's target for metric.
func ParkTargetMetric(park, metric string) string { return ParkTargetPrefix + park + "/" + metric }

// ParkTargets returns park's own targets among the year's, each as a
// target of its plain metric (copies), so TargetProgress and Rank read them
// as they read the bureau's.
func ParkTargets(targets []*Target, park string) []*Target {
	var out []*Target
	for _, t := range targets {
		rest, ok := strings.CutPrefix(t.Metric, ParkTargetPrefix+park+"/")
		if ok && park != "" && rest != "" {
			out = append(out, &Target{Year: t.Year, Metric: rest, Value: t.Value})
		}
	}
	return out
}

// ParkOfTarget returns the park a target is set for, or "" for the
// bureau's targets and weights.
func ParkOfTarget(t *Target) string {
	rest, ok := strings.CutPrefix(t.Metric, ParkTargetPrefix)
	if !ok {
		return ""
	}
	park, _, _ := strings.Cut(rest, "/")
	return park
}
