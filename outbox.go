package zsbot

import "context"

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
