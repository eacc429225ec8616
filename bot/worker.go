package bot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"strings"
	"time"

	"zsbot"
	"zsbot/report"
	"zsbot/storage"
	"zsbot/wecom/limits"
)

// Poster sends one message part; *Sender implements it.
type Poster interface {
	Send(ctx context.Context, m *zsbot.Outgoing) error
}

// WorkerOptions tunes a Worker; zero values take the defaults.
type WorkerOptions struct {
	Now         zsbot.Clock   // default time.Now
	Logger      *slog.Logger  // default slog.Default()
	Metrics     *Metrics      // default a fresh set
	Poll        time.Duration // pause between passes; default 1s
	LockTTL     time.Duration // lifetime of the worker lock; default 30s, above the HTTP timeout
	Batch       int           // queued items looked at per pass; default 200
	BackoffBase time.Duration // first retry delay; default 2s, doubling
	BackoffMax  time.Duration // longest retry delay; default 10m
	RateWait    time.Duration // wait after WeCom's 45009; default limits.Window: past every send before it
	RobotLimit  int           // sends per robot per rolling limits.Window; default limits.RobotPerWindow
	MemberLimit int           // app messages per member per rolling limits.Window; default limits.MemberPerWindow

	// A message WeCom answers with an errcode zsbot does not know is given
	// up (a dead letter) once it has failed GiveUpAttempts times (default
	// 5) over at least GiveUpAfter (default 10m). Network errors, HTTP
	// errors and -1 (system busy) are retried for ever.
	GiveUpAttempts int
	GiveUpAfter    time.Duration
	// Admins returns whom to tell, by app message, of a dead letter (once
	// per destination and cause until a send there succeeds); nil tells
	// no one.
	Admins func(ctx context.Context) ([]string, error)
	// AppText sends markdown messages to people and app chats as plain
	// text (report.Plain), for clients that do not render markdown;
	// robots keep theirs.
	AppText bool
	// AppErrors returns, by channel, the configuration errors of the app
	// itself (Sender.Misconfigured), for zsbot_send_channel_misconfigured;
	// nil for none.
	AppErrors func() map[string]string
}

// Worker drains the outbox: one worker at a time holds the lock across
// instances; it sends each destination's messages in order, split into
// parts within WeCom's limits (Parts), removes a message only when WeCom
// accepted all its parts, backs off with jitter on failures, keeps within
// WeCom's rolling rate limits (a message over one waits, never dropped)
// and holds messages WeCom refuses for the app's configuration until the
// next start. A message WeCom refuses for good (the message itself, its
// destination, or an unknown errcode after enough attempts) becomes a dead
// letter (deadletter.go): kept, listed, never blocking the messages after
// it.
type Worker struct {
	ob    *storage.Outbox
	send  Poster
	opt   WorkerOptions
	owner string
	wake  chan struct{}
}

// NewWorker returns a worker sending ob's messages through send.
func NewWorker(ob *storage.Outbox, send Poster, o WorkerOptions) *Worker {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	o.Poll = orDefault(o.Poll, time.Second)
	o.LockTTL = orDefault(o.LockTTL, 30*time.Second)
	o.BackoffBase = orDefault(o.BackoffBase, 2*time.Second)
	o.BackoffMax = orDefault(o.BackoffMax, 10*time.Minute)
	o.RateWait = orDefault(o.RateWait, limits.Window)
	if o.Batch <= 0 {
		o.Batch = 200
	}
	if o.RobotLimit <= 0 {
		o.RobotLimit = limits.RobotPerWindow
	}
	if o.MemberLimit <= 0 {
		o.MemberLimit = limits.MemberPerWindow
	}
	if o.GiveUpAttempts <= 0 {
		o.GiveUpAttempts = 5
	}
	o.GiveUpAfter = orDefault(o.GiveUpAfter, 10*time.Minute)
	return &Worker{ob: ob, send: send, opt: o, owner: rand.Text(), wake: make(chan struct{}, 1)}
}

