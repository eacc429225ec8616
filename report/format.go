package report

import (
	"fmt"
	"strconv"
	"strings"

	"zsbot"
)

// The sentences below render zsbot.Figures the way the bureau writes them;
// 统计 (text), every notice (markdown) and the export share them, so a
// figure reads the same everywhere.

// Amount shows money as the bureau does ("51亿元", "3000万元"), zero as "0亿元".
func Amount(m zsbot.Money) string {
	if m == 0 {
		return "0亿元"
	}
	return m.String()
}

// SigningLine is the year-end report's sentence: "签约项目121个，协议引资966亿元，
// 其中10-20亿元项目4个、20-50亿元项目6个、50-100亿元项目4个" (empty tiers left
// out), with the count of 10亿元以上 projects after it.
func SigningLine(f *zsbot.Figures) string {
	s := fmt.Sprintf("签约项目%d个，协议引资%s", f.Signed(), Amount(f.Agreed))
	var tiers []string
	for _, t := range zsbot.SizeTiers {
		if n := f.Count(t); n > 0 {
			tiers = append(tiers, fmt.Sprintf("%s项目%d个", t.Label, n))
		}
	}
	if len(tiers) > 0 {
		s += "，其中" + strings.Join(tiers, "、")
		s += fmt.Sprintf("（10亿元以上项目%d个）", f.Count(zsbot.Tier{Lo: zsbot.Major}))
	}
	return s
}

// StartLine: "开工项目48个，其中新开工市外项目37个".
func StartLine(f *zsbot.Figures) string {
	return fmt.Sprintf("开工项目%d个，其中新开工市外项目%d个", f.Started, f.StartedOut)
}

// ConversionLine: "签约落地转化率60.3%（本年签约121个，已开工73个），市外项目开工率70.3%（37个中26个）".
func ConversionLine(c zsbot.Conversion) string {
	return fmt.Sprintf("签约落地转化率%s（本年签约%d个，已开工%d个），市外项目开工率%s（%d个中%d个）",
		c.Rate().Percent(), c.Signed, c.Started, c.RateOut().Percent(), c.SignedOut, c.StartOut)
}

// FundsLine: "资金到位200亿元，其中市外项目资金到位162.7亿元".
func FundsLine(f *zsbot.Figures) string {
	return fmt.Sprintf("资金到位%s，其中市外项目资金到位%s", Amount(f.Funds), Amount(f.FundsOut))
}

// ActivityLine: "拜访5次（4家），接待3批次，推介活动1场".
func ActivityLine(f *zsbot.Figures) string {
	return fmt.Sprintf("拜访%d次（%d家），接待%d批次，推介活动%d场", f.Visits, f.Visited, f.Receptions, f.Promotions)
}

// UnitLine is one park's or officer's row: "双福园区：签约3个/25亿元，开工2个，到位5亿元，拜访4次，接待2批次".
func UnitLine(u Unit) string {
	return fmt.Sprintf("%s：签约%d个/%s，开工%d个，到位%s，拜访%d次，接待%d批次",
		u.Name, u.Signed(), Amount(u.Agreed), u.Started, Amount(u.Funds), u.Visits, u.Receptions)
}

// ProgressLine renders one target: "签约项目：121/120个，完成100.8%",
// "资金到位：162.7亿元/300亿元，完成54.2%", "签约落地转化率：60.3%/目标50%",
// "拜访（按企业家数）：4/200家，完成2.0%（共拜访5次）";
// behind is appended when the target is behind pace.
func ProgressLine(p zsbot.Progress, behind string) string {
	var s string
	switch {
	case p.Metric.Kind == zsbot.MetricRate:
		s = fmt.Sprintf("%s：%s/目标%d%%", p.Metric.Name, p.Actual.Percent(), p.Target.Value)
	case p.Metric.Kind == zsbot.MetricMoney:
		s = fmt.Sprintf("%s：%s/%s，完成%s", p.Metric.Name, Amount(zsbot.Money(p.Actual.N)), Amount(zsbot.Money(p.Target.Value)), p.Done().Percent())
	case p.Metric.Name == zsbot.VisitMetric && p.Year != nil:
		s = fmt.Sprintf("%s（按企业家数）：%d/%d%s，完成%s（共拜访%d次）", p.Metric.Name, p.Actual.N, p.Target.Value, p.Metric.Unit, p.Done().Percent(), p.Year.Visits)
	default:
		s = fmt.Sprintf("%s：%d/%d%s，完成%s", p.Metric.Name, p.Actual.N, p.Target.Value, p.Metric.Unit, p.Done().Percent())
	}
	if p.Behind() {
		s += behind
	}
	return s
}

// TargetValue shows a target's value in its metric's unit: "2个", "300亿元", "50%".
func TargetValue(m zsbot.Metric, v int64) string {
	switch m.Kind {
	case zsbot.MetricRate:
		return strconv.FormatInt(v, 10) + "%"
	case zsbot.MetricMoney:
		return Amount(zsbot.Money(v))
	}
	return strconv.FormatInt(v, 10) + m.Unit
}

// StatsText is the reply to 统计: the period's figures under label, the
// conversion as of its end, and the year's targets.
func StatsText(r *Report, label string) string {
	f := r.Period
	lines := []string{
		label + "招商统计：",
		SigningLine(f) + "；",
		StartLine(f) + "；",
		FundsLine(f) + "；",
		ActivityLine(f) + "。",
		fmt.Sprintf("截至%s，%s。", r.To.Chinese(), ConversionLine(r.Conv)),
	}
	if len(r.Progress) > 0 {
		lines = append(lines, fmt.Sprintf("%d年目标进度（时间进度%s）：", r.To.Year(), zsbot.Elapsed(r.To).Percent()))
		for _, p := range r.Progress {
			lines = append(lines, ProgressLine(p, "（滞后）"))
		}
	}
	return strings.Join(lines, "\n")
}

// WeightText lists weights: "签约项目30、协议引资20、…（满分100）".
func WeightText(weights []zsbot.Weight) string {
	parts := make([]string, 0, len(weights))
	total := 0
	for _, w := range weights {
		parts = append(parts, fmt.Sprintf("%s%d", w.Part, w.Points))
		total += w.Points
	}
	return fmt.Sprintf("%s（满分%d）", strings.Join(parts, "、"), total)
}
