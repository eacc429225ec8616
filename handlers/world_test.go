package handlers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/handlers"
)

// world returns a bot on Monday 23 December 2024, 10:00, with officers
// zhangsan (张三) and zhaoliu (赵六) of 双福园区, wangwu (王五) of 珞璜园区,
// leader li (李四) and four projects registered on 1 November:
//
//	P1 诺比侃机器视觉智能装备生产总部 (E1 诺比侃科技), zhangsan, signed 51亿 on 12月20日
//	P2 康硕集团西南总部基地 (E2 康硕集团), zhangsan, signed 20亿 on 11月1日
//	P3 晶帆光电LCOS光阀芯片总部 (E3 晶帆光电), zhangsan, in talks
//	P4 康硕电子产业园 (E4 康硕电子), wangwu, 珞璜园区, in talks
//
// The writes before 23 December are older than a day, out of 撤销's reach.
func world(tb testing.TB) *bot {
	tb.Helper()
	b := registered(tb)
	b.at("2024-11-01T09:00")
	b.expect("admin", "人员 添加 wangwu 王五 珞璜园区 招商员", "已登记 王五")
	b.expect("admin", "人员 添加 zhaoliu 赵六 双福园区 招商员", "已登记 赵六")
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃科技 30亿 产业:智能装备", "P1")
	b.expect("zhangsan", "新项目 康硕集团西南总部基地 企业:康硕集团 20亿", "P2")
	b.expect("zhangsan", "新项目 晶帆光电LCOS光阀芯片总部 企业:晶帆光电 15亿", "P3")
	// 康硕电子 holds 康硕集团's key: a new company of that name is asked
	// about first (nearmatch.go).
	b.expect("wangwu", "新项目 康硕电子产业园 企业:康硕电子 10亿", "是 E2 康硕集团 吗？", "新建")
	b.expect("wangwu", "新建", "P4", "珞璜园区", "新建企业 E4 康硕电子")
	b.expect("zhangsan", "签约 P2 20亿 2024-11-01", "已记录签约")
	b.at("2024-12-20T16:30")
	b.expect("zhangsan", "签约 P1 51亿", "已记录签约")
	b.at("2024-12-23T10:00")
	return b
}

// step is one message of a verb's table and what it must do: the reply
// contains every want, and the message adds writes audit entries (0 for
// anything refused).
type step struct {
	name, user, text string
	writes           int
	want             []string
}

// run sends the steps in order, each as a subtest.
func (b *bot) run(t *testing.T, steps []step) {
	t.Helper()
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			user := s.user
			if user == "" {
				user = "zhangsan"
			}
			n := b.auditLen()
			reply, err := b.respond(user, s.text)
			if err != nil {
				t.Fatalf("%q: %v", s.text, err)
			}
			for _, w := range s.want {
				if !strings.Contains(reply, w) {
					t.Errorf("%q → %q\n  missing %q", s.text, reply, w)
				}
			}
			if got := b.auditLen() - n; got != s.writes {
				t.Errorf("%q → %q\n  wrote %d audit entries, want %d", s.text, reply, got, s.writes)
			}
			if len(reply) > handlers.MaxReply {
				t.Errorf("%q: reply of %d bytes", s.text, len(reply))
			}
		})
	}
}

// project reads a project, failing the test when it is missing.
func (b *bot) project(id string) *zsbot.Project {
	b.tb.Helper()
	p, err := b.db.Project(context.Background(), id)
	if err != nil {
		b.tb.Fatalf("project %s: %v", id, err)
	}
	return p
}

// dump exports every record.
func (b *bot) dump() *zsbot.Dump {
	b.tb.Helper()
	d, err := b.db.Export(context.Background())
	if err != nil {
		b.tb.Fatal(err)
	}
	return d
}

// at moves the bot's clock.
func (b *bot) at(s string) {
	b.tb.Helper()
	t, err := time.ParseInLocation("2006-01-02T15:04", s, shanghai)
	if err != nil {
		b.tb.Fatal(err)
	}
	b.now = t
}
