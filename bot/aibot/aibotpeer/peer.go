// Package aibotpeer plays WeCom's side of the 智能机器人's callback: it
// signs and encrypts the JSON requests WeCom would send (messages, stream
// refreshes, the enter-chat event, card clicks) with an empty receive id,
// and opens the bot's encrypted JSON replies. Its crypto is silenceper's
// util for encryption and signatures and its own AES for replies — not
// package bot's — so the tests check two implementations of the scheme.
package aibotpeer

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"zsbot/bot/wecompeer"
)

// Client plays WeCom for one 智能机器人.
type Client struct {
	Token   string    // the callback token
	AESKey  string    // the 43-character EncodingAESKey
	AIBotID string    // the bot's id, as WeCom names it in each callback
	Random  io.Reader // the 16-byte prefixes; default crypto/rand
}

// app is the app callback's peer with the empty receive id: the
// 智能机器人's signature, encryption and URL verification are the app's.
func (c *Client) app() *wecompeer.Client {
	return &wecompeer.Client{Token: c.Token, AESKey: c.AESKey, Random: c.Random}
}

// Sign returns the msg_signature of encrypt with timestamp and nonce.
func (c *Client) Sign(timestamp, nonce, encrypt string) string {
	return c.app().Sign(timestamp, nonce, encrypt)
}

// Encrypt returns the base64 ciphertext of msg with the empty receive id.
func (c *Client) Encrypt(msg []byte) (string, error) { return c.app().Encrypt(msg) }

// Decrypt opens a ciphertext and checks that its receive id is empty.
// (silenceper's DecryptMsg refuses an empty receive id, so this is
// written out here.)
func (c *Client) Decrypt(encrypt string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(c.AESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("aibotpeer: bad AES key")
	}
	ct, err := base64.StdEncoding.DecodeString(encrypt)
	if err != nil || len(ct) == 0 || len(ct)%aes.BlockSize != 0 {
		return nil, errors.New("aibotpeer: bad ciphertext")
	}
	block, _ := aes.NewCipher(key)
	pt := make([]byte, len(ct))
	cipher.NewCBCDecrypter(block, key[:16]).CryptBlocks(pt, ct)
	pad := int(pt[len(pt)-1])
	if pad < 1 || pad > 32 || pad > len(pt) {
		return nil, errors.New("aibotpeer: bad padding")
	}
	pt = pt[:len(pt)-pad]
	if len(pt) < 20 {
		return nil, errors.New("aibotpeer: too short")
	}
	n := int(binary.BigEndian.Uint32(pt[16:20]))
	if n > len(pt)-20 {
		return nil, errors.New("aibotpeer: bad length")
	}
	if rid := pt[20+n:]; len(rid) != 0 {
		return nil, fmt.Errorf("aibotpeer: receive id %q, want empty", rid)
	}
	return pt[20 : 20+n], nil
}

// VerifyURL returns the GET verification request of target with the
// encrypted echo.
func (c *Client) VerifyURL(target, echo string, at time.Time, nonce string) (*http.Request, error) {
	return c.app().VerifyURL(target, echo, at, nonce)
}

// Chat is where a message is sent: a group's chatid, or "" for the
// one-to-one chat.
type Chat string

