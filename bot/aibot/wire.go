package aibot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// Envelope is the body of a callback POST: {"encrypt": "…"}.
type Envelope struct {
	Encrypt string `json:"encrypt"`
}

// ParseEnvelope parses a POST body. It fails on malformed JSON or an
// envelope without encrypt.
func ParseEnvelope(body []byte) (*Envelope, error) {
	var e Envelope
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("aibot: envelope: %w", err)
	}
	if e.Encrypt = strings.TrimSpace(e.Encrypt); e.Encrypt == "" {
		return nil, errors.New("aibot: envelope has no encrypt")
	}
	return &e, nil
}

// Message is a decrypted callback: a message, a stream refresh or an
// event, as WeCom's 智能机器人 sends them (document/path/100719, 101027).
type Message struct {
	MsgID       string `json:"msgid"`
	CreateTime  int64  `json:"create_time,omitempty"`
	AIBotID     string `json:"aibotid"`
	ChatID      string `json:"chatid,omitempty"`
	ChatType    string `json:"chattype"` // "single" or "group"
	From        From   `json:"from"`
	ResponseURL string `json:"response_url,omitempty"`
	MsgType     string `json:"msgtype"` // text, mixed, image, voice, file, stream, event
	Text        *Text  `json:"text,omitempty"`
	Mixed       *Mixed `json:"mixed,omitempty"`
	Stream      *struct {
		ID string `json:"id"`
	} `json:"stream,omitempty"`
	Event *Event `json:"event,omitempty"`
	Quote *struct {
		MsgType string `json:"msgtype"`
		Text    *Text  `json:"text,omitempty"`
	} `json:"quote,omitempty"`
}

// From is who sent a message or caused an event.
type From struct {
	UserID string `json:"userid"`
	CorpID string `json:"corpid,omitempty"`
}

// Text is a text message's content, the bot's @mention included.
type Text struct {
	Content string `json:"content"`
}

// Mixed is a message of text and pictures.
type Mixed struct {
	Items []struct {
		MsgType string `json:"msgtype"`
		Text    *Text  `json:"text,omitempty"`
	} `json:"msg_item"`
}

// Event is an event's body; CardEvent is set for template_card_event.
type Event struct {
	Type      string     `json:"eventtype"`
	CardEvent *CardEvent `json:"template_card_event,omitempty"`
}

// CardEvent is a click on a template card's button.
type CardEvent struct {
	CardType string `json:"card_type"`
	EventKey string `json:"event_key"`
	TaskID   string `json:"task_id"`
}

// Chat types.
const (
	ChatSingle = "single"
	ChatGroup  = "group"
)

// ParseMessage parses a decrypted callback. It fails on malformed JSON, a
// message without msgid, sender or type, a stream refresh without its id
// and an event without its type.
func ParseMessage(plain []byte) (*Message, error) {
	var m Message
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, fmt.Errorf("aibot: message: %w", err)
	}
	switch {
	case m.MsgID == "" || m.From.UserID == "" || m.MsgType == "":
		return nil, errors.New("aibot: message has no msgid, from.userid or msgtype")
	case m.MsgType == "stream" && (m.Stream == nil || m.Stream.ID == ""):
		return nil, errors.New("aibot: stream refresh has no stream.id")
	case m.MsgType == "event" && (m.Event == nil || m.Event.Type == ""):
		return nil, errors.New("aibot: event has no eventtype")
	}
	return &m, nil
}

// Group reports whether m came from a group chat.
func (m *Message) Group() bool { return m.ChatType == ChatGroup }

// Content returns the text a member typed: a text message's content, or
// the text parts of a mixed one joined by spaces; "" for other kinds.
func (m *Message) Content() string {
	switch {
	case m.MsgType == "text" && m.Text != nil:
		return m.Text.Content
	case m.MsgType == "mixed" && m.Mixed != nil:
		var parts []string
		for _, it := range m.Mixed.Items {
			if it.MsgType == "text" && it.Text != nil {
				parts = append(parts, it.Text.Content)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// StripMention returns text without the bot's @mention and the spaces
// around it: any @word that leads the text (in a group, WeCom puts the
// mention of the bot first, or the member does), and "@name" wherever it
// stands. WeCom separates a mention by U+2005 or an ordinary space.
func StripMention(text, name string) string {
	text = strings.TrimFunc(text, unicode.IsSpace)
	for strings.HasPrefix(text, "@") {
		i := strings.IndexFunc(text, unicode.IsSpace)
		if i < 0 {
			return ""
		}
		text = strings.TrimLeftFunc(text[i:], unicode.IsSpace)
	}
	if name != "" {
		text = strings.ReplaceAll(text, "@"+name, " ")
	}
	return strings.TrimSpace(strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r == '\u2005' }), " "))
}

// ReplyEnvelope is an encrypted passive reply (document/path/101033).
type ReplyEnvelope struct {
	Encrypt      string `json:"encrypt"`
	MsgSignature string `json:"msgsignature"`
	Timestamp    int64  `json:"timestamp"`
	Nonce        string `json:"nonce"`
}

// Reply is the plaintext of a passive reply (document/path/101031): a
// text (the enter-chat greeting), a stream, a stream with a card, a card,
// or the update of a clicked card.
type Reply struct {
	MsgType      string  `json:"msgtype,omitempty"`       // text, stream, template_card, stream_with_template_card
	ResponseType string  `json:"response_type,omitempty"` // update_template_card
	Text         *Text   `json:"text,omitempty"`
	Stream       *Stream `json:"stream,omitempty"`
	Card         *Card   `json:"template_card,omitempty"`
}

// Stream is one state of a stream reply: its id, whether it is finished,
// and its whole content so far (markdown).
type Stream struct {
	ID      string `json:"id"`
	Finish  bool   `json:"finish"`
	Content string `json:"content"`
}

// Card is a template card of type button_interaction.
type Card struct {
	CardType  string   `json:"card_type"`
	MainTitle Title    `json:"main_title"`
	SubTitle  string   `json:"sub_title_text,omitempty"`
	Fields    []Field  `json:"horizontal_content_list,omitempty"`
	Buttons   []Button `json:"button_list,omitempty"`
	TaskID    string   `json:"task_id"`
}

// Title is a card's main title.
type Title struct {
	Title string `json:"title"`
	Desc  string `json:"desc,omitempty"`
}

// Field is a line of a card: a name and its value.
type Field struct {
	Key   string `json:"keyname"`
	Value string `json:"value"`
}

// Button is a card's button; Key comes back as the click's event_key.
type Button struct {
	Text  string `json:"text"`
	Style int    `json:"style,omitempty"`
	Key   string `json:"key"`
}
