package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
)

func TestSplitLines(t *testing.T) {
	line := strings.Repeat("招", 10) // 30 bytes
	for name, tc := range map[string]struct {
		text  string
		limit int
		want  []string
	}{
		"Fits":        {"a\nb", 10, []string{"a\nb"}},
		"AtLines":     {"aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		"EmptyLines":  {"aaaa\n\nbbbb\n", 6, []string{"aaaa\n", "bbbb\n"}},
		"LongLine":    {line, 32, []string{strings.Repeat("招", 10)}},
		"CutInRunes":  {line, 16, []string{strings.Repeat("招", 5), strings.Repeat("招", 5)}},
		"CutThenMore": {"ab\n" + line + "\ncd", 16, []string{"ab", strings.Repeat("招", 5), strings.Repeat("招", 5), "cd"}},
	} {
		t.Run(name, func(t *testing.T) {
			got := bot.SplitLines(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("SplitLines = %q, want %q", got, tc.want)
			}
			for _, p := range got {
				if len(p) > tc.limit || !utf8.ValidString(p) {
					t.Fatalf("part %q: %d bytes or invalid UTF-8", p, len(p))
				}
			}
		})
	}
}

func TestParts(t *testing.T) {
	long := strings.Repeat("第一园区 逾期任务 T12 完成土地摘牌 @张三\n", 200) // about 11 KB
	for name, tc := range map[string]struct {
		m     *zsbot.Outgoing
		limit int
	}{
		"AppText":       {app("zhangsan", long), bot.LimitText},
		"AppMarkdown":   {&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"zhangsan"}, Format: zsbot.FormatMarkdown, Text: long}, bot.LimitAppMarkdown},
		"RobotMarkdown": {robotMsg("k", zsbot.FormatMarkdown, long, "zhangsan", "lisi"), bot.LimitRobotMarkdown},
		"RobotText":     {robotMsg("k", zsbot.FormatText, long, "zhangsan"), bot.LimitText},
		"InlineMention": {robotMsg("k", zsbot.FormatMarkdown, long+"<@wangwu>", "wangwu"), bot.LimitRobotMarkdown},
	} {
		t.Run(name, func(t *testing.T) {
			parts := bot.Parts(tc.m)
			var texts []string
			for i, p := range parts {
				if len(p.Text) > tc.limit {
					t.Fatalf("part %d has %d bytes, limit %d", i, len(p.Text), tc.limit)
				}
				if last := i == len(parts)-1; (len(p.Mentions) > 0) != (last && tc.m.Format == zsbot.FormatText && len(tc.m.Mentions) > 0) {
					t.Fatalf("part %d mentions %v", i, p.Mentions)
				}
				texts = append(texts, p.Text)
			}
			joined := strings.Join(texts, "\n")
			if name == "RobotMarkdown" {
				if !strings.HasSuffix(joined, "\n<@zhangsan> <@lisi>") {
					t.Fatalf("markdown mentions missing at the end: %q", joined[len(joined)-40:])
				}
				joined = strings.TrimSuffix(joined, "\n<@zhangsan> <@lisi>")
			}
			if joined != tc.m.Text || len(parts) < 2 {
				t.Fatalf("%d parts do not join back to the text", len(parts))
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