func (c *Client) base(msgID, from string, chat Chat, msgType string) map[string]any {
	m := map[string]any{"msgid": msgID, "aibotid": c.AIBotID, "chattype": "single",
		"from": map[string]any{"userid": from}, "msgtype": msgType}
	if chat != "" {
		m["chatid"], m["chattype"] = string(chat), "group"
	}
	return m
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Text returns the plaintext of a text message; in a group, content
// carries the bot's @mention as WeCom sends it ("@招商助手 拜访 …").
func (c *Client) Text(msgID, from string, chat Chat, content string) []byte {
	m := c.base(msgID, from, chat, "text")
	m["response_url"] = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=" + msgID
	m["text"] = map[string]any{"content": content}
	return mustJSON(m)
}

// Image returns the plaintext of a picture message.
func (c *Client) Image(msgID, from string) []byte {
	m := c.base(msgID, from, "", "image")
	m["image"] = map[string]any{"url": "https://example.invalid/p.png"}
	return mustJSON(m)
}

// Refresh returns the plaintext of WeCom's refresh of stream id.
func (c *Client) Refresh(msgID, from string, chat Chat, streamID string) []byte {
	m := c.base(msgID, from, chat, "stream")
	m["stream"] = map[string]any{"id": streamID}
	return mustJSON(m)
}

// EnterChat returns the plaintext of the event of a member opening the
// one-to-one chat.
func (c *Client) EnterChat(msgID, from string, at time.Time) []byte {
	m := c.base(msgID, from, "", "event")
	m["create_time"] = at.Unix()
	m["event"] = map[string]any{"eventtype": "enter_chat"}
	return mustJSON(m)
}

// Click returns the plaintext of a click on the button key of card
// taskID.
func (c *Client) Click(msgID, from string, chat Chat, key, taskID string, at time.Time) []byte {
	m := c.base(msgID, from, chat, "event")
	m["create_time"] = at.Unix()
	m["event"] = map[string]any{"eventtype": "template_card_event", "template_card_event": map[string]any{
		"card_type": "button_interaction", "event_key": key, "task_id": taskID}}
	return mustJSON(m)
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

// PostEncrypted returns a POST with the given encrypt, timestamp, nonce
// and signature, for requests that must be wrong.
func (c *Client) PostEncrypted(target, encrypt, timestamp, nonce, signature string) (*http.Request, error) {
	r, err := http.NewRequest(http.MethodPost, target+"?"+wecompeer.Query(timestamp, nonce, signature), bytes.NewReader(mustJSON(map[string]string{"encrypt": encrypt})))
	if err == nil {
		r.Header.Set("Content-Type", "application/json")
	}
	return r, err
}

// Reply is a decrypted passive reply.
type Reply struct {
	MsgType      string `json:"msgtype"`
	ResponseType string `json:"response_type"`
	Text         *struct {
		Content string `json:"content"`
	} `json:"text"`
	Stream *struct {
		ID      string `json:"id"`
		Finish  bool   `json:"finish"`
		Content string `json:"content"`
	} `json:"stream"`
	Card *Card `json:"template_card"`
}

// Card is a template card as the bot sent it.
type Card struct {
	CardType  string `json:"card_type"`
	TaskID    string `json:"task_id"`
	MainTitle struct {
		Title string `json:"title"`
		Desc  string `json:"desc"`
	} `json:"main_title"`
	SubTitle string `json:"sub_title_text"`
	Fields   []struct {
		Key   string `json:"keyname"`
		Value string `json:"value"`
	} `json:"horizontal_content_list"`
	Buttons []struct {
		Text string `json:"text"`
		Key  string `json:"key"`
	} `json:"button_list"`
}

// Field returns the value of the card's line named key, "" for none.
func (c *Card) Field(key string) string {
	for _, f := range c.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// OpenReply checks a reply body's signature, decrypts it and parses it.
func (c *Client) OpenReply(body []byte) (*Reply, error) {
	var env struct {
		Encrypt      string `json:"encrypt"`
		MsgSignature string `json:"msgsignature"`
		Timestamp    int64  `json:"timestamp"`
		Nonce        string `json:"nonce"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("aibotpeer: reply envelope: %w (%q)", err, body)
	}
	if c.Sign(strconv.FormatInt(env.Timestamp, 10), env.Nonce, env.Encrypt) != env.MsgSignature {
		return nil, errors.New("aibotpeer: reply signature does not match")
	}
	plain, err := c.Decrypt(env.Encrypt)
	if err != nil {
		return nil, err
	}
	var r Reply
	if err := json.Unmarshal(plain, &r); err != nil {
		return nil, fmt.Errorf("aibotpeer: reply plaintext: %w", err)
	}
	return &r, nil
}
