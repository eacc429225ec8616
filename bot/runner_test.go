package bot_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// failingUnits is a store whose claims fail with err.
type failingUnits struct {
	*storage.DB
	err error
}

func (f failingUnits) Begin(context.Context, storage.Claim) (*storage.Unit, *storage.Delivery, error) {
	return nil, nil, f.err
}

// writer is a Responder that reads the sender's session, then writes a
// visit (allocating its ID) unless the text is "查"; "slow" waits for gate.
type writer struct {
	gate chan struct{}
	ran  int
}

func (w *writer) Respond(ctx context.Context, tx zsbot.Tx, m *zsbot.Message) (string, error) {
	w.ran++
	if _, _, err := tx.Session(ctx, m.From); err != nil {
		return "", err
	}
	if m.Text == "查" {
		return "查到了", nil
	}
	if m.Text == "slow" {
		<-w.gate
	}
	id, err := tx.NextID(ctx, zsbot.KindActivity)
	if err != nil {
		return "", err
	}
	a := &zsbot.Activity{ID: id, Kind: zsbot.KindVisit, Date: zsbot.DateOf(m.At), Company: "E1"}
	c := &zsbot.Change{Audit: zsbot.Audit{Who: m.From, When: m.At, Raw: m.Text}}
	c.Add(nil, a)
	if _, err := tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return "已记录 " + id, nil
}

// Plan tells 查 writes nothing.
func (w *writer) Plan(text string) zsbot.Plan { return zsbot.Plan{ReadOnly: text == "查"} }

func newOnce(units bot.Units, r zsbot.Responder, reply time.Duration) *bot.Once {
	return bot.NewOnce(units, r, bot.RunOptions{ReplyTimeout: reply, Logger: slog.New(slog.DiscardHandler)})
}

// TestOnce drives the once-only runner with no transport: a claim that
// fails, a store that refuses writes, a retry, and a late reply that goes
// where the delivery says (a group chat here), all on a real store.
func TestOnce(t *testing.T) {
	db := storage.New(redistest.Start(t).Client(t), "test")
	ctx := context.Background()
	msg := func(id, text string) *bot.Delivery {
		return &bot.Delivery{ID: id, MsgID: id, From: "zhangsan", Text: text, Command: true, At: time.Now()}
	}

	t.Run("ClaimFails", func(t *testing.T) {
		w := &writer{}
		down := zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用")
		res := newOnce(failingUnits{db, down}, w, time.Minute).Run(ctx, msg("m:down", "拜访"))
		if res.Outcome != "unavailable" || res.Reason != "redis" || !errors.Is(res.Err, down) || w.ran != 0 {
			t.Fatalf("claim failed: %+v, ran %d; want unavailable (redis) and nothing run", res, w.ran)
		}
	})

	t.Run("WritesRefused", func(t *testing.T) {
		w := &writer{}
		full := zsbot.Errorf(zsbot.EWRITE, "保存失败（磁盘已满），本条未记录，请联系管理员。")
		once := newOnce(failingUnits{db, full}, w, time.Minute)
		if res := once.Run(ctx, msg("m:read", "查")); res.Outcome != "passive" || res.Reply != "查到了" {
			t.Fatalf("a read while writes are refused: %+v; want its reply", res)
		}
		if res := once.Run(ctx, msg("m:write", "拜访")); res.Outcome != "passive" || res.Reply != zsbot.ErrorMessage(full) {
			t.Fatalf("a write while writes are refused: %+v; want the refusal's sentence", res)
		}
		if d, _ := db.Export(ctx); len(d.Activities) != 0 {
			t.Fatalf("a refused write wrote %d activities", len(d.Activities))
		}
	})

	t.Run("RetryAnswersTheSameReply", func(t *testing.T) {
		w := &writer{}
		once := newOnce(db, w, time.Minute)
		first := once.Run(ctx, msg("m:once", "拜访"))
		again := once.Run(ctx, msg("m:once", "拜访"))
		if first.Outcome != "passive" || again.Outcome != "duplicate" || again.Reply != first.Reply || w.ran != 1 {
			t.Fatalf("first %+v, retry %+v, ran %d; want the retry answered from the record, run once", first, again, w.ran)
		}
	})

	t.Run("LateReplyGoesToTheChat", func(t *testing.T) {
		w := &writer{gate: make(chan struct{})}
		once := newOnce(db, w, 10*time.Millisecond)
		d := msg("m:late", "slow")
		d.Chat, d.ChatType = "wrkSFfCgAAtest", "group"
		d.Late = func(reply string) *zsbot.Outgoing {
			return &zsbot.Outgoing{Channel: zsbot.ChannelAppChat, To: []string{d.Chat}, Format: zsbot.FormatText, Text: reply, Tag: "reply"}
		}
		if res := once.Run(ctx, d); res.Outcome != "async" {
			t.Fatalf("a command past the reply timeout: %+v; want async", res)
		}
		close(w.gate)
		if err := once.Shutdown(ctx); err != nil {
			t.Fatal(err)
		}
		items, err := db.Outbox(time.Now).Head(ctx, 10)
		if err != nil || len(items) != 1 {
			t.Fatalf("outbox: %d items, %v; want the late reply", len(items), err)
		}
		if m := items[0].Msg; m.Channel != zsbot.ChannelAppChat || m.To[0] != d.Chat || !strings.HasPrefix(m.Text, "已记录 A") {
			t.Fatalf("late reply %+v; want its 已记录 to the chat", m)
		}
	})
}
