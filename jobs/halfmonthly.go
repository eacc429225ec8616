package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"zsbot"
	"zsbot/report"
)

// LastHalfMonth returns the latest half-month that has ended before today:
// the 1st to the 15th when today is the 16th or later, else the 16th to the
// end of the previous month.
func LastHalfMonth(today zsbot.Date) (from, to zsbot.Date) {
	first := zsbot.NewDate(today.Year(), today.Month(), 1)
	if today.Day() >= 16 {
		return first, first.AddDays(14)
	}
	prevEnd := first.AddDays(-1)
	return zsbot.NewDate(prevEnd.Year(), prevEnd.Month(), 16), prevEnd
}

// maxListed bounds the lines of one list in a notice; the rest is counted.
const maxListed = 40

// HalfMonthly is the name of 半月通报.
const HalfMonthly = "half-monthly"

var halfMonthlyNotice = &Notice{Name: HalfMonthly, Short: "半月", Title: "半月通报",
	Schedule: "10 9 1,16 * *", To: ToBureau, build: buildHalfMonthly, chart: halfMonthlyChart}

// buildHalfMonthly renders 半月通报: the last half-month and the year to its
// end, new signings of 10亿元以上 by name, the parks, targets against the
// time elapsed, and the count of overdue tasks.
func buildHalfMonthly(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	today := zsbot.DateOf(now)
	from, to := LastHalfMonth(today)
	r, err := report.LoadReport(ctx, s, from, to)
	if err != nil {
		return nil, err
	}
	overdue, err := s.OpenTasks(ctx, "", today.AddDays(-1))
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "**半月通报**　%s\n", zsbot.Span(from, to))
	b.WriteString("**本期**\n")
	figureQuote(&b, r.Period)
	fmt.Fprintf(&b, "**全年累计**（%s）\n", zsbot.Span(zsbot.YearStart(to), to))
	figureQuote(&b, r.Year)
	fmt.Fprintf(&b, "> %s\n", report.ConversionLine(r.Conv))

	major := r.Period.In(zsbot.Tier{Lo: zsbot.Major})
	fmt.Fprintf(&b, "**本期新签约10亿元以上项目%d个**\n", len(major))
	park := r.ParkUnit()
	for i, sg := range major {
		if i == maxListed {
			fmt.Fprintf(&b, "…共%d个\n", len(major))
			break
		}
		p := sg.Project
		fmt.Fprintf(&b, "- %s %s（%s，%s签约，%s）\n", Inert(p.Name), report.Amount(sg.Amount), Inert(park(p, p.Owner)), p.SignedOn.Short(), Inert(r.Name(p.Owner)))
	}
	b.WriteString("**分园区（本期）**\n")
	parks := r.Parks()
	if len(parks) == 0 {
		b.WriteString("- 无\n")
	}
	for _, u := range parks {
		u.Name = Inert(u.Name)
		fmt.Fprintf(&b, "- %s\n", report.UnitLine(u))
	}
	progressSection(&b, r)
	fmt.Fprintf(&b, "**逾期任务%d项**（截至%s，未完成且已过期限）\n", len(overdue), today.Short())
	return []Draft{{Text: b.String()}}, nil
}

// figureQuote writes a period's four figure lines as a markdown quote.
func figureQuote(b *strings.Builder, f *zsbot.Figures) {
	for _, l := range []string{report.SigningLine(f), report.StartLine(f), report.FundsLine(f), report.ActivityLine(f)} {
		fmt.Fprintf(b, "> %s\n", l)
	}
}

// progressSection writes the year's targets against the time elapsed.
func progressSection(b *strings.Builder, r *report.Report) {
	fmt.Fprintf(b, "**%d年目标进度**（时间进度%s）\n", r.To.Year(), zsbot.Elapsed(r.To).Percent())
	if len(r.Progress) == 0 {
		fmt.Fprintf(b, "- 尚未设定%d年目标（管理员发送：目标 %d 签约项目 120）\n", r.To.Year(), r.To.Year())
	}
	for _, p := range r.Progress {
		fmt.Fprintf(b, "- %s\n", report.ProgressLine(p, ` <font color="warning">滞后</font>`))
	}
}
