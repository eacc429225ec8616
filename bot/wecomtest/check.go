package wecomtest

import (
	"math"
	"mime"
	"net/http"
	"strings"
)

// WeCom's errcodes for the requests the fake refuses, as its global errcode
// list (document 90313) names them.
const (
	ErrInvalidParam   = 40035 // 不合法的参数: not JSON, not application/json, a field of the wrong type
	ErrInvalidMsgType = 40008 // 不合法的msgtype参数
	ErrInvalidAgentID = 40056 // 不合法的agentid: agentid is an integer
	ErrMissingAgentID = 41011 // 缺少agentid参数
	ErrNoRecipient    = 81013 // user & party & tag all invalid: touser missing or empty
	ErrInvalidChatID  = 86001 // 参数 chatid 不合法: chatid missing or empty
	ErrEmptyContent   = 44004 // 文本消息content参数为空 (also a content of only white space)
	ErrTooLong        = 45002 // 消息内容大小超过限制 (app messages and app chats)
	ErrRobotTooLong   = 40058 // a robot's "text.content exceed max length 2048" (markdown 4096)
)

// The longest content WeCom takes, in bytes.
const (
	maxText          = 2048 // text, every channel; markdown as an app or app-chat message
	maxRobotMarkdown = 4096 // markdown through a group robot
)

// JSONType names the JSON type of v as encoding/json decodes it into an
// any: "string", "number", "integer" (a number without a fraction),
// "object", "array", "bool", "null".
func JSONType(v any) string {
	switch x := v.(type) {
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case bool:
		return "bool"
	}
	return "null"
}

// isJSON reports whether r declares a JSON body.
func isJSON(r *http.Request) bool {
	t, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && t == "application/json"
}

// check returns the errcode WeCom would answer to the body of a send to
// path (0 when it would take it): every field it reads of the type its
// documentation gives.
func check(path string, body map[string]any) int {
	switch path {
	case PathMessage:
		if _, ok := body["agentid"]; !ok {
			return ErrMissingAgentID
		}
		if JSONType(body["agentid"]) != "integer" {
			return ErrInvalidAgentID
		}
		if to, _ := body["touser"].(string); to == "" {
			return ErrNoRecipient
		}
		for _, k := range []string{"safe", "enable_duplicate_check", "duplicate_check_interval"} {
			if v, ok := body[k]; ok && JSONType(v) != "integer" {
				return ErrInvalidParam
			}
		}
	case PathAppChat:
		if id, _ := body["chatid"].(string); id == "" {
			return ErrInvalidChatID
		}
		if v, ok := body["safe"]; ok && JSONType(v) != "integer" {
			return ErrInvalidParam
		}
	}
	kind, _ := body["msgtype"].(string)
	if (kind == "file" || kind == "image") && path != PathWebhook {
		return checkMedia(body, kind)
	}
	if kind != "text" && kind != "markdown" {
		return ErrInvalidMsgType
	}
	part, ok := body[kind].(map[string]any)
	if !ok {
		return ErrEmptyContent
	}
	content, ok := part["content"].(string)
	if !ok || strings.TrimSpace(content) == "" {
		return ErrEmptyContent
	}
	if path == PathWebhook {
		if v, ok := part["mentioned_list"]; ok && !stringList(v) {
			return ErrInvalidParam
		}
		limit := maxText
		if kind == "markdown" {
			limit = maxRobotMarkdown
		}
		if len(content) > limit {
			return ErrRobotTooLong
		}
		return 0
	}
	if len(content) > maxText {
		return ErrTooLong
	}
	return 0
}

// stringList reports whether v is a JSON array of strings.
func stringList(v any) bool {
	a, ok := v.([]any)
	if !ok {
		return false
	}
	for _, x := range a {
		if _, ok := x.(string); !ok {
			return false
		}
	}
	return true
}
