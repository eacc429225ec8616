package bot

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"zsbot"
	"zsbot/storage"
)

// maxPassive is the longest reply sent passively; longer ones go through
// the outbox, which splits them.
const maxPassive = 2048

// Outcomes of a POST, the label of the handling-latency histogram.
const (
	outPassive     = "passive"     // the reply went back in the response
	outAsync       = "async"       // 200 empty now, the reply by the outbox
	outEmpty       = "empty"       // 200 empty, nothing to say (events)
	outDuplicate   = "duplicate"   // a retry answered from the once-only record
	outRefused     = "refused"     // bad request
	outUnavailable = "unavailable" // 503, WeCom will retry
)

// Handing over a command's reply: the command goroutine and the request
// race to move state from running to one of the others.
const (
	stRunning   int32 = iota
	stPassive         // the request waits for the reply
	stHandedOff       // the request has answered; the reply goes by the outbox
)

// result is what a command hands to the request still waiting for it.
type result struct {
	reply string
	async bool  // the reply went to the outbox
	err   error // EUNAVAILABLE: answer 503
}

// post handles one POST and returns its outcome.
func (c *Callback) post(w http.ResponseWriter, r *http.Request) string {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			c.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", nil)
		} else {
			c.refuse(w, r, http.StatusBadRequest, "body", err)
		}
		return outRefused
	}
	env, err := ParseEnvelope(body)
	if err != nil {
		c.refuse(w, r, http.StatusBadRequest, "xml", err)
		return outRefused
	}
	q := r.URL.Query()
	if reason, status, err := c.checkRequest(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), env.Encrypt); err != nil {
		c.refuse(w, r, status, reason, err)
		return outRefused
	}
	plain, err := c.crypto.Decrypt(env.Encrypt)
	if err != nil {
		status, reason := decryptRefusal(err)
		c.refuse(w, r, status, reason, err)
		return outRefused
	}
	m, err := ParseInbound(plain)
	if err != nil {
		c.refuse(w, r, http.StatusBadRequest, "message", err)
		return outRefused
	}
	switch {
	case m.MsgType == "text":
		return c.deliver(w, r, m, m.FromUserName, c.aheadOf(m.Content), func(ctx context.Context) (string, error) {
			return c.respond(ctx, &zsbot.Message{ID: m.MsgID, From: m.FromUserName, Text: m.Content, At: c.opt.Now()})
		})
	case m.MsgType == "event" && m.Event == "enter_agent" && c.opt.Greeting != "":
		return c.deliver(w, r, m, "", ahead{}, constant(c.opt.Greeting))
	case m.MsgType == "event":
		return outEmpty
	default:
		return c.deliver(w, r, m, "", ahead{}, constant(ReplyNotText))
	}
}

func constant(s string) func(context.Context) (string, error) {
	return func(context.Context) (string, error) { return s, nil }
}

// deliver runs a message's command once across retries and answers it.
// user is the sender whose session the command reads ("" for none), and a
// what the command likely allocates and reads first: the claim reads and
// reserves them in the same round trip.
//
// A retry takes over the claim of a first delivery whose process died
// before finishing it (storage.Begin; the claim names this process's
// Instance), and runs the command.
func (c *Callback) deliver(w http.ResponseWriter, r *http.Request, m *Inbound, user string, a ahead, run func(context.Context) (string, error)) string {
	deadline := time.Now().Add(c.opt.ReplyTimeout)
	claim := storage.Claim{Delivery: m.DeliveryID(), TTL: c.opt.OnceTTL, User: user, Reserve: a.reserve, Read: a.read, ReadID: a.readID, Instance: c.inst.Load()}
	u, prev, err := c.begin(r, claim)
	if err != nil {
		if c.opt.Metrics.countWriteRefusal(err) {
			return c.unclaimed(w, r, m, a.writes, run, err)
		}
		c.refuse(w, r, http.StatusServiceUnavailable, "redis", err)
		return outUnavailable
	}
	if prev != nil {
		c.opt.Metrics.duplicates.Inc()
		var outcome string
		if u, outcome = c.answerRetry(w, r, m, claim, prev, deadline); u == nil {
			return outcome
		}
	}
	var state atomic.Int32
	done := make(chan result, 1)
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(c.base, c.opt.CommandTimeout)
		defer cancel()
		done <- c.finish(u.Context(ctx), m, u, run, &state)
	}()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case res := <-done:
		return c.answer(w, r, m, res)
	case <-timer.C:
	case <-r.Context().Done():
	}
	if state.CompareAndSwap(stRunning, stHandedOff) {
		return outAsync // 200 with an empty body
	}
	return c.answer(w, r, m, <-done)
}

// begin claims a delivery (storage.Begin), answering nothing: on an error
// (Redis failed, or refused the claim's write) the caller answers.
func (c *Callback) begin(r *http.Request, claim storage.Claim) (*storage.Unit, *storage.Delivery, error) {
	ctx, cancel := context.WithTimeout(r.Context(), c.opt.ClaimTimeout)
	u, prev, err := c.db.Begin(ctx, claim)
	cancel()
	if err != nil {
		if u != nil && storage.RefusalCause(err) == "" { // a refused claim wrote nothing: none to release
			c.release(u, c.opt.Logger.With("delivery", claim.Delivery))
		}
		return nil, nil, err
	}
	if u != nil && u.TookOver() != "" {
		c.opt.Metrics.takeovers.Inc()
		c.opt.Logger.Info("wecom: took over the claim of a dead instance, running its command",
			"delivery", claim.Delivery, "instance", u.TookOver())
	}
	return u, prev, nil
}

