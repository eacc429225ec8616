package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
	"zsbot/storage"

	"zsbot/bot"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/xlsx"
)

func runConsole(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot console", flag.ContinueOnError)
	user := fs.String("user", "", "the sender's WeCom userid (default: the first of ZSBOT_ADMINS, else \"console\")")
	now := fs.String("now", "", "fix the clock, ISO 8601 in ZSBOT_TZ: 2024-12-16T09:10 (default: the real time)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: zsbot console [--user ID] [--now TIME]\n\nOne command per line on standard input; each reply on standard output.\nWith no ZSBOT_ADMINS set, the console user is a local admin.\n\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	maskAudit(ctx, e)
	migrateParks(ctx, e)
	migrateAggregates(ctx, e)
	buildLists(ctx, e)
	clock, err := fixedClock(*now, e.cfg.Location)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot: --now:", err)
		return 2
	}
	admins := e.cfg.Admins
	if *user == "" {
		*user = "console"
		if len(admins) > 0 {
			*user = admins[0]
		}
	}
	if len(admins) == 0 {
		admins = []string{*user} // nothing configured: the console user is a local admin
	}
	mux := handlers.New(handlers.Config{Admins: admins, Loc: e.cfg.Location, Log: e.log,
		SaveExport: storage.SaveIn(filepath.Join(e.cfg.DataDir, "exports")),
		Notices:    handlers.NoticesOf(jobs.WithCharts(findCharts(e.log), e.log)), Workbook: xlsx.Encode})
	c := &bot.Console{Units: e.db, Responder: mux, Logger: e.log, User: *user, Clock: clock, In: stdin, Out: stdout}
	if f, ok := stdin.(*os.File); ok && isTerminal(f) {
		c.Prompt = "> "
		fmt.Fprintf(stdout, "招商助手 控制台（用户 %s）。输入「帮助」查看指令，Ctrl-D 退出。\n", *user)
	}
	if err := c.Run(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	return 0
}

// fixedClock parses --now; empty means the real clock.
func fixedClock(s string, loc *time.Location) (func() time.Time, error) {
	if s == "" {
		return time.Now, nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return func() time.Time { return t }, nil
		}
	}
	return nil, fmt.Errorf("%q is not a time such as 2024-12-16T09:10", s)
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
