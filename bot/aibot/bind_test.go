package aibot_test

import (
	"context"
	"strings"
	"testing"

	"zsbot/bot/aibot"
)

// TestGroupBind: 群 绑定 in a group chat binds the chat to a group record,
// which 群 列表 then shows; one-to-one it asks for the group chat.
func TestGroupBind(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	e.setup(t)
	for _, cmd := range []string{"群 添加 双福群 abcd1234-ef56-7890 双福园区", "群 添加 领导群 ffff1234-ef56-0000 全区"} {
		if r := e.say(t, "admin", "", cmd); !strings.Contains(r, "已登记") {
			t.Fatalf("%q: %q", cmd, r)
		}
	}
	if r := e.say(t, "admin", "", "群 绑定 双福群"); !strings.Contains(r, "请在要绑定的群聊里") {
		t.Fatalf("one-to-one: %q", r)
	}
	if r := e.say(t, "zhangsan", group, "@招商助手 群 绑定 双福群"); !strings.Contains(r, "管理员") {
		t.Fatalf("an officer: %q", r)
	}
	if r := e.say(t, "admin", group, "@招商助手 群 绑定 无此群"); !strings.Contains(r, "没有名为「无此群」的群") {
		t.Fatalf("unknown group: %q", r)
	}
	if r := e.say(t, "admin", group, "@招商助手 群 绑定 双福群"); !strings.Contains(r, "已把本群聊绑定为 双福群") {
		t.Fatalf("bind: %q", r)
	}
	g, err := e.db.Group(context.Background(), "双福群")
	if err != nil || g.BotChat != string(group) || g.RobotKey != "abcd1234-ef56-7890" || g.Scope != "双福园区" {
		t.Fatalf("group %+v, %v", g, err)
	}
	if r := e.say(t, "admin", group, "@招商助手 群 绑定 领导群"); !strings.Contains(r, "已绑定为「双福群」") {
		t.Fatalf("second binding of the chat: %q", r)
	}
	if r := e.say(t, "admin", "", "群 列表"); !strings.Contains(r, "双福群（双福园区，机器人 abcd****7890，已绑定群聊）") ||
		strings.Contains(r, "领导群（全区，机器人 ffff****0000，已绑定") {
		t.Fatalf("群 列表: %q", r)
	}
	if r := e.say(t, "admin", group, "@招商助手 撤销"); !strings.Contains(r, "撤销") {
		t.Fatalf("undo: %q", r)
	}
	if g, _ := e.db.Group(context.Background(), "双福群"); g == nil || g.BotChat != "" {
		t.Fatalf("after 撤销: %+v", g)
	}
}
