package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// maxChatMembers is WeCom's bound on an app group chat's members.
const maxChatMembers = 2000

// errNeedApp is the reply to 群 创建 and 群 成员 where there is no WeCom app.
var errNeedApp = zsbot.Errorf(zsbot.ECONFLICT, "建群和管理群成员需要企业微信应用：请在企业微信里给「招商助手」发送这条指令"+
	"（服务器须配置 ZSBOT_WECOM_SECRET）。已有的应用群可用：群 添加 <群名> 会话:<chatid> <全区|园区>")

// groupCreate is 群 创建 <群名> <userid…> [全区|园区] [通报…]: it creates an
// app group chat owned by the sender with the members named, registers it
// as a group that takes the notices, and greets it through the outbox (a
// new chat shows on phones once it has a message).
func (h *handlers) groupCreate(ctx context.Context, r *Request, v *Verb, args []string) (string, error) {
	app := h.mux.cfg.WeCom
	if app == nil {
		return "", errNeedApp
	}
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	if len(args) < 2 {
		return "", usageError(v, "创建群要写群名和至少一位成员的userid（您是群主，自动入群）")
	}
	g := &zsbot.Group{Name: args[0], CreatedBy: r.From}
	members, rest := []string{r.From}, args[1:]
	for len(rest) > 0 && isUserID(rest[0]) && !isScopeAll(rest[0]) && h.lookupNotice(rest[0]) == nil {
		if !slices.Contains(members, rest[0]) {
			members = append(members, rest[0])
		}
		rest = rest[1:]
	}
	scope := zsbot.ScopeAll
	if len(rest) > 0 && h.lookupNotice(rest[0]) == nil {
		scope, rest = rest[0], rest[1:]
	}
	switch {
	case len(members) < 2:
		return "", usageError(v, "群里除您以外至少要有一位成员，请写他们的userid（企业微信通讯录里的账号，如 zhangsan）")
	case len(members) > maxChatMembers:
		return "", usageError(v, fmt.Sprintf("一个群最多%d人", maxChatMembers))
	}
	if err := h.groupRoute(v, g, scope, rest); err != nil {
		return "", err
	}
	if _, err := r.Tx.Group(ctx, g.Name); err == nil {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "已有名为「%s」的群，请换个群名（或先 群 删除 %s）。", g.Name, g.Name)
	} else if zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		return "", err
	}
	want := newChatID(r.Message, g.Name)
	id, err := app.CreateChat(ctx, want, g.Name, r.From, members)
	if weComCode(err) == chatExists { // this message's chat, made by a run that did not finish
		id, err = want, nil
	}
	if err != nil {
		h.log.Warn("wecom: appchat/create", "group", g.Name, "by", r.From, "errcode", weComCode(err), "err", err)
		return "", weComRefusal(err, "群未创建")
	}
	g.ChatID = id
	c := r.change("群 创建 "+g.Name, "")
	c.Add(nil, g)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	greeting := &zsbot.Outgoing{Channel: zsbot.ChannelAppChat, To: []string{id}, Format: zsbot.FormatText, Tag: "chat-created",
		Text: fmt.Sprintf("本群由招商助手创建，将收到：%s。", h.noticeTitles(g))}
	if err := r.Tx.Enqueue(ctx, greeting); err != nil {
		return "", err
	}
	h.log.Info("app chat created", "group", g.Name, "chatid", id, "by", r.From, "members", len(members))
	return fmt.Sprintf("已创建群 %s，成员%d人（您是群主）。\n发送「群 成员 添加 %s <userid>」加人；「群 删除 %s」只停止发送通报，不解散企业微信里的群。",
		h.groupLine(g), len(members), g.Name, g.Name), nil
}

// groupMembers is 群 成员 添加|移除 <群名> <userid…>: it changes the
// members of an app group chat the app created. The record keeps no
// members (WeCom does), so nothing is written.
func (h *handlers) groupMembers(ctx context.Context, r *Request, v *Verb, args []string) (string, error) {
	app := h.mux.cfg.WeCom
	if app == nil {
		return "", errNeedApp
	}
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	if len(args) < 3 {
		return "", usageError(v, "请写明：群 成员 添加|移除 <群名> <userid…>")
	}
	var add bool
	switch strings.ToLower(args[0]) {
	case "添加", "加入", "add":
		add = true
	case "移除", "删除", "踢出", "remove", "delete":
	default:
		return "", usageError(v, fmt.Sprintf("不认识的操作「%s」，可选：添加、移除", clip(args[0], 10)))
	}
	g, err := r.Tx.Group(ctx, args[1])
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "没有名为「%s」的群。发送「群 列表」查看。", clip(args[1], 20))
	} else if err != nil {
		return "", err
	}
	if g.ChatID == "" {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "群「%s」是群机器人接收的群，成员请在企业微信里管理。", g.Name)
	}
	var ids []string
	for _, w := range args[2:] {
		if !isUserID(w) {
			return "", usageError(v, fmt.Sprintf("「%s」不是userid（企业微信通讯录里的账号，如 zhangsan）", clip(w, 20)))
		}
		if !slices.Contains(ids, w) {
			ids = append(ids, w)
		}
	}
	if len(ids) > maxChatMembers {
		return "", usageError(v, fmt.Sprintf("一个群最多%d人", maxChatMembers))
	}
	addIDs, delIDs, done := ids, []string(nil), "已加入"
	if !add {
		addIDs, delIDs, done = nil, ids, "已移出"
	}
	if err := app.UpdateChatMembers(ctx, g.ChatID, addIDs, delIDs); err != nil {
		h.log.Warn("wecom: appchat/update", "group", g.Name, "by", r.From, "errcode", weComCode(err), "err", err)
		return "", weComRefusal(err, "成员未变")
	}
	h.log.Info("app chat members changed", "group", g.Name, "chatid", g.ChatID, "by", r.From, "add", addIDs, "remove", delIDs)
	return fmt.Sprintf("%s群 %s：%s。", done, g.Name, strings.Join(ids, "、")), nil
}

// noticeTitles names the notices g takes: "半月通报、月度协调".
func (h *handlers) noticeTitles(g *zsbot.Group) string {
	titles := make([]string, 0, len(g.Notices))
	for _, name := range g.Notices {
		if n := h.lookupNotice(name); n != nil {
			titles = append(titles, noticeTitle(n))
		}
	}
	return strings.Join(titles, "、")
}

// isUserID reports whether w is a WeCom userid: 1 to 64 letters, digits
// and _ - @ . , beginning with a letter or digit.
func isUserID(w string) bool {
	if w == "" || len(w) > 64 {
		return false
	}
	for i, c := range w {
		alnum := c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
		if !alnum && (i == 0 || !strings.ContainsRune("_-@.", c)) {
			return false
		}
	}
	return true
}
