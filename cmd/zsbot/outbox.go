package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/storage"
)

const outboxUsage = `Usage: zsbot outbox list | retry ID | drop ID

Manages the dead letters: the messages WeCom refused for good (an empty or
too long content, a robot key, chat or recipient WeCom does not know, an
unknown errcode after ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS over
ZSBOT_OUTBOX_GIVE_UP_AFTER). They never hold back later messages.

  list      the dead letters, newest first (ID, when, destination, cause,
            WeCom's error, first line), and the messages still queued
  retry ID  put dead letter ID back in the queue: a running zsbot serve
            sends it within a second (fix its cause first)
  drop ID   delete dead letter ID for good; its destination no longer
            shows in /readyz once none of its dead letters is left
`

// runOutbox is `zsbot outbox`. It returns 0 on success, 1 when the store
// fails or the ID is unknown, 2 for bad arguments.
func runOutbox(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stdout, outboxUsage)
		return 0
	}
	var id int64
	switch {
	case len(args) == 1 && args[0] == "list":
	case len(args) == 2 && (args[0] == "retry" || args[0] == "drop"):
		n, err := strconv.ParseInt(strings.TrimPrefix(args[1], "#"), 10, 64)
		if err != nil || n <= 0 {
			fmt.Fprintf(stderr, "zsbot outbox %s: %q is not a dead letter's ID (see zsbot outbox list)\n", args[0], args[1])
			return 2
		}
		id = n
	default:
		fmt.Fprint(stderr, outboxUsage)
		return 2
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	ob := e.db.Outbox(time.Now)
	var d *storage.DeadItem
	switch args[0] {
	case "list":
		err = listDead(ctx, e, stdout)
	case "retry":
		if d, err = ob.Retry(ctx, id, time.Now()); err == nil {
			fmt.Fprintf(stdout, "dead letter %d to %s is queued again; a running zsbot serve sends it\n", id, d.Dest)
		}
	case "drop":
		if d, err = ob.Drop(ctx, id); err == nil {
			fmt.Fprintf(stdout, "dead letter %d to %s is dropped\n", id, d.Dest)
		}
	}
	if err != nil {
		if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
			fmt.Fprintf(stderr, "zsbot outbox %s: there is no dead letter %d (see zsbot outbox list)\n", args[0], id)
		} else {
			fmt.Fprintf(stderr, "zsbot outbox %s: %v\n", args[0], err)
		}
		return 1
	}
	return 0
}

// listDead prints every dead letter, newest first, then the queue's depth.
func listDead(ctx context.Context, e *env, w io.Writer) error {
	ob := e.db.Outbox(time.Now)
	dead, total, err := ob.Dead(ctx, 0)
	if err != nil {
		return err
	}
	depth, _, err := ob.Stats(ctx)
	if err != nil {
		return err
	}
	if total == 0 {
		fmt.Fprintf(w, "no dead letters; %d message(s) queued\n", depth)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tDESTINATION\tCAUSE\tERROR\tFIRST LINE")
	for _, d := range dead {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", d.Item.ID, d.At.In(e.cfg.Location).Format("2006-01-02 15:04"),
			d.Dest, d.Cause, d.Error, bot.FirstLine(d.Item.Msg.Text, 40))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d dead letter(s); %d message(s) queued\n", total, depth)
	return nil
}
