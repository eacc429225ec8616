package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zsbot"
	"zsbot/chart"
	"zsbot/report"
)

// LastQuarter returns the latest calendar quarter that has ended before today.
func LastQuarter(today zsbot.Date) (from, to zsbot.Date) {
	q := (int(today.Month()) - 1) / 3
	start := zsbot.NewDate(today.Year(), time.Month(3*q+1), 1)
	to = start.AddDays(-1)
	pq := (int(to.Month()) - 1) / 3
	return zsbot.NewDate(to.Year(), time.Month(3*pq+1), 1), to
}

// quarterShare is the share of a year's target one quarter carries.
var quarterShare = zsbot.Ratio{N: 1, D: 4}

// Quarterly is the name of 季度考核.
const Quarterly = "quarterly"

var quarterlyNotice = &Notice{Name: Quarterly, Short: "季度", Title: "季度考核", Aliases: []string{"考核"},
	Schedule: "40 9 1 1,4,7,10 *", To: ToBureau, build: buildQuarterly, chart: quarterlyChart}

// quarter is the last quarter's assessment: the report, the tasks still
// open at its end, the weights, and the parks and officers ranked.
type quarter struct {
	r               *report.Report
	from, to        zsbot.Date
	open            []*zsbot.Task
	weights         []zsbot.Weight
	parks, officers []*zsbot.Score
}

// loadQuarter scores the last quarter before now's day per park and per
// officer with the year's weights (and each park's own targets).
func loadQuarter(ctx context.Context, s zsbot.Store, now time.Time) (*quarter, error) {
	from, to := LastQuarter(zsbot.DateOf(now))
	r, err := report.LoadPeriod(ctx, s, from, to)
	if err != nil {
		return nil, err
	}
	open, err := s.OpenTasks(ctx, "", to)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(open))
	for _, t := range open {
		ids = append(ids, t.Project)
	}
	projects, err := projectMap(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	q := &quarter{r: r, from: from, to: to, open: open, weights: zsbot.WeightsFor(r.Targets)}
	for _, parks := range []bool{true, false} {
		unit := r.UnitFunc(parks)
		late := map[string]int{}
		for _, t := range open {
			late[unit(projects[t.Project], t.Assignee)]++
		}
		units := r.ByUnit(parks)
		for k := range late {
			if units[k] == nil {
				units[k] = &zsbot.Figures{From: from, To: to}
			}
		}
		scores := zsbot.Rank(units, late, r.Targets, q.weights, quarterShare)
		if parks {
			q.parks = scores
		} else {
			q.officers = scores
		}
	}
	return q, nil
}

// title is the quarter's name: "2024年第4季度".
func (q *quarter) title() string {
	return fmt.Sprintf("%d年第%d季度", q.from.Year(), (int(q.from.Month())+2)/3)
}

// buildQuarterly renders 季度考核: the last quarter per park and per officer
// — visits, receptions, signings, starts, funds, tasks on time — scored with
// the year's weights and ranked.
func buildQuarterly(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	q, err := loadQuarter(ctx, s, now)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**季度考核**　%s（%s）\n", q.title(), zsbot.Span(q.from, q.to))
	figureQuote(&b, q.r.Period)
	fmt.Fprintf(&b, "> 任务按时完成%d项，逾期未完成%d项\n", q.r.Period.TasksOnTime, len(q.open))
	for _, parks := range []bool{true, false} {
		scores, title := q.officers, "招商员排名"
		if parks {
			scores, title = q.parks, "园区排名"
		}
		fmt.Fprintf(&b, "**%s**\n", title)
		for i, sc := range scores {
			if i == maxListed {
				fmt.Fprintf(&b, "…共%d名\n", len(scores))
				break
			}
			fmt.Fprintf(&b, "%d. %s\n", i+1, scoreLine(q.r, sc, parks))
		}
	}
	b.WriteString(weightNote(q.weights))
	return []Draft{{Text: b.String()}}, nil
}

// maxCharted bounds the bars of one ranking in the chart.
const maxCharted = 20

// quarterlyChart is the 季度考核's chart: parks and officers ranked by
// score, each bar stacked by scoring part.
func quarterlyChart(ctx context.Context, s zsbot.Store, now time.Time, c Charts) ([]byte, error) {
	q, err := loadQuarter(ctx, s, now)
	if err != nil {
		return nil, err
	}
	return c.QuarterlyPNG(quarterlyData(q))
}

// quarterlyData is the numbers behind the 季度考核's chart.
func quarterlyData(q *quarter) *chart.Quarterly {
	name := func(u string) string {
		n := q.r.Name(u)
		if p := q.r.People[u]; p != nil && p.Park != "" {
			n += "（" + p.Park + "）"
		}
		return n
	}
	return chart.QuarterlyData(q.title()+"考核得分", q.weights, q.parks, q.officers, name, maxCharted)
}

// scoreLine is one ranked unit: "双福园区 86.5分：拜访12次（9家），接待5批次，签约3个/25亿元，开工2个，到位5亿元，任务按时8/10".
func scoreLine(r *report.Report, sc *zsbot.Score, parks bool) string {
	name := Inert(sc.Unit)
	if !parks {
		name = Inert(r.Name(sc.Unit))
		if p := r.People[sc.Unit]; p != nil && p.Park != "" {
			name += "（" + Inert(p.Park) + "）"
		}
	}
	f, on := sc.Figures, sc.OnTime()
	return fmt.Sprintf("%s **%.1f分**：拜访%d次（%d家），接待%d批次，签约%d个/%s，开工%d个，到位%s，任务按时%d/%d",
		name, sc.Points, f.Visits, f.Visited, f.Receptions, f.Signed(), report.Amount(f.Agreed), f.Started, report.Amount(f.Funds), on.N, on.D)
}

// weightNote explains the score.
func weightNote(weights []zsbot.Weight) string {
	return "评分：" + report.WeightText(weights) + "。各项为本季完成数÷（年度目标×1/4÷参评数），封顶100%；未设目标的项以本季最高者为满分；" +
		"任务按时完成=按时完成÷（本季完成+逾期未完成），无到期任务记满分；拜访按企业家数计分。\n"
}
