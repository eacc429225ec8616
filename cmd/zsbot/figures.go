package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

const figuresUsage = `Usage: zsbot figures rebuild [--check]

Recomputes the figures' aggregates (the per-day, per-month and per-year
counters of every figure of 统计 that every write keeps) from the records,
prints every difference from the stored ones, and replaces the stored ones
by the recomputed ones (only if no command wrote meanwhile). With --check
it changes nothing and exits 1 when there is a difference (for CI); run it
while no command writes: a write between its two reads shows as a
difference.
`

// runFigures is `zsbot figures rebuild`.
func runFigures(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot figures rebuild", flag.ContinueOnError)
	check := fs.Bool("check", false, "report the differences only; change nothing; exit 1 if any")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), figuresUsage+"\n")
		fs.PrintDefaults()
	}
	if code, ok := subcommand(args, "rebuild", figuresUsage, stdout, stderr); !ok {
		return code
	}
	if ok, code := parseFlags(fs, args[1:], stderr); !ok {
		return code
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	diffs, err := e.db.RebuildAggregates(ctx, !*check)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot figures rebuild:", err)
		return 1
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	switch {
	case len(diffs) == 0:
		fmt.Fprintln(stdout, "aggregates agree with the records")
	case *check:
		fmt.Fprintf(stdout, "%d differences; nothing changed\n", len(diffs))
		return 1
	default:
		fmt.Fprintf(stdout, "%d differences; aggregates rebuilt from the records\n", len(diffs))
	}
	return 0
}
