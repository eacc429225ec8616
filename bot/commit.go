package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"zsbot"
	"zsbot/storage"
)

// finish runs the command and commits it with its reply: passively if the
// request still waits and the reply fits, else by d.Late — the command's
// change, the once-only record and the late reply in one script.
func (run *Once) finish(ctx context.Context, d *Delivery, u *storage.Unit, state *atomic.Int32) result {
	reply, err := run.respond(ctx, u, d)
	waiting := state.CompareAndSwap(stRunning, stPassive)
	log := run.opt.Logger.With("delivery", d.ID, "from", d.From)
	// Record the outcome even when the command used up its time or shutdown
	// cancelled it: the command's own writes have happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err != nil {
		if waiting {
			run.release(u, log)
			return result{err: err}
		}
		// The request already answered, so WeCom will not retry: tell the sender.
		u.Drop()
		reply = zsbot.ErrorMessage(err)
	}
	reply, passive, err := run.safeCommit(ctx, u, d, reply, waiting)
	if err != nil {
		log.Error("wecom: commit the command", "err", err)
		run.release(u, log)
		switch {
		case errors.Is(err, errCommitPanic) && waiting:
			return result{reply: zsbot.ErrorMessage(err)}
		case !waiting:
			return result{async: true}
		case !run.opt.Metrics.countWriteRefusal(err):
			return result{err: zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用，请稍后重发。")}
		case u.Written():
			// A change written before the commit (an undo) stands: say so.
			return result{reply: reply}
		}
		return result{reply: zsbot.ErrorMessage(err)}
	}
	if passive {
		return result{reply: reply}
	}
	return result{async: true}
}

// errCommitPanic is a commit that panicked: a defect, logged with its
// stack; nothing was written, and the sender is told so (a retry would
// panic again).
var errCommitPanic = errors.New("commit panicked")

// safeCommit is commit, with a panic turned into errCommitPanic: no panic
// of a command's write takes the process down.
func (run *Once) safeCommit(ctx context.Context, u *storage.Unit, d *Delivery, reply string, waiting bool) (out string, passive bool, err error) {
	defer func() {
		if p := recover(); p != nil {
			run.opt.Logger.Error("wecom: commit panicked", "delivery", d.ID, "from", d.From, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			out, passive, err = "", false, fmt.Errorf("%w: %w", errCommitPanic,
				zsbot.Errorf(zsbot.EINTERNAL, "处理这条消息时出错，本条未记录；请把原话转给管理员。"))
		}
	}()
	return run.commit(ctx, u, d, reply, waiting)
}

// fits tells whether reply may go back in the transport's answer.
func (d *Delivery) fits(reply string) bool {
	return d.MaxPassive == 0 || len(reply) <= d.MaxPassive
}

// answerRetry answers a delivery whose id was seen before: with the
// stored reply once it is there (waiting for it until deadline), and never
// by running the command again while the first delivery's process lives.
// When the wait ends with the claim still pending, it claims once more:
// should the claim's process have died meanwhile (restarted, say), the
// claim is taken over and answerRetry returns its Unit, for the caller to
// run the command — its reply then goes late, the deadline being past.
func (run *Once) answerRetry(ctx context.Context, claim storage.Claim, d *storage.Delivery, deadline time.Time) (*storage.Unit, Result) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !d.Done && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return nil, Result{Outcome: outDuplicate}
		case <-tick.C:
		}
		var err error
		if d, err = run.units.GetDelivery(ctx, claim.Delivery); err != nil {
			// Gone: the first delivery failed and released it; 503 makes WeCom retry.
			reason := "redis"
			if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
				reason = "unavailable"
			}
			return nil, Result{Outcome: outUnavailable, Reason: reason, Err: err}
		}
	}
	if !d.Done && d.Inst != "" && ctx.Err() == nil {
		u, prev, err := run.begin(ctx, claim)
		if err != nil {
			return nil, Result{Outcome: outUnavailable, Reason: "redis", Err: err}
		}
		if u != nil {
			return u, Result{}
		}
		d = prev
	}
	if d.Done && d.Passive {
		return nil, Result{Outcome: outDuplicate, Reply: d.Reply}
	}
	return nil, Result{Outcome: outDuplicate}
}