// Notify wakes the worker for a message just queued.
func (w *Worker) Notify() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run releases held messages, then passes over the outbox until ctx ends.
// A pass in progress finishes the item it is sending and records the
// result before Run returns; Run then gives up the lock.
func (w *Worker) Run(ctx context.Context) error {
	work := context.WithoutCancel(ctx)
	if n, err := w.ob.Unpark(work); err != nil {
		w.opt.Logger.Warn("outbox: release held messages", "err", err)
	} else if n > 0 {
		w.opt.Logger.Info("outbox: released messages held for configuration errors", "count", n)
	}
	defer func() {
		uctx, cancel := context.WithTimeout(work, 2*time.Second)
		defer cancel()
		w.ob.Unlock(uctx, w.owner)
	}()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-w.wake:
		}
		if _, err := w.pass(work, ctx); err != nil {
			w.opt.Logger.Warn("outbox: pass failed", "err", err)
		}
		w.observe(work)
		timer.Reset(w.opt.Poll)
	}
}

// Pass makes one pass over the outbox if this worker holds (or can take)
// the lock, and returns how many messages it delivered.
func (w *Worker) Pass(ctx context.Context) (int, error) { return w.pass(ctx, ctx) }

// pass works with ctx and stops between items when stop ends.
func (w *Worker) pass(ctx, stop context.Context) (int, error) {
	if ok, err := w.ob.Lock(ctx, w.owner, w.opt.LockTTL); err != nil || !ok {
		return 0, err
	}
	items, err := w.ob.Head(ctx, w.opt.Batch)
	if err != nil {
		return 0, err
	}
	blocked := map[string]bool{} // destinations whose earliest message must go first
	sent := 0
	for _, it := range items {
		dest := destination(it.Msg)
		if stop.Err() != nil {
			break
		}
		if blocked[dest] || it.Parked || w.opt.Now().Before(it.Due) {
			blocked[dest] = true
			continue
		}
		if ok, err := w.ob.Lock(ctx, w.owner, w.opt.LockTTL); err != nil || !ok {
			return sent, err
		}
		err := w.deliver(ctx, it, dest)
		var se *SendError
		switch {
		case err == nil:
			sent++
		case errors.Is(err, errBuried): // the next message to dest may go
		case errors.As(err, &se):
			blocked[dest] = true
		default:
			return sent, err // Redis failed: stop the pass
		}
	}
	return sent, nil
}

// deliver sends it's remaining parts in order and removes it when WeCom has
// accepted them all. It returns a *SendError when a part was not accepted
// (its state saved for a later attempt), errBuried when it became a dead
// letter, and other errors for Redis.
func (w *Worker) deliver(ctx context.Context, it *storage.OutboxItem, dest string) error {
	parts := Parts(w.shape(it.Msg))
	if len(parts) == 0 {
		w.opt.Logger.Warn("outbox: message without content removed", "id", it.ID, "dest", dest, "tag", it.Msg.Tag)
	}
	for it.Part < len(parts) {
		now := w.opt.Now()
		if err := w.takeRate(ctx, it, dest, now); err != nil {
			return err
		}
		if err := w.send.Send(ctx, parts[it.Part]); err != nil {
			var se *SendError
			if !errors.As(err, &se) {
				se = &SendError{Kind: KindRetry, Msg: redact(err.Error())}
			}
			if cause := w.deadCause(it, se, now); cause != "" {
				return w.bury(ctx, it, dest, cause, se, now)
			}
			w.reschedule(it, se, now)
			w.log(it, dest, se)
			return w.hold(ctx, it, se)
		}
		it.Part++
		if it.Part < len(parts) {
			if err := w.ob.Save(ctx, it); err != nil {
				return err
			}
		}
	}
	return w.ob.Delivered(ctx, it.ID, dest)
}

// shape returns m as the worker sends it: as plain text when AppText
// says markdown is not shown on m's channel.
func (w *Worker) shape(m *zsbot.Outgoing) *zsbot.Outgoing {
	if !w.opt.AppText || m.Format != zsbot.FormatMarkdown || m.Channel == zsbot.ChannelRobot {
		return m
	}
	t := *m
	t.Format, t.Text = zsbot.FormatText, report.Plain(m.Text)
	return &t
}

