package jobs

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/wecom/limits"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// render shows routed messages as a golden file reads them: each part
// WeCom gets (limits.Split within the channel's limit), with its channel,
// destination and the mentions in it, then its text.
func render(msgs []*zsbot.Outgoing) string {
	var b strings.Builder
	for _, m := range msgs {
		for _, p := range limits.Split(m.Text, limits.Bytes(m.Channel, m.Format)) {
			fmt.Fprintf(&b, "=== %s → %s (%s, %d bytes)", m.Channel, strings.Join(m.To, ","), m.Format, len(p))
			var in []string
			for _, u := range m.Mentions {
				if strings.Contains(p, "<@"+u+">") {
					in = append(in, u)
				}
			}
			if len(in) > 0 {
				fmt.Fprintf(&b, " @%s", strings.Join(in, ","))
			}
			fmt.Fprintf(&b, "\n%s\n", p)
		}
	}
	if len(msgs) == 0 {
		b.WriteString("(no messages)\n")
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./jobs -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./jobs -run %s -update to accept):\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

func TestNoticesGolden(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		notice string
		now    time.Time
	}{
		{"half-monthly-2024-12-16", HalfMonthly, at(2024, 12, 16, 9, 10)},
		{"half-monthly-year-boundary-2025-01-01", HalfMonthly, at(2025, 1, 1, 9, 10)},
		{"half-monthly-leap-february-2024-03-01", HalfMonthly, at(2024, 3, 1, 9, 10)},
		{"half-monthly-empty-2024-08-16", HalfMonthly, at(2024, 8, 16, 9, 10)},
		{"monthly-2024-12-01", Monthly, at(2024, 12, 1, 9, 20)},
		{"quarterly-year-boundary-2025-01-01", Quarterly, at(2025, 1, 1, 9, 40)},
		{"quarterly-2024-10-01", Quarterly, at(2024, 10, 1, 9, 40)},
		{"overdue-2024-12-16", Overdue, at(2024, 12, 16, 8, 50)},
		{"personal-2024-12-16", Personal, at(2024, 12, 16, 8, 50)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := Lookup(tc.notice).Messages(ctx, db, tc.now, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if limits.Blank(m.Text) || m.Tag != tc.notice || m.Format != zsbot.FormatMarkdown {
					t.Errorf("message to %v: %d bytes, tag %q, format %q", m.To, len(m.Text), m.Tag, m.Format)
				}
				for _, u := range m.Mentions {
					if m.MentionNames[u] == "" || !strings.Contains(m.Text, "<@"+u+">") {
						t.Errorf("message to %v mentions %s: name %q, in the text %v", m.To, u, m.MentionNames[u], strings.Contains(m.Text, "<@"+u+">"))
					}
				}
			}
			golden(t, tc.name, render(msgs))
		})
	}
}

// TestHalfMonthlyFigures checks the golden half-month against the records
// by hand: 1–15 December 2024 has P1 (51亿), P3 (20亿) and P5 (3000万, 市内)
// signed, P4's 增资 of 5亿, F2's 2亿, visits A1 A2 (one company); the year to
// the 15th adds P2 (15亿), P4 (15亿) and the terminated P9 (8亿); T1 and T6
// are overdue on the 16th.
func TestHalfMonthlyFigures(t *testing.T) {
	db := mustStore(t)
	drafts, err := Lookup(HalfMonthly).Drafts(context.Background(), db, at(2024, 12, 16, 9, 10))
	if err != nil {
		t.Fatal(err)
	}
	text := drafts[0].Text
	for _, want := range []string{
		"2024年12月1日至15日",
		"> 签约项目3个，协议引资76.3亿元，其中20-50亿元项目1个、50-100亿元项目1个（10亿元以上项目2个）",
		"> 资金到位2亿元，其中市外项目资金到位2亿元",
		"> 拜访2次（1家），接待0批次，推介活动0场",
		"**全年累计**（2024年1月1日至12月15日）",
		"> 签约项目6个，协议引资114.3亿元，其中10-20亿元项目1个、20-50亿元项目2个、50-100亿元项目1个（10亿元以上项目4个）",
		"- 诺比侃机器视觉智能装备生产总部 51亿元（双福园区，12月10日签约，张三）",
		"**逾期任务2项**",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("half-monthly lacks %q:\n%s", want, text)
		}
	}
}

func TestRouting(t *testing.T) {
	groups := []*zsbot.Group{
		{Name: "领导群", RobotKey: "k1", Scope: zsbot.ScopeAll, Notices: []string{Overdue, HalfMonthly}},
		{Name: "珞璜群", ChatID: "c1", Scope: "珞璜园区", Notices: []string{Overdue}},
		{Name: "双福群", RobotKey: "k2", Scope: "双福", Notices: []string{Overdue}},
		{Name: "不收群", RobotKey: "k3", Scope: zsbot.ScopeAll, Notices: []string{Monthly}},
	}
	drafts := []Draft{
		{Scope: zsbot.ScopeAll, Text: "all <@a>", Mentions: []string{"a"}},
		{Scope: "珞璜", Text: "luohuang <@b>", Mentions: []string{"b"}, MentionNames: map[string]string{"b": "李四"}},
	}
	routed := Lookup(Overdue).Route(drafts, groups)
	if chat := routed[1]; chat.MentionNames["b"] != "李四" || len(chat.Mentions) != 1 {
		t.Errorf("the app chat's message lost its mentions: %v, %v", chat.Mentions, chat.MentionNames)
	}
	got := render(routed)
	want := "=== robot → k1 (markdown, 8 bytes) @a\nall <@a>\n=== appchat → c1 (markdown, 13 bytes) @b\nluohuang <@b>\n"
	if got != want {
		t.Errorf("routing:\n%s\nwant:\n%s", got, want)
	}
	personal := render(Lookup(Personal).Route([]Draft{{User: "zhangsan", Text: "mine"}}, groups))
	if personal != "=== app → zhangsan (markdown, 4 bytes)\nmine\n" {
		t.Errorf("personal routing: %s", personal)
	}
}
