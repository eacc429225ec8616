package wecomapi

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// The paths of the app group chat calls (应用发送消息到群聊会话).
const (
	PathAppChatCreate = "/cgi-bin/appchat/create"
	PathAppChatUpdate = "/cgi-bin/appchat/update"
)

// The limits of an app group chat, as WeCom documents them.
const (
	MaxChatName    = 50   // characters of name; WeCom cuts a longer one
	MinChatMembers = 2    // userlist of appchat/create
	MaxChatMembers = 2000 // members of a chat
	MaxChatID      = 32   // characters of a chatid: 0-9, a-z, A-Z
)

// ChatCreate is the body of appchat/create (创建群聊会话). The app's 可见范围
// must be the root department, or WeCom answers 60011.
type ChatCreate struct {
	Name     string   `json:"name,omitempty"`   // at most MaxChatName characters
	Owner    string   `json:"owner,omitempty"`  // a userid of UserList; WeCom picks one when empty
	UserList []string `json:"userlist"`         // MinChatMembers to MaxChatMembers userids
	ChatID   string   `json:"chatid,omitempty"` // at most MaxChatID letters and digits; WeCom makes one when empty
}

// ChatUpdate is the body of appchat/update (修改群聊会话) of a chat the app
// created. Owner is required when DelUserList holds the owner.
type ChatUpdate struct {
	ChatID      string   `json:"chatid"`
	Name        string   `json:"name,omitempty"`
	Owner       string   `json:"owner,omitempty"`
	AddUserList []string `json:"add_user_list,omitempty"`
	DelUserList []string `json:"del_user_list,omitempty"`
}

// ChatResult is appchat/create's answer.
type ChatResult struct {
	answer
	ChatID string `json:"chatid"`
}

// ErrChatExists is WeCom's errcode for a chatid already taken (会话ID已经存在).
const ErrChatExists = 86215

// CreateAppChat creates an app group chat and returns its chatid (c.ChatID
// when given). A chatid already taken is an *Error with ErrChatExists.
func (c *Client) CreateAppChat(ctx context.Context, m ChatCreate) (string, error) {
	if err := checkChatID(m.ChatID, true); err != nil {
		return "", err
	}
	var res ChatResult
	err := c.withToken(ctx, func(tok string) error {
		res = ChatResult{}
		return c.post(ctx, PathAppChatCreate, url.Values{"access_token": {tok}}, &m, &res)
	})
	if err != nil {
		return "", err
	}
	if res.ChatID == "" {
		return "", fmt.Errorf("wecom %s: answer without chatid", PathAppChatCreate)
	}
	return res.ChatID, nil
}

// UpdateAppChat changes a chat the app created: its name, owner or
// members.
func (c *Client) UpdateAppChat(ctx context.Context, m ChatUpdate) error {
	if err := checkChatID(m.ChatID, false); err != nil {
		return err
	}
	return c.withToken(ctx, func(tok string) error {
		return c.post(ctx, PathAppChatUpdate, url.Values{"access_token": {tok}}, &m, &answer{})
	})
}

// checkChatID refuses a chatid WeCom would: empty (unless optional), longer
// than MaxChatID or with other characters than letters and digits.
func checkChatID(id string, optional bool) error {
	if id == "" && optional {
		return nil
	}
	ok := id != "" && len(id) <= MaxChatID
	for _, r := range id {
		ok = ok && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}
	if !ok {
		return fmt.Errorf("wecom: chatid %q: 1 to %d letters and digits", id, MaxChatID)
	}
	return nil
}

// withToken runs call with the App's access token; when WeCom refuses the
// token (40014, 42001: expired or replaced), it drops the stored one and
// runs call once more with a fresh one.
func (c *Client) withToken(ctx context.Context, call func(tok string) error) error {
	tok, err := c.Token(ctx)
	if err != nil {
		return err
	}
	err = call(tok)
	var ae *Error
	if !errors.As(err, &ae) || ae.ErrCode != 40014 && ae.ErrCode != 42001 {
		return err
	}
	if derr := c.tokens.Delete(c.app.TokenName()); derr != nil {
		return err
	}
	if tok, err = c.Token(ctx); err != nil {
		return err
	}
	return call(tok)
}

// WeComCode returns the errcode, so that a caller that links no WeCom code
// (the handlers) can word the refusal: it asks any error for
// interface{ WeComCode() int }.
func (e *Error) WeComCode() int { return e.ErrCode }

// CreateChat creates the app group chat chatID named name, owned by owner,
// of members (owner among them): CreateAppChat in the plain values the
// handlers' WeComApp asks for.
func (c *Client) CreateChat(ctx context.Context, chatID, name, owner string, members []string) (string, error) {
	return c.CreateAppChat(ctx, ChatCreate{Name: name, Owner: owner, UserList: members, ChatID: chatID})
}

// UpdateChatMembers adds and removes members of the app group chat chatID.
func (c *Client) UpdateChatMembers(ctx context.Context, chatID string, add, remove []string) error {
	return c.UpdateAppChat(ctx, ChatUpdate{ChatID: chatID, AddUserList: add, DelUserList: remove})
}