// takeRate counts the next part of it against WeCom's rolling limit of its
// channel: per robot, or per member an app message goes to. Over the
// limit, it waits (its due time moves to when there is room) and takeRate
// returns a *SendError of KindRateLimited.
func (w *Worker) takeRate(ctx context.Context, it *storage.OutboxItem, dest string, now time.Time) error {
	var limit int
	var windows []string
	switch it.Msg.Channel {
	case zsbot.ChannelRobot:
		limit, windows = w.opt.RobotLimit, []string{dest}
	case zsbot.ChannelApp:
		limit = w.opt.MemberLimit
		for _, u := range it.Msg.To {
			windows = append(windows, zsbot.ChannelApp+":"+u)
		}
	default:
		return nil
	}
	ok, next, err := w.ob.TakeRate(ctx, windows, now, limit, limits.Window)
	if err != nil || ok {
		return err
	}
	it.Due = next
	w.opt.Metrics.sends.WithLabelValues(it.Msg.Channel, "rate_limited").Inc()
	return w.hold(ctx, it, &SendError{Kind: KindRateLimited,
		Msg: fmt.Sprintf("%d messages within %v reached; waits until %s", limit, limits.Window, next.Format(time.RFC3339))})
}

// reschedule sets when it is tried next after se.
func (w *Worker) reschedule(it *storage.OutboxItem, se *SendError, now time.Time) {
	switch se.Kind {
	case KindRateLimited:
		it.Due = now.Add(w.opt.RateWait)
	case KindConfig:
		it.Parked = true
	default:
		it.Attempts++
		d := w.opt.BackoffBase << min(it.Attempts-1, 30)
		if d <= 0 || d > w.opt.BackoffMax {
			d = w.opt.BackoffMax
		}
		it.Due = now.Add(d/2 + mrand.N(d/2+1)) // "equal jitter"
	}
}

// hold saves it after a failed part and returns se.
func (w *Worker) hold(ctx context.Context, it *storage.OutboxItem, se *SendError) error {
	it.LastError = se.Error()
	if err := w.ob.Save(ctx, it); err != nil {
		return err
	}
	return se
}

func (w *Worker) log(it *storage.OutboxItem, dest string, se *SendError) {
	attrs := []any{"id", it.ID, "dest", dest, "tag", it.Msg.Tag, "attempts", it.Attempts, "err", se.Error()}
	if se.Kind == KindConfig {
		w.opt.Logger.Error("outbox: WeCom refuses the configuration; message held until restart", attrs...)
		return
	}
	w.opt.Logger.Warn("outbox: send failed", append(attrs, "next", it.Due)...)
}

// observe sets the outbox gauges.
func (w *Worker) observe(ctx context.Context) {
	depth, oldest, err := w.ob.Stats(ctx)
	if err != nil {
		return
	}
	w.opt.Metrics.depth.Set(float64(depth))
	age := 0.0
	if !oldest.IsZero() {
		age = max(w.opt.Now().Sub(oldest).Seconds(), 0)
	}
	w.opt.Metrics.oldest.Set(age)
	if _, n, err := w.ob.Dead(ctx, 1); err == nil {
		w.opt.Metrics.dead.Set(float64(n))
	}
	bad := map[string]bool{}
	if w.opt.AppErrors != nil {
		for ch := range w.opt.AppErrors() {
			bad[ch] = true
		}
	}
	dests, err := w.ob.Misconfigured(ctx)
	if err != nil {
		return
	}
	for key := range dests {
		ch, _, _ := strings.Cut(key, ":")
		bad[ch] = true
	}
	for _, ch := range []string{zsbot.ChannelApp, zsbot.ChannelAppChat, zsbot.ChannelRobot} {
		v := 0.0
		if bad[ch] {
			v = 1
		}
		w.opt.Metrics.misconf.WithLabelValues(ch).Set(v)
	}
}

// destination names where m goes, for ordering, rate limits and logs. A
// robot is named by a hash of its key, which is a secret.
func destination(m *zsbot.Outgoing) string {
	if m.Channel == zsbot.ChannelRobot {
		sum := sha256.Sum256([]byte(m.To[0]))
		return "robot:" + hex.EncodeToString(sum[:6])
	}
	return m.Channel + ":" + strings.Join(m.To, "|")
}
