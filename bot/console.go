package bot

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"zsbot"
)

// Console is the command-line transport: one command per input line, the
// reply after each, through the same handlers as WeCom. It serves trying the
// bot, training, scripting and backfilling old records.
type Console struct {
	Responder zsbot.Responder
	User      string      // the sender's userid
	Clock     zsbot.Clock // the time of every message
	Prompt    string      // printed before each line when not empty
	In        io.Reader
	Out       io.Writer
}

// Run reads lines until EOF or ctx ends. A message that cannot be processed
// at all (storage down) is reported and the console goes on.
func (c *Console) Run(ctx context.Context) error {
	sc := bufio.NewScanner(c.In)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
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
		msg := &zsbot.Message{ID: fmt.Sprintf("console-%d-%d", at.UnixNano(), n), From: c.User, Text: line, At: at}
		reply, err := c.Responder.Respond(ctx, msg)
		if err != nil {
			reply = "（未处理：" + zsbot.ErrorMessage(err) + "）"
		}
		fmt.Fprintf(c.Out, "%s\n\n", reply)
	}
	return sc.Err()
}
