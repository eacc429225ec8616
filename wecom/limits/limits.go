// Package limits owns WeCom's limits on the messages the bot sends: the
// bytes one message may carry per channel and format, the sends a
// destination takes per rolling minute, and the one splitter that cuts a
// long text into parts within them. The outbox applies it when it sends;
// producers of messages do not split.
//
// The figures are WeCom's documents': 群机器人配置说明 (91770) for robots
// (text 2048 bytes, markdown 4096, 20 messages a minute per robot),
// 发送应用消息 (90236) for app messages and 应用推送消息 (90248) for app
// chats (text and markdown 2048 bytes; 30 messages a minute per member,
// beyond which WeCom drops messages without an error).
package limits

import (
	"time"

	"zsbot"
)

// Bytes of UTF-8 one message's content may hold, by channel and format.
const (
	RobotText     = 2048 // text through a group robot
	RobotMarkdown = 4096 // markdown through a group robot
	AppText       = 2048 // text as an app message or in an app chat
	AppMarkdown   = 2048 // markdown as an app message or in an app chat
	// RobotImage is the largest image (JPG or PNG, before base64) a group
	// robot's image message carries: 2 MB.
	RobotImage = 2 << 20
)

// Sends a destination takes within one rolling Window.
const (
	RobotPerWindow  = 20 // per robot
	MemberPerWindow = 30 // app messages per member
)

// Window is the span of WeCom's rate limits. WeCom says "a minute" without
// promising a calendar minute, so it is counted as any 60 seconds.
const Window = time.Minute

// Bytes returns the largest content WeCom takes for a message of channel
// and format; an app chat has the app's limits.
func Bytes(channel, format string) int {
	switch {
	case channel == zsbot.ChannelRobot && format == zsbot.FormatMarkdown:
		return RobotMarkdown
	case channel == zsbot.ChannelRobot:
		return RobotText
	case format == zsbot.FormatMarkdown:
		return AppMarkdown
	}
	return AppText
}

// PerWindow returns how many messages one destination of channel takes
// within Window: per robot, or per member of an app message's recipients;
// 0 when WeCom documents no such limit (app chats).
func PerWindow(channel string) int {
	switch channel {
	case zsbot.ChannelRobot:
		return RobotPerWindow
	case zsbot.ChannelApp:
		return MemberPerWindow
	}
	return 0
}
