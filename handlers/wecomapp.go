package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"zsbot"
)

// WeComApp is what the handlers ask of the WeCom self-built app: group
// chats it creates (群 创建, 群 成员) and files it sends to a member (导出).
// cmd/zsbot sets a *wecomapi.Client; nil — the console, or no app secret —
// makes 群 创建 say it needs the app, and 导出 write a file instead.
// An error WeCom answered implements interface{ WeComCode() int }.
type WeComApp interface {
	// CreateChat creates the app group chat chatID named name, owned by
	// owner, of members (owner among them), and returns its chatid. A
	// chatid already taken is errcode 86215.
	CreateChat(ctx context.Context, chatID, name, owner string, members []string) (string, error)
	// UpdateChatMembers adds and removes members of the chat chatID.
	UpdateChatMembers(ctx context.Context, chatID string, add, remove []string) error
	// SendFile uploads data as a file named filename and sends it to the
	// member to as an app file message.
	SendFile(ctx context.Context, to, filename string, data []byte) error
}

// weComCode returns the errcode WeCom answered with err, or 0 when err is
// no answer of WeCom (a network failure, a timeout).
func weComCode(err error) int {
	var c interface{ WeComCode() int }
	if errors.As(err, &c) {
		return c.WeComCode()
	}
	return 0
}

// chatExists is WeCom's errcode for a chatid already taken.
const chatExists = 86215

// weComRefusal words a failed call of the app for the admin or leader who
// asked: what WeCom refused and what to do; what says what was not done
// ("群未创建"). The errcode is logged by the caller.
func weComRefusal(err error, what string) error {
	code := weComCode(err)
	var why string
	switch code {
	case 0:
		why = "暂时连不上企业微信"
	case 60011, 86008, 301002:
		why = "应用没有权限：应用的可见范围须设为根部门（管理后台 → 应用管理 → 招商助手 → 可见范围）"
	case 60020:
		why = "服务器的IP不在应用的企业可信IP中（应用 → 开发者接口 → 企业可信IP）"
	case 86216, 86007, 40003, 40031:
		why = "有成员的userid在企业微信里不存在，请核对（企业微信 → 通讯录 → 成员详情 → 账号）"
	case 86006:
		why = "群成员人数须在2到2000人之间"
	case 86003, 86001:
		why = "企业微信里没有这个群（只能管理本应用创建的群）"
	case 86005, 86203, 86207:
		why = "群主不能移出群"
	case 45009, 45033, -1:
		why = "企业微信接口繁忙"
	case 40006, 40009, 45001:
		why = "文件超过企业微信的大小限制"
	case 41001, 42001, 40014, 40001, 40013, 40056:
		why = "应用的凭证配置有误（ZSBOT_WECOM_CORP_ID、ZSBOT_WECOM_SECRET、ZSBOT_WECOM_AGENT_ID）"
	default:
		why = fmt.Sprintf("企业微信拒绝了请求（错误码 %d）", code)
	}
	return zsbot.Errorf(zsbot.ECONFLICT, "%s：%s。请处理后重发。", what, why)
}

// newChatID is the chatid of the chat a message creates: 32 letters and
// digits derived from the message (sender, id, time), so that running the
// same message again — a takeover after a crash between creating the chat
// and committing — names the same chat, which WeCom answers with 86215,
// and the command goes on with the chat it had created.
func newChatID(m *zsbot.Message, name string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%s\x00%d\x00%s", m.From, m.ID, m.At.UnixNano(), name)))
	return "zs" + hex.EncodeToString(sum[:])[:30]
}
