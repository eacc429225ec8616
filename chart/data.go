package chart

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zsbot"
	"zsbot/report"
)

// HalfMonthlyData returns the numbers of the 半月通报's chart for the year
// to the day to: the targets' progress as the text shows it, the year's
// figures, and 协议引资 and 资金到位 cumulated to the end of each month (the
// last month to its day to) beside the same days of last year. Every figure
// is zsbot.Compute's, read by package report.
func HalfMonthlyData(ctx context.Context, s zsbot.Store, to zsbot.Date) (*HalfMonthly, error) {
	year, err := report.LoadReport(ctx, s, zsbot.YearStart(to), to)
	if err != nil {
		return nil, err
	}
	lastTo := sameDayLastYear(to)
	last, err := report.LoadPeriod(ctx, s, zsbot.YearStart(lastTo), lastTo)
	if err != nil {
		return nil, err
	}
	y := year.Year
	d := &HalfMonthly{
		Title: fmt.Sprintf("%d年招商进度（截至%s）", to.Year(), to.Short()),
		Headline: []string{
			fmt.Sprintf("签约项目%d个 · 协议引资%s · 10亿元以上项目%d个", y.Signed(), report.Amount(y.Agreed), y.Count(zsbot.Tier{Lo: zsbot.Major})),
			fmt.Sprintf("开工项目%d个 · 新开工市外项目%d个 · 市外项目开工率%s", y.Started, y.StartedOut, year.Conv.RateOut().Percent()),
			fmt.Sprintf("资金到位%s · 市外项目资金到位%s", report.Amount(y.Funds), report.Amount(y.FundsOut)),
		},
		Elapsed: round1(percent(zsbot.Elapsed(to))),
	}
	for _, p := range year.Progress {
		line := report.ProgressLine(p, "")
		_, note, _ := strings.Cut(line, "：")
		d.Targets = append(d.Targets, Bar{Label: p.Metric.Name, Value: round1(percent(p.Done())), Note: note, Behind: p.Behind()})
	}
	this := Series{Name: fmt.Sprintf("%d年", to.Year())}
	funds := this
	prev := Series{Name: fmt.Sprintf("%d年同期", lastTo.Year())}
	prevFunds := prev
	for m := 1; m <= int(to.Month()); m++ {
		d.Months = append(d.Months, fmt.Sprintf("%d月", m))
		end := min(monthEnd(to.Year(), m), to)
		f := year.YearTo(end)
		this.Values = append(this.Values, yi(f.Agreed))
		funds.Values = append(funds.Values, yi(f.Funds))
		lastEnd := min(monthEnd(lastTo.Year(), m), lastTo)
		g := last.YearTo(lastEnd)
		prev.Values = append(prev.Values, yi(g.Agreed))
		prevFunds.Values = append(prevFunds.Values, yi(g.Funds))
	}
	d.Agreed = []Series{this, prev}
	d.Funds = []Series{funds, prevFunds}
	return d, nil
}

// QuarterlyData returns the numbers of the 季度考核's chart: the parks and
// the officers as Rank ordered them (at most limit of each), each score
// split into its parts' points. name shows an officer's userid.
func QuarterlyData(title string, weights []zsbot.Weight, parks, officers []*zsbot.Score, name func(userID string) string, limit int) *Quarterly {
	d := &Quarterly{Title: title}
	for _, w := range weights {
		d.Parts = append(d.Parts, fmt.Sprintf("%s%d", w.Part, w.Points))
	}
	stacks := func(scores []*zsbot.Score, label func(string) string) []Stack {
		var out []Stack
		for i, s := range scores {
			if i == limit {
				break
			}
			st := Stack{Label: label(s.Unit), Total: round1(s.Points)}
			for j, w := range weights {
				st.Parts = append(st.Parts, round1(float64(w.Points)*s.Parts[j]))
			}
			out = append(out, st)
		}
		return out
	}
	d.Parks = stacks(parks, func(u string) string { return u })
	d.Officers = stacks(officers, name)
	return d
}

func percent(r zsbot.Ratio) float64 {
	if r.D == 0 {
		return 0
	}
	return float64(r.N) * 100 / float64(r.D)
}

// yi is an amount in 亿元, to 0.01.
func yi(m zsbot.Money) float64 { return float64((int64(m)+50)/100) / float64(zsbot.Yi/100) }

func monthEnd(year, month int) zsbot.Date {
	if month == 12 {
		return zsbot.NewDate(year, 12, 31)
	}
	return zsbot.NewDate(year, time.Month(month+1), 1).AddDays(-1)
}

// sameDayLastYear is d a year back; 29 February becomes the 28th.
func sameDayLastYear(d zsbot.Date) zsbot.Date {
	day := d.Day()
	if d.Month() == 2 && day == 29 {
		day = 28
	}
	return zsbot.NewDate(d.Year()-1, d.Month(), day)
}
