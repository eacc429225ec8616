package handlers

import (
	"context"
	"fmt"
	"strings"
)

func (h *handlers) helpVerb() *Verb {
	return &Verb{Name: "帮助", Aliases: []string{"help", "？", "菜单"}, Access: Anyone,
		Usage: "帮助 [指令]", Example: "帮助 签约", Brief: "指令列表，或一条指令的用法",
		Handler: HandlerFunc(h.help)}
}

func (h *handlers) help(ctx context.Context, r *Request) (string, error) {
	if len(r.Words) > 0 {
		v := h.mux.Lookup(r.Words[0])
		if v == nil {
			return fmt.Sprintf("没有「%s」这条指令。发送「帮助」查看全部指令。", clip(r.Words[0], 20)), nil
		}
		s := fmt.Sprintf("%s（%s）：%s\n用法：%s\n例如：%s", v.Name, strings.Join(v.Aliases, "/"), v.Brief, v.Usage, v.Example)
		if v.Access >= Leader {
			s += "\n" + accessNote(v.Access)
		}
		return s, nil
	}
	var b strings.Builder
	b.WriteString("招商助手指令（发送「帮助 指令」看用法）：")
	for _, v := range h.mux.Verbs() {
		if !canSee(r, v) {
			continue
		}
		fmt.Fprintf(&b, "\n%s %s", v.Name, v.Brief)
	}
	if r.Sender == nil {
		fmt.Fprintf(&b, "\n您还未登记，userid：%s，请发给管理员。", r.From)
	}
	return b.String(), nil
}

func canSee(r *Request, v *Verb) bool {
	switch v.Access {
	case Anyone:
		return true
	case Leader:
		return r.Sender.IsLeader()
	case Admin:
		return r.Sender.IsAdmin()
	}
	return r.Sender != nil
}

func accessNote(a Access) string {
	if a == Admin {
		return "（仅限管理员）"
	}
	return "（仅限领导和管理员）"
}
