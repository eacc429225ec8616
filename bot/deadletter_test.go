package bot_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
)

// TestGiveUpUnknownErrcode: an errcode zsbot does not know is retried
// until the message has failed GiveUpAttempts times over GiveUpAfter; then
// it is a dead letter and the member's next message goes. WeCom busy (-1)
// is never given up.
func TestGiveUpUnknownErrcode(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{GiveUpAttempts: 3, GiveUpAfter: time.Minute, BackoffBase: time.Second, BackoffMax: time.Second},
		bot.SenderOptions{})
	r.enqueue(t, app("zhangsan", "一"), app("zhangsan", "二"))
	r.fake.Inject(wecomtest.PathMessage, 100, wecomtest.Fault{Errcode: 12345})
	ctx := context.Background()
	calls := func() int { return len(r.fake.Requests()) - 1 } // less gettoken
	for i := range 6 {                                        // 3 attempts within 30 s: not yet
		r.worker.Pass(ctx)
		r.clock.Advance(5 * time.Second)
		if _, n, _ := r.ob.Dead(ctx, 0); n != 0 {
			t.Fatalf("given up after %d passes, %d calls, within the minute", i+1, calls())
		}
	}
	if calls() < 3 {
		t.Fatalf("%d attempts in 30 s, want at least 3", calls())
	}
	r.clock.Advance(time.Minute)
	r.worker.Pass(ctx)
	dead, n, err := r.ob.Dead(ctx, 0)
	if err != nil || n != 1 || dead[0].Cause != zsbot.DeadGaveUp || !strings.Contains(dead[0].Error, "12345") || dead[0].Item.Msg.Text != "一" {
		t.Fatalf("dead letters %d %+v, %v", n, dead, err)
	}
	// Only "二" is queued now, and it waits for no one.
	if head, _ := r.ob.Head(ctx, 10); len(head) != 1 || head[0].Msg.Text != "二" {
		t.Fatalf("queue after giving up: %+v", head)
	}

	busy := newRig(t, bot.WorkerOptions{GiveUpAttempts: 2, GiveUpAfter: time.Second, BackoffBase: time.Second, BackoffMax: time.Second},
		bot.SenderOptions{})
	busy.enqueue(t, app("zhangsan", "忙"))
	busy.fake.Inject(wecomtest.PathMessage, 10, wecomtest.Fault{Errcode: -1})
	for range 10 {
		busy.worker.Pass(ctx)
		busy.clock.Advance(time.Minute)
	}
	if _, n, _ := busy.ob.Dead(ctx, 0); n != 0 {
		t.Fatalf("WeCom busy (-1) was given up")
	}
	busy.drain(t, time.Minute)
}

// TestRejectedDoesNotBlock: a message WeCom refuses for good (45002) is a
// dead letter at once and the next one to the same robot goes in the same
// pass; the admins are told once per destination and cause until a send
// there succeeds, and again after.
func TestRejectedDoesNotBlock(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{Admins: func(context.Context) ([]string, error) { return []string{"admin"}, nil }}, bot.SenderOptions{})
	r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatText, "太长"), robotMsg(testRobotKey, zsbot.FormatText, "也太长"),
		robotMsg(testRobotKey, zsbot.FormatText, "下一条"))
	r.fake.Inject(wecomtest.PathWebhook, 2, wecomtest.Fault{Errcode: 45002})
	ctx := context.Background()
	if n, err := r.worker.Pass(ctx); err != nil || n != 1 {
		t.Fatalf("Pass = %d, %v; want the third sent", n, err)
	}
	r.drain(t, time.Second)
	if got := contents(r.fake, wecomtest.PathWebhook); strings.Join(got, ",") != "下一条" {
		t.Fatalf("robot got %q", got)
	}
	alerts := contents(r.fake, wecomtest.PathMessage)
	if len(alerts) != 1 || !strings.Contains(alerts[0], "机器人 "+zsbot.MaskKey(testRobotKey)) || strings.Contains(alerts[0], testRobotKey) ||
		!strings.Contains(alerts[0], "首行：太长") {
		t.Fatalf("alerts %q, want one naming the masked robot", alerts)
	}
	// "下一条" succeeded: the next refusal is told again.
	r.fake.Inject(wecomtest.PathWebhook, 1, wecomtest.Fault{Errcode: 45002})
	r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatText, "再一条"))
	r.drain(t, time.Second)
	if alerts := contents(r.fake, wecomtest.PathMessage); len(alerts) != 2 || !strings.Contains(alerts[1], "首行：再一条") {
		t.Fatalf("alerts after a success and a refusal: %q", alerts)
	}
	if _, n, _ := r.ob.Dead(ctx, 0); n != 3 {
		t.Fatalf("%d dead letters, want 3", n)
	}
}

// TestLongMessage: a callback body over MaxBody (here 100 KB) gets a
// passive reply, encrypted, saying it is too long; nothing runs.
func TestLongMessage(t *testing.T) {
	e := newEnv(t, bot.Options{})
	text := "拜访 诺比侃 " + strings.Repeat("很长的备注。", 100<<10/18)
	plain := e.client.Text("zhangsan", text, "6001", time.Now())
	if enc, _ := e.client.Encrypt(plain); len(e.client.Envelope(enc)) <= bot.MaxBody {
		t.Fatal("the body is not over MaxBody")
	}
	res := e.send(t, plain)
	if res.code != http.StatusOK {
		t.Fatalf("status %d", res.code)
	}
	if r := e.open(t, res); !strings.Contains(r.Content, "这条消息太长") || r.ToUserName != "zhangsan" {
		t.Fatalf("reply %+v", r)
	}
	if w := e.writes(t); len(w) != 0 {
		t.Fatalf("a message too long ran: %q", w)
	}
	if !bytes.Contains([]byte(e.logs.String()), []byte("message too long")) {
		t.Fatal("no log line")
	}
}

// TestAppText: with AppText (ZSBOT_APP_MARKDOWN=off) a markdown notice to
// a member goes as a plain text message; a robot keeps its markdown.
func TestAppText(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{AppText: true}, bot.SenderOptions{})
	md := "**半月通报**　2024年12月16日至31日\n> 签约项目12个\n- 签约项目 50/120 <font color=\"warning\">滞后</font>"
	r.enqueue(t, &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"zhangsan"}, Format: zsbot.FormatMarkdown, Text: md},
		robotMsg(testRobotKey, zsbot.FormatMarkdown, md))
	r.drain(t, time.Second)
	for _, q := range r.fake.Sent() {
		switch q.Path {
		case wecomtest.PathMessage:
			text, _ := q.Body["text"].(map[string]any)
			if q.Body["msgtype"] != "text" || text["content"] != "【半月通报】　2024年12月16日至31日\n签约项目12个\n· 签约项目 50/120 【滞后】" {
				t.Errorf("app message %v", q.Body)
			}
		case wecomtest.PathWebhook:
			m, _ := q.Body["markdown"].(map[string]any)
			if q.Body["msgtype"] != "markdown" || m["content"] != md {
				t.Errorf("robot message %v", q.Body)
			}
		}
	}
	if n := len(r.fake.Sent()); n != 2 {
		t.Fatalf("%d sent, want 2", n)
	}
}
