package loadgen

import (
	"bytes"
	"fmt"
	"html"
	"sync/atomic"

	"zsbot/bot"
	"zsbot/bot/wecompeer"
)

// opener opens passive replies. Parsing XML twice per reply would cost the
// load generator as much CPU as the bot spends on a command, so it cuts the
// fields out of the bot's fixed layout, checks the signature and decrypts
// (with the bot's own crypto, which keeps its cipher); every fullEvery-th
// reply, and any reply it cannot cut, also goes through
// wecompeer.Client.OpenReply (XML and silenceper's crypto), whose answer
// must agree.
type opener struct {
	client *wecompeer.Client
	crypto *bot.Crypto
	n      atomic.Uint64
}

// fullEvery is how often a reply is also opened the slow, thorough way.
const fullEvery = 64

// open returns a reply's text.
func (o *opener) open(body []byte) (string, error) {
	text, ok, err := o.quick(body)
	if err != nil {
		return "", err
	}
	if ok && o.n.Add(1)%fullEvery != 0 {
		return text, nil
	}
	r, err := o.client.OpenReply(body)
	if err != nil {
		return "", err
	}
	if ok && r.Content != text {
		return "", fmt.Errorf("loadgen: reply opened as %q, but OpenReply reads %q", text, r.Content)
	}
	return r.Content, nil
}

// quick cuts, verifies and decrypts; ok is false when body is not in the
// bot's usual layout.
func (o *opener) quick(body []byte) (text string, ok bool, err error) {
	enc, ok1 := between(body, "<Encrypt><![CDATA[", "]]>")
	sig, ok2 := between(body, "<MsgSignature><![CDATA[", "]]>")
	ts, ok3 := between(body, "<TimeStamp>", "</TimeStamp>")
	nonce, ok4 := between(body, "<Nonce><![CDATA[", "]]>")
	if !ok1 || !ok2 || !ok3 || !ok4 {
		return "", false, nil
	}
	if o.crypto.Verify(string(sig), string(ts), string(nonce), string(enc)) != nil {
		return "", false, fmt.Errorf("loadgen: reply signature does not match")
	}
	plain, err := o.crypto.Decrypt(string(enc))
	if err != nil {
		return "", false, fmt.Errorf("loadgen: reply: %w", err)
	}
	content, ok := between(plain, "<Content>", "</Content>")
	if !ok || bytes.Contains(content, []byte("<![CDATA[")) {
		return "", false, nil
	}
	return html.UnescapeString(string(content)), true, nil
}

// between returns the bytes of b between the first open and the next close.
func between(b []byte, open, close string) ([]byte, bool) {
	i := bytes.Index(b, []byte(open))
	if i < 0 {
		return nil, false
	}
	b = b[i+len(open):]
	j := bytes.Index(b, []byte(close))
	if j < 0 {
		return nil, false
	}
	return b[:j], true
}
