package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/wecom/limits"
)

func TestParts(t *testing.T) {
	long := strings.Repeat("第一园区 逾期任务 T12 完成土地摘牌 <@zhangsan>\n", 200) + "\n\n" // about 11 KB
	names := map[string]string{"zhangsan": "张三", "lisi": "李四"}
	for name, tc := range map[string]struct {
		m    *zsbot.Outgoing
		list []string // the last part's mentioned_list
	}{
		"AppText":       {&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"wangwu"}, Format: zsbot.FormatText, Text: long}, nil},
		"AppMarkdown":   {&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"wangwu"}, Format: zsbot.FormatMarkdown, Text: long}, nil},
		"AppChat":       {&zsbot.Outgoing{Channel: zsbot.ChannelAppChat, To: []string{"wr1"}, Format: zsbot.FormatMarkdown, Text: long}, nil},
		"RobotMarkdown": {robotMsg("k", zsbot.FormatMarkdown, long, "zhangsan", "lisi"), nil},
		"RobotText":     {robotMsg("k", zsbot.FormatText, long, "zhangsan"), []string{"zhangsan"}},
	} {
		t.Run(name, func(t *testing.T) {
			if tc.m.Channel != zsbot.ChannelRobot {
				tc.m.Mentions = []string{"zhangsan"}
			}
			tc.m.MentionNames = names
			parts := bot.Parts(tc.m)
			limit := limits.Bytes(tc.m.Channel, tc.m.Format)
			var texts []string
			for i, p := range parts {
				if len(p.Text) > limit || limits.Blank(p.Text) {
					t.Fatalf("part %d has %d bytes, limit %d", i, len(p.Text), limit)
				}
				last := i == len(parts)-1
				if want := tc.list; !last && len(p.Mentions) > 0 || last && strings.Join(p.Mentions, ",") != strings.Join(want, ",") {
					t.Fatalf("part %d of %d mentions %v", i, len(parts), p.Mentions)
				}
				texts = append(texts, p.Text)
			}
			text, _ := bot.Render(tc.m)
			if joined := strings.Join(texts, "\n"); joined != strings.TrimRight(text, "\n") || len(parts) < 3 {
				t.Fatalf("%d parts do not join back to the text", len(parts))
			}
		})
	}
}

// TestRender shows a mention as each channel can: only a robot's markdown
// takes <@userid>; a robot's text names the person and lists the userid in
// mentioned_list; app messages and app chats name the person in plain text.
func TestRender(t *testing.T) {
	m := func(channel, format string) *zsbot.Outgoing {
		return &zsbot.Outgoing{Channel: channel, To: []string{"x"}, Format: format,
			Text: "T1 完成土地摘牌 <@zhangsan>\nT2 研判 <@wu>", Mentions: []string{"zhangsan", "wu", "lisi"},
			MentionNames: map[string]string{"zhangsan": "张三", "lisi": "李四"}}
	}
	for name, tc := range map[string]struct {
		m    *zsbot.Outgoing
		text string
		list []string
	}{
		"RobotMarkdown": {m(zsbot.ChannelRobot, zsbot.FormatMarkdown), "T1 完成土地摘牌 <@zhangsan>\nT2 研判 <@wu>\n<@lisi>", nil},
		"RobotText":     {m(zsbot.ChannelRobot, zsbot.FormatText), "T1 完成土地摘牌 @张三\nT2 研判 @wu", []string{"zhangsan", "wu", "lisi"}},
		"AppChat":       {m(zsbot.ChannelAppChat, zsbot.FormatMarkdown), "T1 完成土地摘牌 @张三\nT2 研判 @wu\n@李四", nil},
		"App":           {m(zsbot.ChannelApp, zsbot.FormatText), "T1 完成土地摘牌 @张三\nT2 研判 @wu\n@李四", nil},
		"NoMentions":    {&zsbot.Outgoing{Channel: zsbot.ChannelAppChat, Format: zsbot.FormatMarkdown, Text: "as typed <@zhangsan>"}, "as typed <@zhangsan>", nil},
	} {
		t.Run(name, func(t *testing.T) {
			text, list := bot.Render(tc.m)
			if text != tc.text || strings.Join(list, ",") != strings.Join(tc.list, ",") {
				t.Fatalf("Render = %q, %v; want %q, %v", text, list, tc.text, tc.list)
			}
		})
	}
}

func TestPartsResumeAfterFailure(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	long := strings.Repeat("逾期提醒：请尽快完成\n", 400) // several parts
	parts := bot.Parts(app("zhangsan", long))
	r.enqueue(t, app("zhangsan", long), app("zhangsan", "之后的消息"), app("lisi", long))
	r.fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{})            // part 1 goes through,
	r.fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Status: 500}) // part 2 fails once
	r.drain(t, time.Minute)
	var want []string
	for _, p := range parts {
		want = append(want, p.Text)
	}
	for user, want := range map[string][]string{"zhangsan": append(want, "之后的消息"), "lisi": want} {
		var got []string
		for _, q := range r.fake.Sent() {
			if q.Body["touser"] == user {
				got = append(got, q.Body["text"].(map[string]any)["content"].(string))
			}
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%s got %d messages, want the %d parts once each, in order", user, len(got), len(want))
		}
	}
}

