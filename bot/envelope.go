package bot

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Envelope is the outer XML of a callback POST: the encrypted message and
// the app it is for. AgentID arrives as CDATA text and stays a string.
type Envelope struct {
	ToUserName string `xml:"ToUserName"`
	Encrypt    string `xml:"Encrypt"`
	AgentID    string `xml:"AgentID"`
}

// ParseEnvelope parses a POST body. It fails when the XML is malformed or
// carries no Encrypt element.
func ParseEnvelope(body []byte) (*Envelope, error) {
	e, ok := flatEnvelope(body)
	if !ok {
		e = &Envelope{}
		if err := xml.Unmarshal(body, e); err != nil {
			return nil, fmt.Errorf("wecom: envelope: %w", err)
		}
	}
	if e.Encrypt = strings.TrimSpace(e.Encrypt); e.Encrypt == "" {
		return nil, errors.New("wecom: envelope has no Encrypt")
	}
	return e, nil
}

// Inbound is a decrypted callback message or event. AgentID is a bare
// number here but parsed as a string, like the envelope's; MsgId is a
// 64-bit number kept as text.
type Inbound struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"`
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"`
	Content      string `xml:"Content"`
	MsgID        string `xml:"MsgId"`
	AgentID      string `xml:"AgentID"`
	Event        string `xml:"Event"`
	EventKey     string `xml:"EventKey"`
}

// ParseInbound parses a decrypted message. It fails on malformed XML or a
// message without sender or type.
func ParseInbound(plain []byte) (*Inbound, error) {
	m, ok := flatInbound(plain)
	if !ok {
		m = &Inbound{}
		if err := xml.Unmarshal(plain, m); err != nil {
			return nil, fmt.Errorf("wecom: message: %w", err)
		}
	}
	if m.FromUserName == "" || m.MsgType == "" {
		return nil, errors.New("wecom: message has no FromUserName or MsgType")
	}
	return m, nil
}

// DeliveryID names the delivery for the once-only record: the sender and
// MsgId of a message (MessageDelivery), sender and CreateTime (and event)
// of an event, which has none.
func (m *Inbound) DeliveryID() string {
	if m.MsgID != "" {
		return MessageDelivery(m.FromUserName, m.MsgID)
	}
	return "e:" + m.FromUserName + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.Event
}

// MessageDelivery is the delivery id of message msgID from the member
// from: "m:<from>:<msgID>". WeCom's MsgIds are unique per app, yet the
// once-only record is per sender, so that the record of one person's
// message never answers another's (a reply goes to whom it is stored for).
func MessageDelivery(from, msgID string) string { return "m:" + from + ":" + msgID }

// ReplyPlaintext returns the plaintext of a passive text reply to a message
// sent by member to the app of corpID: To and From swapped.
func ReplyPlaintext(member, corpID string, created int64, content string) []byte {
	b := make([]byte, 0, 128+len(member)+len(corpID)+len(content)+len(content)/8)
	b = append(b, "<xml><ToUserName>"...)
	b = escapeText(b, member)
	b = append(b, "</ToUserName><FromUserName>"...)
	b = escapeText(b, corpID)
	b = append(b, "</FromUserName><CreateTime>"...)
	b = strconv.AppendInt(b, created, 10)
	b = append(b, "</CreateTime><MsgType>text</MsgType><Content>"...)
	b = escapeText(b, content)
	return append(b, "</Content></xml>"...)
}

// ReplyEnvelope returns the encrypted passive reply around plaintext,
// signed with timestamp and nonce; random supplies the 16-byte prefix.
func (c *Crypto) ReplyEnvelope(random io.Reader, plaintext []byte, timestamp, nonce string) ([]byte, error) {
	enc, err := c.Encrypt(random, plaintext)
	if err != nil {
		return nil, err
	}
	sig := c.Sign(timestamp, nonce, enc)
	b := make([]byte, 0, 128+len(enc)+len(sig)+len(timestamp)+len(nonce))
	b = append(b, "<xml><Encrypt><![CDATA["...)
	b = append(b, enc...)
	b = append(b, "]]></Encrypt><MsgSignature><![CDATA["...)
	b = append(b, sig...)
	b = append(b, "]]></MsgSignature><TimeStamp>"...)
	b = append(b, timestamp...)
	b = append(b, "</TimeStamp><Nonce><![CDATA["...)
	b = append(b, nonce...)
	return append(b, "]]></Nonce></xml>"...), nil
}

// escapeText appends s with the characters XML reserves in text escaped
// and each byte that is not UTF-8 as U+FFFD; line feeds stay literal.
func escapeText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		switch c := s[i]; {
		case c == '&':
			b = append(b, "&amp;"...)
		case c == '<':
			b = append(b, "&lt;"...)
		case c == '>':
			b = append(b, "&gt;"...)
		case c < utf8.RuneSelf:
			b = append(b, c)
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r) // RuneError for a bad byte, as ranging over s gives
			i += n
			continue
		}
		i++
	}
	return b
}
