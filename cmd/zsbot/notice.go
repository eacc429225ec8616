package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/jobs"
)

func runNotice(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot notice", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "print the messages instead of queueing them")
	now := fs.String("now", "", "render as of this time, ISO 8601 in ZSBOT_TZ: 2024-12-16T09:10 (default: now)")
	chartOut := fs.String("chart", "", "with --dry-run: also write the notice's chart (PNG) to this file")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), `Usage: zsbot notice NAME [--dry-run [--chart FILE]] [--now TIME]

Renders a scheduled notice now. NAME is %s.

  --dry-run  prints each message with its destination (robot keys masked);
             nothing is sent or queued. --chart FILE writes the chart
             that follows the text (half-monthly, quarterly) as a PNG.
  otherwise  queues the messages in the outbox at once, as 通报 发送 does
             (no schedule claim: the scheduled run still happens); a running
             "zsbot serve" delivers them.

`, noticeNames())
		fs.PrintDefaults()
	}
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if name == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "zsbot notice: give exactly one NAME:", noticeNames())
		return 2
	}
	if *chartOut != "" && !*dry {
		fmt.Fprintln(stderr, "zsbot notice: --chart goes with --dry-run")
		return 2
	}
	n := jobs.Lookup(name)
	if n == nil {
		fmt.Fprintf(stderr, "zsbot notice: no notice %q (%s)\n", name, noticeNames())
		return 2
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	clock, err := fixedClock(*now, e.cfg.Location)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot notice: --now:", err)
		return 2
	}
	at := clock().In(e.cfg.Location)
	if charts := findCharts(e.log); charts != nil {
		for _, c := range jobs.WithCharts(charts, e.log) {
			if c.Name == n.Name {
				n = c
			}
		}
	}
	if *chartOut != "" {
		if err := writeChart(ctx, e, n, at, *chartOut, stdout); err != nil {
			fmt.Fprintln(stderr, "zsbot notice: --chart:", err)
			return 1
		}
	}
	if *dry {
		err = printNotice(ctx, e, n, at, stdout)
	} else {
		err = queueNotice(ctx, e, n, clock, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "zsbot notice:", err)
		return 1
	}
	return 0
}

// printNotice writes the notice's messages, or its text when no group takes it.
func printNotice(ctx context.Context, e *env, n *jobs.Notice, at time.Time, w io.Writer) error {
	msgs, err := n.Messages(ctx, e.db, at, false)
	if err != nil {
		return err
	}
	var parts []*zsbot.Outgoing // as WeCom gets them: split, mentions shown per channel
	for _, m := range msgs {
		parts = append(parts, bot.Parts(m)...)
	}
	for i, m := range parts {
		to := strings.Join(m.To, ",")
		if m.Channel == zsbot.ChannelRobot {
			to = zsbot.MaskKey(to)
		}
		if m.Format == zsbot.FormatImage {
			fmt.Fprintf(w, "# %s %d/%d → %s %s (image, %d bytes PNG)\n%s\n\n", n.Name, i+1, len(parts), m.Channel, to, len(m.Image), m.Text)
			continue
		}
		fmt.Fprintf(w, "# %s %d/%d → %s %s (%d bytes)\n%s\n\n", n.Name, i+1, len(parts), m.Channel, to, len(m.Text), m.Text)
	}
	if len(msgs) > 0 {
		return nil
	}
	drafts, err := n.Drafts(ctx, e.db, at)
	if err != nil {
		return err
	}
	if len(drafts) == 0 {
		fmt.Fprintf(w, "# %s: nothing to send at %s\n", n.Name, at.Format("2006-01-02 15:04"))
		return nil
	}
	fmt.Fprintf(w, "# %s: no group takes this notice (群 添加 …); its text:\n%s\n", n.Name, jobs.Preview(drafts))
	return nil
}

// writeChart writes the notice's chart as of at to the file path.
func writeChart(ctx context.Context, e *env, n *jobs.Notice, at time.Time, path string, w io.Writer) error {
	png, err := n.Chart(ctx, e.db, at)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "# %s: chart written to %s (%d bytes PNG)\n", n.Name, path, len(png))
	return nil
}

// queueNotice puts the notice's messages in the durable outbox.
func queueNotice(ctx context.Context, e *env, n *jobs.Notice, clock zsbot.Clock, w io.Writer) error {
	msgs, err := n.Messages(ctx, e.db, clock().In(e.cfg.Location), false)
	if err != nil {
		return err
	}
	if len(msgs) == 0 {
		fmt.Fprintf(w, "%s: nothing to send (no group takes it, or nothing is due)\n", n.Name)
		return nil
	}
	if err := e.db.Outbox(clock).Enqueue(ctx, msgs...); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s: queued %d messages; a running zsbot serve delivers them\n", n.Name, len(msgs))
	return nil
}

// noticeNames lists the notices by name, then by short name: "half-monthly,
// monthly, quarterly, overdue or personal (or 半月 月度 季度 逾期 个人)".
func noticeNames() string {
	var names, shorts []string
	for _, n := range jobs.Notices() {
		names = append(names, n.Name)
		shorts = append(shorts, n.Short)
	}
	last := len(names) - 1
	return strings.Join(names[:last], ", ") + " or " + names[last] + " (or " + strings.Join(shorts, " ") + ")"
}
