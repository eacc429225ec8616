package wecomapi

import (
	"context"
	"net/url"
)

// The paths of the API calls.
const (
	PathToken   = "/cgi-bin/gettoken"
	PathMessage = "/cgi-bin/message/send"
	PathAppChat = "/cgi-bin/appchat/send"
	PathWebhook = "/cgi-bin/webhook/send"
)

// Content is the body of a text or markdown message.
type Content struct {
	Content string `json:"content"`
}

// Message is the body of message/send (发送应用消息) for a text, markdown,
// file or image message, with the types WeCom documents: agentid, safe and
// the duplicate check are integers.
type Message struct {
	ToUser                 string   `json:"touser"`  // userids separated by "|"
	MsgType                string   `json:"msgtype"` // "text", "markdown", "file" or "image"
	AgentID                int      `json:"agentid"` // set by SendMessage from the App
	Text                   *Content `json:"text,omitempty"`
	Markdown               *Content `json:"markdown,omitempty"`
	File                   *Media   `json:"file,omitempty"`  // an uploaded file (UploadMedia)
	Image                  *Media   `json:"image,omitempty"` // an uploaded image
	Safe                   int      `json:"safe"`
	EnableDuplicateCheck   int      `json:"enable_duplicate_check"`
	DuplicateCheckInterval int      `json:"duplicate_check_interval,omitempty"` // seconds
}

// MessageResult is what message/send answers besides its errcode: the
// recipients it could not reach (the message went to the others).
type MessageResult struct {
	answer
	InvalidUser  string `json:"invaliduser"`
	InvalidParty string `json:"invalidparty"`
	InvalidTag   string `json:"invalidtag"`
	MsgID        string `json:"msgid"`
}

// AppChat is the body of appchat/send (应用推送消息) for a text or markdown
// message.
type AppChat struct {
	ChatID   string   `json:"chatid"`
	MsgType  string   `json:"msgtype"` // "text" or "markdown"
	Text     *Content `json:"text,omitempty"`
	Markdown *Content `json:"markdown,omitempty"`
	Safe     int      `json:"safe"`
}

// Webhook is the body of a group robot's webhook/send (群机器人).
type Webhook struct {
	MsgType  string     `json:"msgtype"` // "text" or "markdown"
	Text     *RobotText `json:"text,omitempty"`
	Markdown *Content   `json:"markdown,omitempty"`
}

// RobotText is a robot's text message: the content and the userids it
// @-mentions.
type RobotText struct {
	Content       string   `json:"content"`
	MentionedList []string `json:"mentioned_list,omitempty"`
}

// SendMessage sends m as the App (its AgentID replaces m's) with the access
// token. A WeCom error is an *Error; the answer tells which recipients were
// invalid when the others got the message.
func (c *Client) SendMessage(ctx context.Context, m Message) (*MessageResult, error) {
	tok, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	m.AgentID = c.app.AgentID
	var res MessageResult
	if err := c.post(ctx, PathMessage, url.Values{"access_token": {tok}}, &m, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// SendAppChat sends m to an app group chat with the access token.
func (c *Client) SendAppChat(ctx context.Context, m AppChat) error {
	tok, err := c.Token(ctx)
	if err != nil {
		return err
	}
	return c.post(ctx, PathAppChat, url.Values{"access_token": {tok}}, &m, &answer{})
}

// SendWebhook sends m through the group robot whose webhook key is key.
// It needs no access token.
func (c *Client) SendWebhook(ctx context.Context, key string, m Webhook) error {
	return c.post(ctx, PathWebhook, url.Values{"key": {key}}, &m, &answer{})
}
