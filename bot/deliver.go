package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"unicode/utf8"
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
	outTooLong     = "too_long"    // a message over MaxBody, answered that it is too long
	outUnavailable = "unavailable" // 503, WeCom will retry
)

// post handles one POST and returns its outcome.
func (c *Callback) post(w http.ResponseWriter, r *http.Request) string {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, HardMaxBody))
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
	if len(body) > MaxBody {
		// Too long to run: nothing is claimed or written, so a retry gets
		// the same answer.
		if m.MsgType != "text" {
			return outEmpty
		}
		c.opt.Logger.Warn("wecom callback: message too long, answered so", "bytes", len(body), "from", m.FromUserName)
		return c.answer(w, r, m, Result{Outcome: outTooLong, Reply: fmt.Sprintf(ReplyTooLong, utf8.RuneCountInString(m.Content))})
	}
	d := &Delivery{ID: m.DeliveryID(), MsgID: m.MsgID, From: m.FromUserName, At: c.opt.Now(), MaxPassive: maxPassive}
	switch {
	case m.MsgType == "text":
		d.Command, d.Text = true, m.Content
	case m.MsgType == "event" && m.Event == "enter_agent":
		d.Greet, d.Reply = true, c.opt.Greeting
	case m.MsgType == "event":
		return outEmpty
	default:
		d.Reply = ReplyNotText
	}
	return c.answer(w, r, m, c.Run(r.Context(), d))
}

// answer writes the Once's result: 503, 200 empty, or the encrypted
// reply. It returns the outcome.
func (c *Callback) answer(w http.ResponseWriter, r *http.Request, m *Inbound, res Result) string {
	if res.Outcome == outUnavailable {
		c.refuse(w, r, http.StatusServiceUnavailable, res.Reason, res.Err)
		return outUnavailable
	}
	if res.Reply == "" {
		return res.Outcome
	}
	now := c.opt.Now()
	ts := strconv.FormatInt(now.Unix(), 10)
	body, err := c.crypto.ReplyEnvelope(c.opt.Random, ReplyPlaintext(m.FromUserName, c.corpID, now.Unix(), res.Reply), ts, c.nonce())
	if err != nil {
		c.opt.Logger.Error("wecom: encrypt reply", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		if res.Outcome == outDuplicate {
			return outDuplicate
		}
		return outUnavailable
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(body)
	return res.Outcome
}

// nonce returns ten random digits.
func (c *Callback) nonce() string {
	var b [8]byte
	io.ReadFull(c.opt.Random, b[:])
	return strconv.FormatUint(1e9+binary.BigEndian.Uint64(b[:])%9e9, 10)
}
