package handlers_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"zsbot"
)

const robotKey = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"

func TestGroups(t *testing.T) {
	b := registered(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, text string
		want       string
		group      string
		check      func(g *zsbot.Group) bool
	}{
		{"RobotAll", "群 添加 领导群 " + robotKey + " 全区", "已登记群 领导群（全区，机器人 693a****5aaa）：半月通报、月度协调、季度考核、逾期提醒", "领导群",
			func(g *zsbot.Group) bool {
				return g.RobotKey == robotKey && g.Scope == zsbot.ScopeAll && slices.Equal(g.Notices, []string{"half-monthly", "monthly", "quarterly", "overdue"})
			}},
		{"WebhookURL", "群 添加 双福群 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd1234-ef56-7890 双福园区", "（双福园区，机器人 abcd****7890）：逾期提醒", "双福群",
			func(g *zsbot.Group) bool {
				return g.RobotKey == "abcd1234-ef56-7890" && slices.Equal(g.Notices, []string{"overdue"})
			}},
		{"AppChat", "群 添加 珞璜群 会话:wrLuohuang01 珞璜园区 逾期 半月", "（珞璜园区，应用群聊 wrLuohuang01）：逾期提醒、半月通报", "珞璜群",
			func(g *zsbot.Group) bool {
				return g.ChatID == "wrLuohuang01" && g.RobotKey == "" && slices.Equal(g.Notices, []string{"overdue", "half-monthly"})
			}},
		{"Update", "群 添加 领导群 " + robotKey + " 全区 季度", "已更新群 领导群（全区，机器人 693a****5aaa）：季度考核", "领导群",
			func(g *zsbot.Group) bool { return slices.Equal(g.Notices, []string{"quarterly"}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reply := b.expect("admin", tc.text, tc.want)
			g, err := b.db.Group(ctx, tc.group)
			if err != nil || !tc.check(g) {
				t.Fatalf("group %+v, %v", g, err)
			}
			if strings.Contains(reply, robotKey) {
				t.Fatalf("reply shows the robot key: %s", reply)
			}
		})
	}
	b.expect("li", "群 列表", "只限管理员")
	list := b.expect("admin", "群 列表", "接收通报的群3个", "693a****5aaa", "abcd****7890")
	if strings.Contains(list, robotKey) || strings.Contains(list, "abcd1234-ef56-7890") {
		t.Fatalf("群 列表 shows a full key:\n%s", list)
	}
	log, _ := b.db.AuditLog(ctx)
	for _, e := range log {
		if strings.Contains(e.Raw, robotKey) {
			t.Fatalf("audit text keeps the key: %s", e.Raw)
		}
	}
	b.expect("admin", "群 删除 双福群", "已删除群 双福群")
	if _, err := b.db.Group(ctx, "双福群"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("deleted group still there: %v", err)
	}
	b.expect("admin", "群 删除 双福群", "没有名为「双福群」的群")
	b.expect("admin", "群 添加 总群 "+robotKey+" all", "已登记群 总群（全区，", "半月通报、月度协调、季度考核、逾期提醒")
}

func TestGroupRefusals(t *testing.T) {
	b := registered(t)
	n := b.auditLen()
	for _, tc := range []struct{ name, text, want string }{
		{"NoKey", "群 添加 领导群", "添加群要写"},
		{"ShortKey", "群 添加 领导群 abc 全区", "机器人key"},
		{"NoScope", "群 添加 领导群 " + robotKey, "添加群要写"},
		{"PersonalToGroup", "群 添加 领导群 " + robotKey + " 全区 个人", "不认识的通报"},
		{"UnknownNotice", "群 添加 领导群 " + robotKey + " 全区 周报", "不认识的通报"},
		{"BadChat", "群 添加 领导群 会话:有空格的id 全区", "添加群要写"},
		{"UnknownOp", "群 改名 领导群", "不认识的操作"},
	} {
		t.Run(tc.name, func(t *testing.T) { b.expect("admin", tc.text, tc.want) })
	}
	if b.auditLen() != n {
		t.Fatal("a refused 群 command wrote something")
	}
}
