package main

import (
	"log/slog"

	"zsbot/chart"
	"zsbot/jobs"
)

// findCharts returns the renderer of the notices' charts with the system's
// CJK font, or nil when there is none: then it logs why, once, and the
// notices go out as text alone.
func findCharts(log *slog.Logger) jobs.Charts {
	r, err := chart.Find("")
	if err != nil {
		log.Warn("notices go out without charts", "reason", err)
		return nil
	}
	log.Info("notice charts drawn", "font", r.Font())
	return r
}
