package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) groupVerb() *Verb {
	bureau := func(n Notice) bool { return n.Default(zsbot.ScopeAll) }
	park := func(n Notice) bool { return n.Default("") }
	v := &Verb{Name: "群", Aliases: []string{"group", "groups"}, Access: Admin,
		Usage: "群 创建 <群名> <成员userid…> [全区|园区] [通报…] / 群 成员 添加|移除 <群名> <userid…> / " +
			"群 添加 <群名> <机器人key或webhook地址> <全区|园区> [通报…] / 群 添加 <群名> 会话:<chatid> <全区|园区> [通报…] / 群 列表 / 群 删除 <群名>。" +
			"通报：" + h.noticeShorts(" ", Notice.ForGroups) + "；默认全区群收" + h.noticeShorts("、", bureau) + "，园区群收" + h.noticeShorts("、", park),
		Example: "群 添加 领导群 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa 全区", Brief: "登记接收通报的群（管理员）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.group(ctx, r, v) })
	return v
}

func (h *handlers) group(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) == 0 {
		return "", usageError(v, "请写明操作：创建、成员、添加、列表或删除")
	}
	switch op, args := strings.ToLower(r.Words[0]), r.Words[1:]; op {
	case "创建", "新建", "create":
		return h.groupCreate(ctx, r, v, args)
	case "成员", "members", "member":
		return h.groupMembers(ctx, r, v, args)
	case "添加", "add", "修改":
		return h.groupAdd(ctx, r, v, args)
	case "列表", "list":
		return h.groupList(ctx, r.Tx)
	case "删除", "remove", "delete":
		if len(args) != 1 {
			return "", usageError(v, "请写明要删除的群名")
		}
		return h.groupRemove(ctx, r, args[0])
	}
	return "", usageError(v, fmt.Sprintf("不认识的操作「%s」", clip(r.Words[0], 10)))
}

func (h *handlers) groupAdd(ctx context.Context, r *Request, v *Verb, args []string) (string, error) {
	if err := parse.CheckOpts(r.Opts, "会话", "chat", "chatid"); err != nil {
		return "", err
	}
	g := &zsbot.Group{CreatedBy: r.From}
	g.ChatID = r.Opts["会话"] + r.Opts["chat"] + r.Opts["chatid"]
	if g.ChatID == "" && len(args) > 1 {
		g.RobotKey, args = robotKey(args[1]), append(args[:1:1], args[2:]...)
		if g.RobotKey == "" {
			return "", usageError(v, "机器人key只含字母、数字和横线（或粘贴整个webhook地址）")
		}
	}
	if len(args) < 2 || g.RobotKey == "" && !validChatID(g.ChatID) {
		return "", usageError(v, "添加群要写群名、机器人key（或 会话:chatid）和范围（全区或园区名）")
	}
	g.Name = args[0]
	if err := h.groupRoute(v, g, args[1], args[2:]); err != nil {
		return "", err
	}
	before, err := r.Tx.Group(ctx, g.Name)
	if err != nil && zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		return "", err
	}
	c := r.change("群 添加 "+g.Name, "") // storage masks the key in the audit entry
	c.Add(before, g)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	verb := "已登记"
	if before != nil {
		verb = "已更新"
	}
	return fmt.Sprintf("%s群 %s。\n%s", verb, h.groupLine(g), undoHint), nil
}

// groupRoute sets g's scope (全区 or a park) and the notices it takes
// (words; none = the scope's defaults), and checks g's name.
func (h *handlers) groupRoute(v *Verb, g *zsbot.Group, scope string, words []string) error {
	g.Scope = scope
	if isScopeAll(scope) {
		g.Scope = zsbot.ScopeAll
	}
	if err := checkLen("群名", g.Name, 20); err != nil {
		return err
	}
	if err := checkLen("范围", g.Scope, 20); err != nil {
		return err
	}
	for _, w := range words {
		n := h.lookupNotice(w)
		if n == nil || !n.ForGroups() {
			return usageError(v, fmt.Sprintf("不认识的通报「%s」，可选：%s", clip(w, 10), h.noticeShorts(" ", Notice.ForGroups)))
		}
		if !slices.Contains(g.Notices, noticeName(n)) {
			g.Notices = append(g.Notices, noticeName(n))
		}
	}
	if len(g.Notices) == 0 {
		for _, n := range h.mux.cfg.Notices {
			if n.Default(g.Scope) {
				g.Notices = append(g.Notices, noticeName(n))
			}
		}
	}
	return nil
}

// isScopeAll reports whether w names the whole district.
func isScopeAll(w string) bool {
	return w == zsbot.ScopeAll || w == "全局" || w == "全部" || strings.EqualFold(w, "all")
}

func (h *handlers) groupList(ctx context.Context, st zsbot.Store) (string, error) {
	gs, err := st.Groups(ctx)
	if err != nil {
		return "", err
	}
	if len(gs) == 0 {
		return "还没有登记接收通报的群。例如：群 添加 领导群 <机器人key> 全区", nil
	}
	lines := []string{fmt.Sprintf("接收通报的群%d个：", len(gs))}
	for _, g := range gs {
		lines = append(lines, h.groupLine(g))
	}
	return list(lines, 40), nil
}

func (h *handlers) groupRemove(ctx context.Context, r *Request, name string) (string, error) {
	before, err := r.Tx.Group(ctx, name)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "没有名为「%s」的群。发送「群 列表」查看。", clip(name, 20))
	} else if err != nil {
		return "", err
	}
	c := r.change("群 删除 "+name, "")
	c.Add(before, nil)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已删除群 %s，不再向它发送通报。\n%s", name, undoHint), nil
}

// groupLine shows a group without its secret: "领导群（全区，机器人 693a****5aaa）：半月通报、月度协调".
func (h *handlers) groupLine(g *zsbot.Group) string {
	via := "应用群聊 " + g.ChatID
	if g.RobotKey != "" {
		via = "机器人 " + zsbot.MaskKey(g.RobotKey)
	}
	return fmt.Sprintf("%s（%s，%s）：%s", g.Name, g.Scope, via, h.noticeTitles(g))
}

// robotKey takes the key out of a webhook address, or checks a bare key;
// "" when it is neither.
func robotKey(w string) string {
	if _, after, ok := strings.Cut(w, "key="); ok {
		w, _, _ = strings.Cut(after, "&")
	}
	if len(w) < 8 || len(w) > 64 || strings.Trim(strings.ToLower(w), "0123456789abcdefghijklmnopqrstuvwxyz-") != "" {
		return ""
	}
	return w
}

func validChatID(s string) bool {
	return s != "" && len(s) <= 64 && strings.Trim(strings.ToLower(s), "0123456789abcdefghijklmnopqrstuvwxyz_-") == ""
}
