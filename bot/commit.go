package bot

import (
	"context"
	"log/slog"
	"time"

	"zsbot"
	"zsbot/storage"
)

// creator is a Responder that can tell from a message's text which kind of
// record its command creates, so that the claim reserves the record's ID
// in the same round trip (handlers.Mux).
type creator interface {
	Creates(text string) zsbot.Kind
}

// reader is a Responder that can tell from a message's text which record
// its command reads first, so that the claim reads it in the same round
// trip (handlers.Mux).
type reader interface {
	Reads(text string) (zsbot.Kind, string)
}

// writer is a Responder that can tell from a message's text whether its
// command may write (handlers.Mux); one that cannot is taken to write.
type writer interface {
	Writes(text string) bool
}

// ahead is what the claim of a message does for its command ahead of it:
// reserve an ID of kind reserve, read the record read/readID; and whether
// the command may write (writes false: it runs even when Redis refuses
// the claim's write, Callback.unclaimed).
type ahead struct {
	reserve, read zsbot.Kind
	readID        string
	writes        bool
}

// aheadOf asks the Responder what a text's command allocates, reads and
// whether it writes.
func (c *Callback) aheadOf(text string) ahead {
	a := ahead{writes: true}
	if wr, ok := c.resp.(writer); ok {
		a.writes = wr.Writes(text)
	}
	if cr, ok := c.resp.(creator); ok {
		a.reserve = cr.Creates(text)
	}
	if rd, ok := c.resp.(reader); ok {
		a.read, a.readID = rd.Reads(text)
	}
	return a
}

// commit ends u with reply, passive or queued as an app message. When the
// command's change lost a race (ECONFLICT) or the store refused to write it
// (EWRITE), the change is dropped and the reply says so instead. It returns
// the reply recorded and how it goes.
func (c *Callback) commit(ctx context.Context, u *storage.Unit, m *Inbound, reply string, passive bool) (string, bool, error) {
	for attempt := 0; ; attempt++ {
		var later []*zsbot.Outgoing
		if !passive && reply != "" {
			later = append(later, &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{m.FromUserName}, Format: zsbot.FormatText, Text: reply, Tag: "reply"})
		}
		err := u.Commit(ctx, storage.Delivery{Reply: reply, Passive: passive}, c.opt.Now(), later...)
		if code := zsbot.ErrorCode(err); (code == zsbot.ECONFLICT || code == zsbot.EWRITE && !u.Written()) && attempt == 0 {
			reply = zsbot.ErrorMessage(err)
			passive = passive && len(reply) <= maxPassive
			continue
		}
		if err == nil && len(later) > 0 && c.notify != nil {
			c.notify()
		}
		return reply, passive, err
	}
}

// release forgets u's claim in the background, retrying while Redis is
// unreachable (for up to a minute), so that WeCom's next retry runs the
// command again. A claim that a lost commit did finish stays finished.
func (c *Callback) release(u *storage.Unit, log *slog.Logger) {
	go func() {
		wait := 50 * time.Millisecond
		for deadline := time.Now().Add(time.Minute); ; {
			ctx, cancel := context.WithTimeout(c.base, 2*time.Second)
			err := u.Release(ctx)
			cancel()
			if err == nil || c.base.Err() != nil {
				return
			}
			if time.Now().After(deadline) {
				log.Error("wecom: release once-only record", "err", err)
				return
			}
			time.Sleep(wait)
			wait = min(2*wait, time.Second)
		}
	}()
}
