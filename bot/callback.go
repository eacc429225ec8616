// Package bot is zsbot's WeCom transport: the callback endpoint of the
// self-built app (signature, crypto, envelope, once-only delivery, passive
// replies), the sender of app, app-chat and group-robot messages, the worker
// that drains the durable outbox, the metrics, and the HTTP server that puts
// them together for `zsbot serve`.
package bot

import (
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"zsbot"
	"zsbot/config"
)

// MaxBody is the largest callback body whose message runs (64 KiB). A
// larger one, up to HardMaxBody, is verified and decrypted only to tell its
// sender, passively, that the message is too long (ReplyTooLong); beyond
// HardMaxBody the request is refused with 413.
const (
	MaxBody     = 64 << 10
	HardMaxBody = 1 << 20
)

// Replies of the callback that do not come from the handlers.
const (
	ReplyNotText = "请发送文字指令"
	Greeting     = "您好，我是招商助手。发送「帮助」查看可用指令。"
	// ReplyTooLong answers a message over MaxBody; %d is its length in
	// characters.
	ReplyTooLong = "这条消息太长（约%d字），没有处理，也没有记录。请拆开发送：一条消息一个指令，" +
		"例如一次拜访一条「拜访 诺比侃 成都 昨天 洽谈二期用地」；长的备注请精简到几句话。"
)

// CallbackOptions tunes a Callback; zero values take the defaults.
type CallbackOptions struct {
	ReplyTimeout   time.Duration // passive reply deadline; default 3s
	ClaimTimeout   time.Duration // bound of the claim: past it the request gets 503 (Redis down, or the bot overloaded); default 1s
	CommandTimeout time.Duration // bound of a command that overran the deadline; default 1m
	OnceTTL        time.Duration // lifetime of once-only records; default 24h, always above MaxSkew
	Greeting       string        // reply to the enter_agent event when the Responder is no zsbot.Greeter (which greets once a day); "" sends none
	Now            zsbot.Clock   // default time.Now
	Logger         *slog.Logger  // default slog.Default()
	Metrics        *Metrics      // default a fresh set
	Random         io.Reader     // random prefixes and nonces; default crypto/rand
}

// Callback is the http.Handler of the app's callback URL: GET verifies the
// URL, POST delivers a message. It is the XML adapter of a Once: it
// parses, verifies and decrypts a delivery, hands it to a Once, which
// runs text messages through the Responder once per sender and MsgId, and
// writes the answer: a reply ready within ReplyTimeout goes back encrypted
// in the response, a later one through the outbox as an app message.
type Callback struct {
	*Once
	corpID string
	skew   time.Duration
	crypto *Crypto
	opt    CallbackOptions
}

// NewCallback returns the callback of the app w, running commands through
// r in units of work begun in db. It fails when w's token, AES key or
// corp id is missing or the key is malformed.
func NewCallback(w config.WeCom, db Units, r zsbot.Responder, o CallbackOptions) (*Callback, error) {
	if !w.Configured() {
		return nil, errors.New("bot: ZSBOT_WECOM_TOKEN, ZSBOT_WECOM_AES_KEY and ZSBOT_WECOM_CORP_ID are required for the callback")
	}
	c, err := NewCrypto(w.Token, w.AESKey, w.CorpID)
	if err != nil {
		return nil, err
	}
	// The once-only records outlive the replay window.
	o.OnceTTL = max(orDefault(o.OnceTTL, 24*time.Hour), 2*w.MaxSkew+time.Hour)
	if o.Random == nil {
		o.Random = rand.Reader
	}
	run := NewOnce(db, r, RunOptions{ReplyTimeout: o.ReplyTimeout, ClaimTimeout: o.ClaimTimeout, CommandTimeout: o.CommandTimeout,
		OnceTTL: o.OnceTTL, Now: o.Now, Logger: o.Logger, Metrics: o.Metrics})
	o.Now, o.Logger, o.Metrics = run.opt.Now, run.opt.Logger, run.opt.Metrics // as NewOnce defaulted them
	return &Callback{Once: run, corpID: w.CorpID, skew: w.MaxSkew, crypto: c, opt: o}, nil
}

// ServeHTTP answers GET (URL verification) and POST (a message or event).
func (c *Callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		c.verifyURL(w, r)
	case http.MethodPost:
		start := time.Now()
		outcome := c.post(w, r)
		c.opt.Metrics.handled.WithLabelValues(outcome).Observe(time.Since(start).Seconds())
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// verifyURL answers WeCom's URL verification with the decrypted echostr.
func (c *Callback) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// A "+" sent unescaped reads as a space; base64 has no spaces.
	echo := strings.ReplaceAll(q.Get("echostr"), " ", "+")
	if echo == "" {
		c.refuse(w, r, http.StatusBadRequest, "no_echostr", nil)
		return
	}
	if reason, status, err := c.checkRequest(q.Get("msg_signature"), q.Get("timestamp"), q.Get("nonce"), echo); err != nil {
		c.refuse(w, r, status, reason, err)
		return
	}
	msg, err := c.crypto.Decrypt(echo)
	if err != nil {
		status, reason := decryptRefusal(err)
		c.refuse(w, r, status, reason, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(msg)
}

// checkRequest checks the signature, then the timestamp's age.
func (c *Callback) checkRequest(sig, ts, nonce, encrypt string) (reason string, status int, err error) {
	if err := c.crypto.Verify(sig, ts, nonce, encrypt); err != nil {
		return "signature", http.StatusUnauthorized, err
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "timestamp", http.StatusBadRequest, errors.New("timestamp is not a number")
	}
	if c.skew > 0 {
		if d := c.opt.Now().Sub(time.Unix(sec, 0)); d > c.skew || d < -c.skew {
			return "stale", http.StatusUnauthorized, errors.New("timestamp outside the replay window")
		}
	}
	return "", 0, nil
}

// decryptRefusal maps a Decrypt error to its status and reason.
func decryptRefusal(err error) (int, string) {
	if errors.Is(err, ErrReceiveID) {
		return http.StatusForbidden, "receive_id"
	}
	return http.StatusBadRequest, "ciphertext"
}

// refuse answers a request that will not be processed: nothing runs and
// nothing is written. It logs one line, without secrets, and counts it.
func (c *Callback) refuse(w http.ResponseWriter, r *http.Request, status int, reason string, err error) {
	c.opt.Metrics.refusals.WithLabelValues(reason).Inc()
	attrs := []any{"reason", reason, "status", status, "remote", r.RemoteAddr}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	c.opt.Logger.Warn("wecom callback refused", attrs...)
	http.Error(w, http.StatusText(status), status)
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
