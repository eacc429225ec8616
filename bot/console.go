package bot

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"zsbot"
)

// Console is the command-line transport: one command per input line, the
// reply after each, through the same handlers and the same once-only
// units of work as WeCom (a Once: Begin, Respond, Commit per line). It
// serves trying the bot, training, scripting and backfilling old records.
type Console struct {
	Units     Units // where each line's unit of work begins (storage.DB)
	Responder zsbot.Responder
	Logger    *slog.Logger // default slog.Default()
	User      string       // the sender's userid
	Clock     zsbot.Clock  // the time of every message
	Prompt    string       // printed before each line when not empty
	In        io.Reader
	Out       io.Writer
}

// consoleTimeout bounds a console line's claim and command: long enough
// never to matter. consoleOnceTTL is the life of a line's once-only
// record: no line is delivered twice, so it need not outlive the line by
// much, and a long script leaves few records behind.
const (
	consoleTimeout = 24 * time.Hour
	consoleOnceTTL = time.Minute
)

// Run reads lines until EOF or ctx ends. A message that cannot be processed
// at all (storage down) is reported and the console goes on.
func (c *Console) Run(ctx context.Context) error {
	// A line runs to its end, however long it takes: its reply is printed,
	// never sent late. Ending ctx stops the console after the line.
	once := NewOnce(c.Units, c.Responder, RunOptions{ReplyTimeout: consoleTimeout, CommandTimeout: consoleTimeout,
		ClaimTimeout: consoleTimeout, OnceTTL: consoleOnceTTL, Logger: c.Logger})
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	// Each run names its lines afresh: with a fixed clock (--now), two runs
	// a moment apart would otherwise share line IDs, and the second run's
	// line would be taken for the first's, already done.
	run := rand.Text()[:12]
	n := 0
	for {
		if c.Prompt != "" {
			fmt.Fprint(c.Out, c.Prompt)
		}
		if !sc.Scan() {
			break
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue // blank lines and comments keep scripts readable
		}
		n++
		at := time.Now()
		if c.Clock != nil {
			at = c.Clock()
		}
		id := fmt.Sprintf("console-%s-%d", run, n)
		res := once.Run(context.WithoutCancel(ctx), &Delivery{ID: id, MsgID: id, From: c.User, Text: line, Command: true, At: at})
		reply := res.Reply
		if res.Err != nil {
			reply = "（未处理：" + zsbot.ErrorMessage(res.Err) + "）"
		}
		fmt.Fprintf(c.Out, "%s\n\n", reply)
	}
	return sc.Err()
}