func TestWorkerLock(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	other := bot.NewWorker(r.ob, r.sender, bot.WorkerOptions{Now: r.clock.Now})
	r.enqueue(t, app("zhangsan", "一"))
	if _, err := r.worker.Pass(context.Background()); err != nil { // takes the lock
		t.Fatal(err)
	}
	r.enqueue(t, app("zhangsan", "二"))
	if n, err := other.Pass(context.Background()); n != 0 || err != nil {
		t.Fatalf("second worker sent %d (%v) while the first holds the lock", n, err)
	}
	if n, _ := r.worker.Pass(context.Background()); n != 1 {
		t.Fatalf("lock holder sent %d, want 1", n)
	}
}

// only returns the requests to path.
func only(reqs []wecomtest.Request, path string) []wecomtest.Request {
	var out []wecomtest.Request
	for _, q := range reqs {
		if q.Path == path {
			out = append(out, q)
		}
	}
	return out
}

// TestNoEmptyPart: a text one line break longer than the limit, which once
// split into a full part and an empty one that WeCom refused (44004) over
// and over, goes as one part, and the member's next message follows.
func TestNoEmptyPart(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	full := strings.Repeat("招", limits.AppText/3) + "\n\n\n" // 2049 bytes
	r.enqueue(t, app("zhangsan", full), app("zhangsan", "下一条"),
		robotMsg(testRobotKey, zsbot.FormatMarkdown, strings.Repeat("a", limits.RobotMarkdown)+"\n"))
	r.drain(t, time.Second)
	for _, q := range r.fake.Requests() {
		if q.Errcode != 0 {
			t.Fatalf("WeCom answered %d to %s", q.Errcode, q.Raw)
		}
	}
	got := contents(r.fake, wecomtest.PathMessage)
	if len(got) != 2 || got[0] != strings.TrimSpace(full) || got[1] != "下一条" {
		t.Fatalf("app messages %q", got)
	}
	if n := len(contents(r.fake, wecomtest.PathWebhook)); n != 1 {
		t.Fatalf("robot got %d parts, want 1", n)
	}
}

// TestLongNotice: a 10 KB notice goes to each channel in parts within that
// channel's limit, in order, all accepted.
func TestLongNotice(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	var b strings.Builder
	for i := 0; b.Len() < 10*1024; i++ {
		fmt.Fprintf(&b, "- T%d 诺比侃机器视觉智能装备生产总部：完成土地摘牌（12月15日到期，逾期1天）\n", i)
		if i%10 == 0 {
			b.WriteString("\n")
		}
	}
	notice := b.String()
	r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatMarkdown, notice),
		&zsbot.Outgoing{Channel: zsbot.ChannelAppChat, To: []string{"wrLeaders"}, Format: zsbot.FormatMarkdown, Text: notice},
		&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"zhangsan"}, Format: zsbot.FormatText, Text: notice})
	r.drain(t, time.Second)
	for _, tc := range []struct {
		path  string
		limit int
	}{{wecomtest.PathWebhook, limits.RobotMarkdown}, {wecomtest.PathAppChat, limits.AppMarkdown}, {wecomtest.PathMessage, limits.AppText}} {
		got := contents(r.fake, tc.path)
		for i, p := range got {
			if len(p) > tc.limit || limits.Blank(p) {
				t.Fatalf("%s part %d: %d bytes, limit %d", tc.path, i, len(p), tc.limit)
			}
		}
		if len(got) < 10*1024/tc.limit+1 || strings.ReplaceAll(strings.Join(got, ""), "\n", "") != strings.ReplaceAll(notice, "\n", "") {
			t.Fatalf("%s: %d parts do not carry the notice in order", tc.path, len(got))
		}
	}
	if n := len(r.fake.Sent()); n != len(r.fake.Requests())-1 { // all but gettoken accepted
		t.Fatalf("%d of %d calls accepted", n, len(r.fake.Requests()))
	}
}

// TestMentionsPerChannel: the 逾期提醒 of one officer reaches a robot's
// markdown as <@userid>, a robot's text as @name with mentioned_list, and
// an app chat and an app message as a plain @name.
func TestMentionsPerChannel(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	msg := func(channel, to, format string) *zsbot.Outgoing {
		return &zsbot.Outgoing{Channel: channel, To: []string{to}, Format: format, Text: "**逾期提醒**\n- T1 完成土地摘牌 <@zhangsan>",
			Mentions: []string{"zhangsan"}, MentionNames: map[string]string{"zhangsan": "张三"}, Tag: "overdue"}
	}
	r.enqueue(t, msg(zsbot.ChannelRobot, testRobotKey, zsbot.FormatMarkdown), msg(zsbot.ChannelRobot, testRobotKey, zsbot.FormatText),
		msg(zsbot.ChannelAppChat, "wrPark", zsbot.FormatMarkdown), msg(zsbot.ChannelApp, "lisi", zsbot.FormatMarkdown))
	r.drain(t, time.Second)
	robot := only(r.fake.Sent(), wecomtest.PathWebhook)
	named := "**逾期提醒**\n- T1 完成土地摘牌 @张三"
	if len(robot) != 2 || robot[0].Body["markdown"].(map[string]any)["content"] != "**逾期提醒**\n- T1 完成土地摘牌 <@zhangsan>" {
		t.Fatalf("robot markdown: %s", robot[0].Raw)
	}
	if text := robot[1].Body["text"].(map[string]any); text["content"] != named || fmt.Sprint(text["mentioned_list"]) != "[zhangsan]" {
		t.Fatalf("robot text: %s", robot[1].Raw)
	}
	for _, path := range []string{wecomtest.PathAppChat, wecomtest.PathMessage} {
		if got := contents(r.fake, path); len(got) != 1 || got[0] != named {
			t.Fatalf("%s: %q, want %q", path, got, named)
		}
	}
}
