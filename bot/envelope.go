package bot

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
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
	var e Envelope
	if err := xml.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("wecom: envelope: %w", err)
	}
	if e.Encrypt = strings.TrimSpace(e.Encrypt); e.Encrypt == "" {
		return nil, errors.New("wecom: envelope has no Encrypt")
	}
	return &e, nil
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
	var m Inbound
	if err := xml.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("wecom: message: %w", err)
	}
	if m.FromUserName == "" || m.MsgType == "" {
		return nil, errors.New("wecom: message has no FromUserName or MsgType")
	}
	return &m, nil
}

// DeliveryID names the delivery for the once-only record: the MsgId of a
// message, sender and CreateTime (and event) of an event, which has none.
func (m *Inbound) DeliveryID() string {
	if m.MsgID != "" {
		return "m:" + m.MsgID
	}
	return "e:" + m.FromUserName + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.Event
}

// ReplyPlaintext returns the plaintext of a passive text reply to a message
// sent by member to the app of corpID: To and From swapped.
func ReplyPlaintext(member, corpID string, created int64, content string) []byte {
	var b strings.Builder
	b.WriteString("<xml><ToUserName>")
	escapeText(&b, member)
	b.WriteString("</ToUserName><FromUserName>")
	escapeText(&b, corpID)
	b.WriteString("</FromUserName><CreateTime>")
	b.WriteString(strconv.FormatInt(created, 10))
	b.WriteString("</CreateTime><MsgType>text</MsgType><Content>")
	escapeText(&b, content)
	b.WriteString("</Content></xml>")
	return []byte(b.String())
}

// ReplyEnvelope returns the encrypted passive reply around plaintext,
// signed with timestamp and nonce; random supplies the 16-byte prefix.
func (c *Crypto) ReplyEnvelope(random io.Reader, plaintext []byte, timestamp, nonce string) ([]byte, error) {
	enc, err := c.Encrypt(random, plaintext)
	if err != nil {
		return nil, err
	}
	return []byte("<xml><Encrypt><![CDATA[" + enc + "]]></Encrypt><MsgSignature><![CDATA[" +
		c.Sign(timestamp, nonce, enc) + "]]></MsgSignature><TimeStamp>" + timestamp +
		"</TimeStamp><Nonce><![CDATA[" + nonce + "]]></Nonce></xml>"), nil
}

// escapeText writes s with the characters XML reserves in text escaped;
// line feeds stay literal.
func escapeText(b *strings.Builder, s string) {
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
}
