package main

import (
	"context"
	"io"
	"time"

	"zsbot"
	"zsbot/jobs"
)

// writeXLSX writes the Excel export: every record of d, and the figures of
// the year to date (the same as 统计 shows).
func writeXLSX(ctx context.Context, e *env, d *zsbot.Dump, w io.Writer) error {
	today := zsbot.DateOf(time.Now().In(e.cfg.Location))
	r, err := jobs.LoadReport(ctx, e.db, zsbot.YearStart(today), today)
	if err != nil {
		return err
	}
	return jobs.WriteWorkbook(w, d, r)
}
