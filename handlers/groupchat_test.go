package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"zsbot"
	"zsbot/bot/wecomapi"
	"zsbot/bot/wecomtest"
	"zsbot/handlers"
)

// withApp gives b's mux the WeCom app of a fresh fake WeCom whose
// directory holds users, and returns the fake.
func (b *bot) withApp(cfg handlers.Config, users ...string) (*wecomtest.Server, *wecomapi.Client) {
	b.tb.Helper()
	fake := wecomtest.NewServer(b.tb, "corp", "secret")
	fake.Users, fake.StrictChats = map[string]bool{}, true
	for _, u := range users {
		fake.Users[u] = true
	}
	app := wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: "corp", Secret: "secret", AgentID: 1000002}, b.db.TokenCache(0))
	cfg.Admins, cfg.Loc, cfg.WeCom = []string{"admin"}, shanghai, app
	b.mux = newMux(cfg)
	return fake, app
}

// retried is the app as a second run of a message finds it: the chat was
// created by the first run, so WeCom answers 86215 to the same chatid.
type retried struct{ *wecomapi.Client }

func (a retried) CreateChat(ctx context.Context, chatID, name, owner string, members []string) (string, error) {
	if _, err := a.Client.CreateChat(ctx, chatID, name, owner, members); err != nil {
		return "", err
	}
	return a.Client.CreateChat(ctx, chatID, name, owner, members)
}

func TestGroupCreate(t *testing.T) {
	b := registered(t)
	ctx := context.Background()
	fake, app := b.withApp(handlers.Config{}, "admin", "zhangsan", "li", "wangwu")
	reply := b.expect("admin", "群 创建 招商调度群 zhangsan li 全区", "已创建群 招商调度群（全区，应用群聊 zs",
		"：半月通报、月度协调、季度考核、逾期提醒", "成员3人（您是群主）")
	g, err := b.db.Group(ctx, "招商调度群")
	if err != nil {
		t.Fatal(err)
	}
	chat, ok := fake.Chats()[g.ChatID]
	if !ok || chat.Name != "招商调度群" || chat.Owner != "admin" || !slices.Equal(chat.Members, []string{"admin", "zhangsan", "li"}) {
		t.Fatalf("record %+v; WeCom's chats %+v", g, fake.Chats())
	}
	if len(g.ChatID) > 32 || !strings.Contains(reply, g.ChatID) || g.Scope != zsbot.ScopeAll || g.CreatedBy != "admin" {
		t.Fatalf("group %+v", g)
	}
	q := b.queued()
	if len(q) != 1 || q[0].Channel != zsbot.ChannelAppChat || q[0].To[0] != g.ChatID || !strings.Contains(q[0].Text, "半月通报") {
		t.Fatalf("greeting queued: %+v", q)
	}
	b.expect("admin", "群 创建 珞璜群 zhangsan wangwu 珞璜园区 逾期 半月", "（珞璜园区，应用群聊", "：逾期提醒、半月通报", "成员3人")
	if g, _ := b.db.Group(ctx, "珞璜群"); g == nil || g.Scope != "珞璜园区" || !slices.Equal(g.Notices, []string{"overdue", "half-monthly"}) {
		t.Fatalf("park group %+v", g)
	}
	b.expect("admin", "群 创建 默认群 zhangsan", "（全区，")
	b.expect("admin", "群 列表", "接收通报的群3个", "招商调度群（全区，应用群聊 "+g.ChatID)

	t.Run("Refused", func(t *testing.T) {
		n, chats := b.auditLen(), len(fake.Chats())
		fake.Inject(wecomtest.PathAppChatCreate, 1, wecomtest.Fault{Errcode: 60011})
		b.expect("admin", "群 创建 甲群 zhangsan", "群未创建", "可见范围须设为根部门")
		fake.Inject(wecomtest.PathAppChatCreate, 1, wecomtest.Fault{Status: 502})
		b.expect("admin", "群 创建 甲群 zhangsan", "群未创建", "暂时连不上企业微信")
		for _, c := range []struct{ text, want string }{
			{"群 创建 甲群", "至少一位成员"},
			{"群 创建 甲群 admin", "除您以外至少要有一位成员"},
			{"群 创建 甲群 ghost", "userid在企业微信里不存在"},
			{"群 创建 招商调度群 wangwu", "已有名为「招商调度群」的群"},
			{"群 创建 甲群 zhangsan 全区 周报", "不认识的通报"},
			{"群 创建 甲群 zhangsan 会话:abc", "不带选项"},
			{"群 创建 一个名字超过二十个字的群名称一二三四五六七八九十 zhangsan", "群名"},
		} {
			b.expect("admin", c.text, c.want)
		}
		b.expect("li", "群 创建 甲群 zhangsan", "只限管理员")
		if b.auditLen() != n || len(fake.Chats()) != chats {
			t.Fatalf("a refused 群 创建 wrote %d entries, made %d chats", b.auditLen()-n, len(fake.Chats())-chats)
		}
	})
	t.Run("Retried", func(t *testing.T) {
		b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, WeCom: retried{app}})
		b.expect("admin", "群 创建 重试群 zhangsan", "已创建群 重试群")
		g, _ := b.db.Group(ctx, "重试群")
		if g == nil || fake.Chats()[g.ChatID].Name != "重试群" {
			t.Fatalf("group %+v of WeCom's %v", g, fake.Chats())
		}
	})
	t.Run("NoApp", func(t *testing.T) {
		b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai})
		b.expect("admin", "群 创建 乙群 zhangsan", "需要企业微信应用")
		b.expect("admin", "群 成员 添加 招商调度群 wangwu", "需要企业微信应用")
	})
}

func TestGroupMembers(t *testing.T) {
	b := registered(t)
	fake, _ := b.withApp(handlers.Config{}, "admin", "zhangsan", "li", "wangwu")
	b.expect("admin", "群 创建 招商调度群 zhangsan", "已创建")
	b.expect("admin", "群 添加 领导群 "+robotKey+" 全区", "已登记")
	g, _ := b.db.Group(context.Background(), "招商调度群")
	members := func() []string { return fake.Chats()[g.ChatID].Members }
	n := b.auditLen()
	b.expect("admin", "群 成员 添加 招商调度群 li wangwu", "已加入群 招商调度群：li、wangwu")
	b.expect("admin", "群 成员 移除 招商调度群 zhangsan", "已移出群 招商调度群：zhangsan")
	if !slices.Equal(members(), []string{"admin", "li", "wangwu"}) {
		t.Fatalf("members %v", members())
	}
	for _, c := range []struct{ text, want string }{
		{"群 成员 移除 招商调度群 admin", "群主不能移出群"},
		{"群 成员 添加 招商调度群 ghost", "userid在企业微信里不存在"},
		{"群 成员 添加 招商调度群 张三", "「张三」不是userid"},
		{"群 成员 添加 领导群 li", "群机器人接收的群"},
		{"群 成员 添加 无此群 li", "没有名为「无此群」的群"},
		{"群 成员 改名 招商调度群 li", "不认识的操作「改名」"},
		{"群 成员 添加 招商调度群", "群 成员 添加|移除"},
	} {
		b.expect("admin", c.text, c.want)
	}
	b.expect("zhangsan", "群 成员 添加 招商调度群 zhangsan", "只限管理员")
	if !slices.Equal(members(), []string{"admin", "li", "wangwu"}) || b.auditLen() != n {
		t.Fatalf("members %v, %d audit entries", members(), b.auditLen()-n)
	}
}
