package handlers

import (
	"context"

	"zsbot/handlers/parse"
	"zsbot/report"
)

func (h *handlers) statsVerb() *Verb {
	return &Verb{Name: "统计", Aliases: []string{"stats"}, Access: Member,
		Usage:   "统计 [时段]：本年（默认）、本月、上月、本季、2024、2024年3月、2024年第1季度、3月1日至3月15日",
		Example: "统计 本月", Brief: "通报口径的招商数据（签约、引资、开工、到位、拜访、目标进度）",
		Handler: HandlerFunc(h.stats)}
}

// stats answers 统计 with the bulletin's figures of the period: the same
// figures, read the same way, as the notices and the export.
func (h *handlers) stats(ctx context.Context, r *Request) (string, error) {
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	from, to, label, err := parse.ParsePeriod(r.Words, r.Today)
	if err != nil {
		return "", err
	}
	rep, err := report.LoadReport(ctx, r.Tx, from, to)
	if err != nil {
		return "", err
	}
	return report.StatsText(rep, label), nil
}
