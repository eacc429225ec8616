// Package wecompeer plays WeCom's side of an app callback: it signs and
// encrypts the requests WeCom would send and opens the bot's passive
// replies. The tests and the load generator (cmd/zsbench) use it; it
// imports nothing of the test tooling, so a command may link it.
package wecompeer

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// Client plays WeCom's side of an app callback: it builds signed, encrypted
// requests and opens the passive replies. Its crypto is silenceper's util,
// not package bot's, so a test of bot against it checks two independent
// implementations of WeCom's scheme.
type Client struct {
	Token   string    // the callback token
	AESKey  string    // the 43-character EncodingAESKey
	CorpID  string    // the receive id
	AgentID string    // the app's agent id
	Random  io.Reader // the 16-byte prefixes; default crypto/rand
}

// Sign returns the msg_signature of encrypt with timestamp and nonce.
func (c *Client) Sign(timestamp, nonce, encrypt string) string {
	return util.Signature(c.Token, timestamp, nonce, encrypt)
}

// Encrypt returns the base64 ciphertext of msg for c's receive id.
func (c *Client) Encrypt(msg []byte) (string, error) {
	r := c.Random
	if r == nil {
		r = rand.Reader
	}
	prefix := make([]byte, 16)
	if _, err := io.ReadFull(r, prefix); err != nil {
		return "", err
	}
	b, err := util.EncryptMsg(prefix, msg, c.CorpID, c.AESKey)
	return string(b), err
}

// VerifyURL returns WeCom's GET verification request of target with the
// encrypted echo.
func (c *Client) VerifyURL(target, echo string, at time.Time, nonce string) (*http.Request, error) {
	enc, err := c.Encrypt([]byte(echo))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	q := url.Values{"msg_signature": {c.Sign(ts, nonce, enc)}, "timestamp": {ts}, "nonce": {nonce}, "echostr": {enc}}
	return http.NewRequest(http.MethodGet, target+"?"+q.Encode(), nil)
}

// Text returns the plaintext XML of a text message from member.
func (c *Client) Text(member, content, msgID string, at time.Time) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName>\n<FromUserName><![CDATA[%s]]></FromUserName>\n"+
		"<CreateTime>%d</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[%s]]></Content>\n"+
		"<MsgId>%s</MsgId>\n<AgentID>%s</AgentID>\n</xml>", c.CorpID, member, at.Unix(), content, msgID, c.AgentID)
}

// Other returns the plaintext XML of a message of msgType (image, voice,
// location, …) from member.
func (c *Client) Other(member, msgType, msgID string, at time.Time) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[%s]]></MsgType><MediaId><![CDATA[m1]]></MediaId>"+
		"<MsgId>%s</MsgId><AgentID>%s</AgentID></xml>", c.CorpID, member, at.Unix(), msgType, msgID, c.AgentID)
}

// Event returns the plaintext XML of an event (enter_agent, …) from member.
func (c *Client) Event(member, event string, at time.Time) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><FromUserName><![CDATA[%s]]></FromUserName>"+
		"<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event>"+
		"<EventKey><![CDATA[]]></EventKey><AgentID>%s</AgentID></xml>", c.CorpID, member, at.Unix(), event, c.AgentID)
}

// Post returns the callback POST of target carrying plaintext, encrypted
// and signed with the timestamp of at.
func (c *Client) Post(target string, plaintext []byte, at time.Time, nonce string) (*http.Request, error) {
	enc, err := c.Encrypt(plaintext)
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	return c.PostEncrypted(target, enc, ts, nonce, c.Sign(ts, nonce, enc))
}

// PostEncrypted returns a callback POST with the given Encrypt text,
// timestamp, nonce and signature, for requests that must be wrong.
func (c *Client) PostEncrypted(target, encrypt, timestamp, nonce, signature string) (*http.Request, error) {
	return http.NewRequest(http.MethodPost, target+"?"+Query(timestamp, nonce, signature), bytes.NewReader(c.Envelope(encrypt)))
}

// Envelope returns the body of a callback POST carrying encrypt.
func (c *Client) Envelope(encrypt string) []byte {
	return fmt.Appendf(nil, "<xml><ToUserName><![CDATA[%s]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt><AgentID><![CDATA[%s]]></AgentID></xml>",
		c.CorpID, encrypt, c.AgentID)
}

// Query returns the query string of a callback POST.
func Query(timestamp, nonce, signature string) string {
	return url.Values{"msg_signature": {signature}, "timestamp": {timestamp}, "nonce": {nonce}}.Encode()
}

// Reply is a decrypted passive reply.
type Reply struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"`
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"`
	Content      string `xml:"Content"`
}

// OpenReply checks the signature of a passive reply body, decrypts it
// (checking the receive id) and parses it.
func (c *Client) OpenReply(body []byte) (*Reply, error) {
	var env struct {
		Encrypt      string `xml:"Encrypt"`
		MsgSignature string `xml:"MsgSignature"`
		TimeStamp    string `xml:"TimeStamp"`
		Nonce        string `xml:"Nonce"`
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("wecompeer: reply envelope: %w", err)
	}
	if c.Sign(env.TimeStamp, env.Nonce, env.Encrypt) != env.MsgSignature {
		return nil, fmt.Errorf("wecompeer: reply signature does not match")
	}
	_, plain, err := util.DecryptMsg(c.CorpID, env.Encrypt, c.AESKey)
	if err != nil {
		return nil, fmt.Errorf("wecompeer: reply: %w", err)
	}
	var r Reply
	if err := xml.Unmarshal(plain, &r); err != nil {
		return nil, fmt.Errorf("wecompeer: reply plaintext: %w", err)
	}
	return &r, nil
}
