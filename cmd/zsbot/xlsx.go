package main

import (
	"context"
	"time"

	"zsbot"
	"zsbot/report"
	"zsbot/xlsx"
)

// encodeXLSX returns the Excel export: every record of d, and the figures
// of the year to date (the same as 统计 shows), as 导出 writes it.
func encodeXLSX(ctx context.Context, e *env, d *zsbot.Dump) ([]byte, error) {
	sheets, err := report.YearWorkbook(ctx, e.db, d, zsbot.DateOf(time.Now().In(e.cfg.Location)))
	if err != nil {
		return nil, err
	}
	return xlsx.Encode(sheets)
}