// commit ends u with reply, passive (when the request waits and the
// reply fits) or sent late. When the command's change lost the race for
// a company's name (storage.NameTaken), the command runs once more in u
// and finds that company. When it lost any other race (ECONFLICT) or the
// store refused to write it (EWRITE), the change is dropped and the reply
// says so instead. It returns the reply recorded and how it goes.
func (run *Once) commit(ctx context.Context, u *storage.Unit, d *Delivery, reply string, waiting bool) (string, bool, error) {
	passive, rerun := waiting && d.fits(reply), true
	for attempt := 0; ; attempt++ {
		var later []*zsbot.Outgoing
		if !passive && reply != "" {
			if m := d.late(reply); m != nil {
				later = append(later, m)
			}
		}
		err := u.Commit(ctx, storage.Delivery{Reply: reply, Passive: passive}, run.opt.Now(), later...)
		if storage.NameTaken(err) && rerun {
			rerun = false
			if again, rerr := run.rerun(ctx, u, d); rerr == nil {
				reply, passive = again, waiting && d.fits(again)
				attempt--
				continue
			}
		}
		if code := zsbot.ErrorCode(err); (code == zsbot.ECONFLICT || code == zsbot.EWRITE && !u.Written()) && attempt == 0 {
			reply = zsbot.ErrorMessage(err)
			passive = passive && d.fits(reply)
			continue
		}
		if err == nil && len(later) > 0 && run.notify != nil {
			run.notify()
		}
		return reply, passive, err
	}
}

// rerun runs d's command again in u after its change lost the race for a
// company's name: it returns the command's new reply, or the error that
// keeps it from running again (the change is then dropped).
func (run *Once) rerun(ctx context.Context, u *storage.Unit, d *Delivery) (string, error) {
	if err := u.Rerun(ctx); err != nil {
		return "", err
	}
	reply, err := run.respond(ctx, u, d)
	if err != nil {
		u.Drop()
		return "", err
	}
	return reply, nil
}

// release forgets u's claim in the background, retrying while Redis is
// unreachable (for up to a minute), so that WeCom's next retry runs the
// command again. A claim that a lost commit did finish stays finished.
func (run *Once) release(u *storage.Unit, log *slog.Logger) {
	go func() {
		wait := 50 * time.Millisecond
		for deadline := time.Now().Add(time.Minute); ; {
			ctx, cancel := context.WithTimeout(run.base, 2*time.Second)
			err := u.Release(ctx)
			cancel()
			if err == nil || run.base.Err() != nil {
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

// respond runs d's command in tx: the Responder for a command, else d's
// fixed reply. Any error but EUNAVAILABLE, and a panic, become the generic
// reply, logged once.
func (run *Once) respond(ctx context.Context, tx zsbot.Tx, d *Delivery) (reply string, err error) {
	g, greets := run.resp.(zsbot.Greeter)
	if !d.Command && !(d.Greet && greets) {
		return d.Reply, nil
	}
	defer func() {
		if p := recover(); p != nil {
			run.opt.Logger.Error("wecom: command panicked", "from", d.From, "panic", fmt.Sprint(p))
			reply, err = zsbot.ErrorMessage(errors.New("panic")), nil
		}
	}()
	m := &zsbot.Message{ID: d.MsgID, From: d.From, Text: d.Text, At: d.At, Chat: d.Chat, ChatType: d.ChatType}
	if !d.Command {
		return run.greet(ctx, g, tx, m)
	}
	reply, err = run.resp.Respond(ctx, tx, m)
	if err != nil && zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
		run.opt.Logger.Error("wecom: command failed", "from", d.From, "err", err)
		return zsbot.ErrorMessage(err), nil
	}
	return reply, err
}

// greet returns g's greeting for m.From the first time they open the app
// on a day (a claim shared by all instances), else "". A failure is logged
// and greets no one: a greeting is not worth a retry.
func (run *Once) greet(ctx context.Context, g zsbot.Greeter, tx zsbot.Tx, m *zsbot.Message) (string, error) {
	text, day, err := g.Greet(ctx, tx, m)
	if err == nil {
		var first bool
		if first, err = run.units.ClaimGreeting(ctx, m.From, day); err == nil && !first {
			return "", nil
		}
	}
	if err != nil {
		run.opt.Logger.Warn("wecom: greeting", "from", m.From, "err", err)
		return "", nil
	}
	return text, nil
}
