package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
	"zsbot/report"
)

func (h *handlers) targetVerb() *Verb {
	v := &Verb{Name: "目标", Aliases: []string{"target", "targets"}, Access: Leader,
		Usage: "目标 <年份>（列出进度）/ 目标 <年份> <园区>（园区目标进度）；管理员：目标 <年份> [园区] <指标> <数值> / 目标 <年份> [园区] <指标> 删除 / " +
			"目标 <年份> 权重 <考核项> <分值>。指标：签约项目、协议引资、50亿级项目、10亿级项目（任意N亿级）、签约落地转化率、资金到位、开工项目、" +
			"拜访（按企业家数）、接待等",
		Example: "目标 2025 50亿级项目 2", Brief: "年度目标进度（领导、管理员）；设定目标和考核权重（管理员）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.target(ctx, r, v) })
	return v
}

func (h *handlers) target(ctx context.Context, r *Request, v *Verb) (string, error) {
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	year, words := r.Today.Year(), r.Words
	if len(words) > 0 {
		if y, ok := parseYear(words[0]); ok {
			year, words = y, words[1:]
		}
	}
	park := ""
	if len(words) > 0 && words[0] != "权重" {
		if _, metric := zsbot.LookupMetric(words[0]); !metric {
			people, err := report.LoadPeople(ctx, r.Tx)
			if err != nil {
				return "", err
			}
			list, err := loadParks(ctx, r.Tx)
			if err != nil {
				return "", err
			}
			if park = resolvePark(words[0], people, list); park != "" {
				words = words[1:]
			}
		}
	}
	switch {
	case len(words) == 0:
		return h.targetList(ctx, r, year, park)
	case !r.Sender.IsAdmin():
		return "", zsbot.Errorf(zsbot.EFORBIDDEN, "设定目标只限管理员使用；领导可发送「目标 %d」查看进度。", year)
	case words[0] == "权重" && len(words) == 3:
		return h.targetWeight(ctx, r, v, year, words[1], words[2])
	case len(words) != 2:
		return "", usageError(v, "请写明年份、指标和数值")
	}
	m, ok := zsbot.LookupMetric(words[0])
	if !ok {
		return "", usageError(v, fmt.Sprintf("不认识的指标「%s」", clip(words[0], 20)))
	}
	metric := m.Name
	if park != "" {
		metric = zsbot.ParkTargetMetric(park, m.Name)
	}
	if words[1] == "删除" {
		return h.putTarget(ctx, r, year, metric, 0, "")
	}
	val, err := targetValue(m, words[1])
	if err != nil {
		return "", err
	}
	return h.putTarget(ctx, r, year, metric, val, report.TargetValue(m, val))
}

// targetValue reads a target's value in its metric's unit.
func targetValue(m zsbot.Metric, w string) (int64, error) {
	switch m.Kind {
	case zsbot.MetricMoney:
		amount, _, err := parse.ParseMoney(w)
		return int64(amount), err
	case zsbot.MetricRate:
		n, err := strconv.Atoi(strings.TrimSuffix(w, "%"))
		if err != nil || n < 1 || n > 100 {
			return 0, zsbot.Errorf(zsbot.EINVALID, "%s要写成1到100的整数百分比，例如：目标 2025 转化率 50%%", m.Name)
		}
		return int64(n), nil
	}
	n, ok := parse.ParseCount(w, "")
	if !ok && m.Unit != "" {
		n, ok = parse.ParseCount(w, m.Unit)
	}
	if !ok {
		n, ok = parse.ParseCount(w, "个")
	}
	if !ok {
		return 0, zsbot.Errorf(zsbot.EINVALID, "%s的目标要写成正整数，例如：目标 2025 %s 20", m.Name, m.Name)
	}
	return int64(n), nil
}

// targetWeight sets one part's weight in the year's 季度考核.
func (h *handlers) targetWeight(ctx context.Context, r *Request, v *Verb, year int, part, points string) (string, error) {
	name := zsbot.WeightPart(part)
	if name == "" {
		return "", usageError(v, fmt.Sprintf("考核项「%s」不能计分，可用：签约项目、协议引资、开工项目、资金到位、任务按时完成、拜访、接待", clip(part, 20)))
	}
	n, err := strconv.Atoi(points)
	if err != nil || n < 0 || n > 100 {
		return "", zsbot.Errorf(zsbot.EINVALID, "权重要写成0到100的整数，例如：目标 %d 权重 签约项目 30", year)
	}
	return h.putTarget(ctx, r, year, zsbot.WeightPrefix+name, int64(n), fmt.Sprintf("%d分", n))
}

// putTarget stores (value > 0) or removes (0) one target, audited.
func (h *handlers) putTarget(ctx context.Context, r *Request, year int, metric string, value int64, shown string) (string, error) {
	targets, err := r.Tx.Targets(ctx, year)
	if err != nil {
		return "", err
	}
	var before *zsbot.Target
	for _, t := range targets {
		if t.Metric == metric {
			before = t
		}
	}
	label := targetLabel(metric)
	if value == 0 && before == nil {
		return fmt.Sprintf("%d年没有设定「%s」。", year, label), nil
	}
	c := r.change("目标 "+zsbot.TargetID(year, metric), "")
	if value == 0 {
		c.Add(before, nil)
	} else {
		c.Add(before, &zsbot.Target{Year: year, Metric: metric, Value: value})
	}
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	if value == 0 {
		return fmt.Sprintf("已删除%d年目标「%s」。\n%s", year, label, undoHint), nil
	}
	verb := "已设定"
	if before != nil {
		verb = "已更新"
	}
	return fmt.Sprintf("%s%d年目标：%s %s。发送「目标 %d」查看进度。\n%s", verb, year, label, shown, year, undoHint), nil
}

// targetLabel names a stored target's metric for a reply: "考核权重 签约项目",
// "双福园区 签约项目".
func targetLabel(metric string) string {
	s := strings.Replace(metric, zsbot.WeightPrefix, "考核权重 ", 1)
	if rest, ok := strings.CutPrefix(s, zsbot.ParkTargetPrefix); ok {
		park, m, _ := strings.Cut(rest, "/")
		s = park + " " + m
	}
	return s
}

// targetList lists the year's targets with their progress and the weights;
// the parks' own targets follow, each park's against its own figures. With
// park it lists that park's targets only.
func (h *handlers) targetList(ctx context.Context, r *Request, year int, park string) (string, error) {
	asOf := min(r.Today, zsbot.NewDate(year, 12, 31))
	if year > r.Today.Year() {
		asOf = zsbot.NewDate(year, 1, 1)
	}
	rep, err := report.LoadReport(ctx, r.Tx, zsbot.NewDate(year, 1, 1), asOf)
	if err != nil {
		return "", err
	}
	plan := year > r.Today.Year()
	if park != "" {
		u := rep.ForUnit(true, park)
		if len(u.Progress) == 0 {
			return fmt.Sprintf("%d年还没有设定%s的目标。例如：目标 %d %s 签约项目 30", year, park, year, park), nil
		}
		lines := []string{fmt.Sprintf("%s %d年目标（截至%s，时间进度%s）：", park, year, asOf.Short(), zsbot.Elapsed(asOf).Percent())}
		for _, p := range u.Progress {
			lines = append(lines, progressOrPlan(p, plan))
		}
		return strings.Join(lines, "\n"), nil
	}
	parks := targetParks(rep.Targets)
	if len(rep.Progress) == 0 && len(parks) == 0 {
		return fmt.Sprintf("%d年还没有设定目标。例如：目标 %d 50亿级项目 2、目标 %d 到位资金 300亿、目标 %d 转化率 50%%", year, year, year, year), nil
	}
	lines := []string{fmt.Sprintf("%d年目标（截至%s，时间进度%s）：", year, asOf.Short(), zsbot.Elapsed(asOf).Percent())}
	if plan {
		lines[0] = fmt.Sprintf("%d年目标（尚未开始）：", year)
	}
	for _, p := range rep.Progress {
		lines = append(lines, progressOrPlan(p, plan))
	}
	for _, park := range parks {
		lines = append(lines, park+"：")
		for _, p := range rep.ForUnit(true, park).Progress {
			lines = append(lines, "　"+progressOrPlan(p, plan))
		}
	}
	lines = append(lines, "季度考核权重："+report.WeightText(zsbot.WeightsFor(rep.Targets)))
	return strings.Join(lines, "\n"), nil
}

// targetParks lists the parks with targets of their own, sorted.
func targetParks(targets []*zsbot.Target) []string {
	var parks []string
	for _, t := range targets {
		if p := zsbot.ParkOfTarget(t); p != "" && !slices.Contains(parks, p) {
			parks = append(parks, p)
		}
	}
	slices.Sort(parks)
	return parks
}

// progressOrPlan shows a target's progress, or only its value for a year
// not yet begun.
func progressOrPlan(p zsbot.Progress, plan bool) string {
	if plan {
		return p.Metric.Name + "：" + report.TargetValue(p.Metric, p.Target.Value)
	}
	return report.ProgressLine(p, "（滞后）")
}

// parseYear reads "2025" or "2025年".
func parseYear(w string) (int, bool) {
	s := strings.TrimSuffix(w, "年")
	if len(s) != 4 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	y, _ := strconv.Atoi(s)
	return y, y >= 2000 && y <= 2100
}
