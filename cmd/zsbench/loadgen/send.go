package loadgen

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"zsbot/bot"
	"zsbot/bot/wecompeer"
)

// Outcomes of one delivery, as counted in a Phase.
const (
	OutReply       = "reply"       // 200 with an encrypted reply: acknowledged
	OutEmpty       = "empty"       // 200 without a reply (it comes later by app message)
	OutUnavailable = "unavailable" // 503: the bot asks WeCom to retry
	OutStatus      = "status"      // any other HTTP status
	OutTransport   = "transport"   // no HTTP answer (refused, reset, timeout)
	OutBadReply    = "bad_reply"   // a reply that does not open (signature, crypto, XML)
	OutMismatch    = "mismatch"    // copies of one message answered with different replies
)

// IsError reports whether an outcome counts as an error of the run.
func IsError(outcome string) bool { return outcome != OutReply && outcome != OutEmpty }

// sender posts signed, encrypted callbacks to the bot as WeCom would.
type sender struct {
	client *wecompeer.Client
	crypto *bot.Crypto // encrypts: wecompeer's silenceper crypto rebuilds its cipher every call
	opener *opener
	conns  *conns
	msgID  atomic.Uint64
	// retries and retryDelay are WeCom's: a delivery that does not get 200
	// is sent again after retryDelay, up to retries more times.
	retries    int
	retryDelay time.Duration
	// copies, when above 1, delivers each message 1..copies times at once
	// (duplicate and concurrent deliveries of one MsgId).
	copies int
}

func newSender(cfg *Config) (*sender, error) {
	c, err := newConns(cfg.URL, cfg.Timeout)
	if err != nil {
		return nil, err
	}
	cr, err := bot.NewCrypto(cfg.Client.Token, cfg.Client.AESKey, cfg.Client.CorpID)
	if err != nil {
		return nil, err
	}
	s := &sender{client: &cfg.Client, crypto: cr, opener: &opener{client: &cfg.Client, crypto: cr}, conns: c,
		retries: cfg.Retries, retryDelay: cfg.RetryDelay, copies: cfg.Copies}
	// MsgIds look like WeCom's (19 digits) and differ between runs.
	s.msgID.Store(uint64(time.Now().UnixNano()))
	return s, nil
}

// delivery is the result of one message: its final outcome and reply.
type delivery struct {
	msgID   string
	outcome string
	reply   string
	err     error
	copies  int
	retries int  // deliveries after the first (WeCom's retries)
	saw503  bool // a delivery before the last was answered 503
}

// deliver sends text from user: each copy, and each copy's retries, until
// it gets a 200. The outcome is the best copy's; copies that got replies
// must agree on them.
func (s *sender) deliver(ctx context.Context, user, text string, copies int) delivery {
	id := strconv.FormatUint(s.msgID.Add(1), 10)
	plain := s.client.Text(user, text, id, time.Now())
	if copies <= 1 {
		d := s.withRetries(ctx, plain)
		d.msgID, d.copies = id, 1
		return d
	}
	res := make([]delivery, copies)
	var wg sync.WaitGroup
	for i := range res {
		wg.Go(func() { res[i] = s.withRetries(ctx, plain) })
	}
	wg.Wait()
	best := res[0]
	for _, d := range res[1:] {
		if d.outcome == OutReply && best.outcome == OutReply && d.reply != best.reply {
			best.outcome, best.err = OutMismatch, fmt.Errorf("copies replied %q and %q", best.reply, d.reply)
			break
		}
		if rank(d.outcome) < rank(best.outcome) {
			best = d
		}
	}
	best.msgID, best.copies = id, copies
	return best
}

// rank orders outcomes from best to worst, to report a message by its best
// copy.
func rank(outcome string) int {
	switch outcome {
	case OutReply:
		return 0
	case OutEmpty:
		return 1
	}
	return 2
}

// withRetries posts plain until it gets a 200 or the retries run out.
func (s *sender) withRetries(ctx context.Context, plain []byte) delivery {
	var d delivery
	for attempt := 0; ; attempt++ {
		was503 := d.outcome == OutUnavailable || d.saw503
		d = s.post(ctx, plain)
		d.retries, d.saw503 = attempt, was503
		if d.outcome == OutReply || d.outcome == OutEmpty || d.outcome == OutBadReply || attempt >= s.retries {
			return d
		}
		select {
		case <-ctx.Done():
			return d
		case <-time.After(s.retryDelay):
		}
	}
}

// post sends one encrypted copy of plain and classifies the answer.
func (s *sender) post(ctx context.Context, plain []byte) delivery {
	enc, err := s.crypto.Encrypt(rand.Reader, plain)
	if err != nil {
		return delivery{outcome: OutTransport, err: err}
	}
	ts, nonce := strconv.FormatInt(time.Now().Unix(), 10), strconv.FormatUint(s.msgID.Load()%1e9, 10)
	status, body, err := s.conns.post(ctx, wecompeer.Query(ts, nonce, s.client.Sign(ts, nonce, enc)), s.client.Envelope(enc))
	switch {
	case err != nil:
		return delivery{outcome: OutTransport, err: err}
	case status == http.StatusServiceUnavailable:
		return delivery{outcome: OutUnavailable, err: errors.New(http.StatusText(status))}
	case status != http.StatusOK:
		return delivery{outcome: OutStatus, err: fmt.Errorf("%d %s: %.200s", status, http.StatusText(status), body)}
	case len(body) == 0:
		return delivery{outcome: OutEmpty}
	}
	text, err := s.opener.open(body)
	if err != nil {
		return delivery{outcome: OutBadReply, err: err}
	}
	return delivery{outcome: OutReply, reply: text}
}
