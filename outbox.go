package zsbot

import (
	"context"
	"time"
)

// Channels through which a message leaves the bot.
const (
	ChannelApp     = "app"     // app message to people (message/send)
	ChannelAppChat = "appchat" // app group chat (appchat/send)
	ChannelRobot   = "robot"   // group robot webhook
)

// Formats of an outgoing message.
const (
	FormatText     = "text"
	FormatMarkdown = "markdown"
	// FormatImage is a PNG chart (Image); Text is only its caption for
	// logs. A group robot sends it as an image message (base64 and MD5).
	FormatImage = "image"
)

// Outgoing is one message to deliver. Long texts are split by the sender.
// A mention is written in Text as <@userid> and listed in Mentions; the
// sender shows it as each channel can: as it stands in a robot's markdown,
// as "@name" (from MentionNames) with the robot's mentioned_list in a
// robot's text, and as a plain "@name" in app messages and app chats.
type Outgoing struct {
	Channel      string            `json:"channel"`                 // ChannelApp, ChannelAppChat or ChannelRobot
	To           []string          `json:"to"`                      // userids (app), one chat id (appchat) or one robot key
	Format       string            `json:"format"`                  // FormatText or FormatMarkdown
	Text         string            `json:"text"`                    // the content
	Mentions     []string          `json:"mentions,omitempty"`      // userids to @-mention
	MentionNames map[string]string `json:"mention_names,omitempty"` // their names by userid, as Text's format shows them
	Tag          string            `json:"tag,omitempty"`           // what it is, for logs and metrics ("reply", "half-monthly")
	Image        []byte            `json:"image,omitempty"`         // FormatImage: the PNG
}

// Outbox queues messages for delivery. A message is stored durably before
// Enqueue returns and stays queued until WeCom accepts it.
type Outbox interface {
	Enqueue(ctx context.Context, msgs ...*Outgoing) error
}

// Causes of a dead letter: why WeCom will never take the message as it
// stands.
const (
	DeadRejected    = "rejected"    // WeCom refused the message itself (empty, too long, invalid)
	DeadDestination = "destination" // the destination is wrong (robot key, chat, recipients)
	DeadGaveUp      = "gave_up"     // an errcode zsbot does not know, after the attempts allowed
)

// DeadLetter is a message WeCom refused for good, taken out of the queue
// so that it no longer holds back later messages to its destination.
type DeadLetter struct {
	ID    int64     // the outbox item's ID
	Dest  string    // where it was going, fit to show: 个人 zhangsan, 机器人 693a****5aaa
	Cause string    // DeadRejected, DeadDestination or DeadGaveUp
	Error string    // WeCom's last answer (errcode and message)
	At    time.Time // when it was given up
	Msg   *Outgoing // the message (a robot's key stays inside; never show To)
}

// DeadLetters lists the outbox's dead letters.
type DeadLetters interface {
	// DeadLetters returns the newest n dead letters, newest first, and
	// how many there are in all.
	DeadLetters(ctx context.Context, n int) ([]*DeadLetter, int, error)
}

// DeadCauseText words a dead letter's cause for officers.
func DeadCauseText(cause string) string {
	switch cause {
	case DeadRejected:
		return "企业微信拒收这条消息（内容为空、过长或格式不符）"
	case DeadDestination:
		return "发送目标配置有误（机器人key、群聊或接收人无效），修正后可重发"
	case DeadGaveUp:
		return "企业微信多次返回未知错误，已停止重试"
	}
	return cause
}