// unclaimed answers a message whose once-only record Redis refused to
// write (refusal, code EWRITE): nothing was claimed or written. A command
// that writes nothing runs all the same, without the record — running a
// read twice changes nothing — and its reply goes back passively (the
// outbox, a write, is closed too); any other command gets the refusal's
// reply, which names the cause and asks to send it again later. Both are
// a 200: the answer is known, and WeCom's retry would meet the same
// refusal. Only a read that fails to reach Redis, or overruns the reply
// deadline, gets 503.
func (c *Callback) unclaimed(w http.ResponseWriter, r *http.Request, m *Inbound, writes bool, run func(context.Context) (string, error), refusal error) string {
	c.opt.Logger.Warn("wecom: Redis refuses writes", "delivery", m.DeliveryID(), "writes", writes, "err", refusal)
	reply := zsbot.ErrorMessage(refusal)
	if !writes {
		ctx, cancel := context.WithTimeout(r.Context(), c.opt.ReplyTimeout)
		var err error
		reply, err = run(ctx)
		cancel()
		if err != nil {
			return c.answer(w, r, m, result{err: err})
		}
	}
	return c.answer(w, r, m, result{reply: reply})
}

// finish runs the command and commits it with its reply: passively if the
// request still waits and the reply fits, else through the outbox — the
// command's change, the once-only record and the late reply in one script.
func (c *Callback) finish(ctx context.Context, m *Inbound, u *storage.Unit, run func(context.Context) (string, error), state *atomic.Int32) result {
	reply, err := run(ctx)
	waiting := state.CompareAndSwap(stRunning, stPassive)
	log := c.opt.Logger.With("delivery", m.DeliveryID(), "from", m.FromUserName)
	// Record the outcome even when the command used up its time or shutdown
	// cancelled it: the command's own writes have happened.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err != nil {
		if waiting {
			c.release(u, log)
			return result{err: err}
		}
		// The request already answered 200, so WeCom will not retry: tell the sender.
		u.Drop()
		reply = zsbot.ErrorMessage(err)
	}
	passive := waiting && len(reply) <= maxPassive
	reply, passive, err = c.commit(ctx, u, m, reply, passive)
	if err != nil {
		log.Error("wecom: commit the command", "err", err)
		c.release(u, log)
		switch {
		case !waiting:
			return result{async: true}
		case !c.opt.Metrics.countWriteRefusal(err):
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

// answerRetry answers a delivery whose MsgId was seen before: with the
// stored reply once it is there (waiting for it until deadline), and never
// by running the command again while the first delivery's process lives.
// When the wait ends with the claim still pending, it claims once more:
// should the claim's process have died meanwhile (restarted, say), the
// claim is taken over and answerRetry returns its Unit, for the caller to
// run the command — its reply then goes by app message, the deadline
// being past.
func (c *Callback) answerRetry(w http.ResponseWriter, r *http.Request, m *Inbound, claim storage.Claim, d *storage.Delivery, deadline time.Time) (*storage.Unit, string) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !d.Done && time.Now().Before(deadline) {
		select {
		case <-r.Context().Done():
			return nil, outDuplicate
		case <-tick.C:
		}
		var err error
		if d, err = c.db.GetDelivery(r.Context(), claim.Delivery); err != nil {
			// Gone: the first delivery failed and released it; 503 makes WeCom retry.
			reason := "redis"
			if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
				reason = "unavailable"
			}
			c.refuse(w, r, http.StatusServiceUnavailable, reason, err)
			return nil, outUnavailable
		}
	}
	if !d.Done && d.Inst != "" && r.Context().Err() == nil {
		u, prev, err := c.begin(r, claim)
		if err != nil {
			c.refuse(w, r, http.StatusServiceUnavailable, "redis", err)
			return nil, outUnavailable
		}
		if u != nil {
			return u, ""
		}
		d = prev
	}
	if d.Done && d.Passive {
		c.answer(w, r, m, result{reply: d.Reply})
	}
	return nil, outDuplicate
}

// answer writes a command's result: 503, 200 empty, or the encrypted reply.
func (c *Callback) answer(w http.ResponseWriter, r *http.Request, m *Inbound, res result) string {
	switch {
	case res.err != nil:
		c.refuse(w, r, http.StatusServiceUnavailable, "unavailable", res.err)
		return outUnavailable
	case res.async:
		return outAsync
	case res.reply == "":
		return outEmpty
	}
	now := c.opt.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	body, err := c.crypto.ReplyEnvelope(c.opt.Random, ReplyPlaintext(m.FromUserName, c.corpID, now.Unix(), res.reply), ts, c.nonce())
	if err != nil {
		c.opt.Logger.Error("wecom: encrypt reply", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return outUnavailable
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(body)
	return outPassive
}

// respond runs the Responder. Any error but EUNAVAILABLE, and a panic,
// become the generic reply, logged once.
func (c *Callback) respond(ctx context.Context, m *zsbot.Message) (reply string, err error) {
	defer func() {
		if p := recover(); p != nil {
			c.opt.Logger.Error("wecom: command panicked", "from", m.From, "panic", fmt.Sprint(p))
			reply, err = zsbot.ErrorMessage(errors.New("panic")), nil
		}
	}()
	reply, err = c.resp.Respond(ctx, m)
	if err != nil && zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
		c.opt.Logger.Error("wecom: command failed", "from", m.From, "err", err)
		return zsbot.ErrorMessage(err), nil
	}
	return reply, err
}

// nonce returns ten random digits.
func (c *Callback) nonce() string {
	var b [8]byte
	io.ReadFull(c.opt.Random, b[:])
	return strconv.FormatUint(1e9+binary.BigEndian.Uint64(b[:])%9e9, 10)
}
