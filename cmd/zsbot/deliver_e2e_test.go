package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot/wecomtest"
	"zsbot/storage/redistest"
)

// sentTo returns the contents the fake WeCom accepted on path for to (a
// touser, or a webhook key), in order.
func sentTo(f *wecomtest.Server, path, to string) []string {
	var out []string
	for _, q := range f.Sent() {
		if q.Path != path || (q.Body["touser"] != to && q.Token != to) {
			continue
		}
		for _, k := range []string{"text", "markdown"} {
			if m, ok := q.Body[k].(map[string]any); ok {
				out = append(out, m["content"].(string))
			}
		}
	}
	return out
}

// waitSent waits until the fake accepted a content on path for to that
// holds substr, and returns every content accepted for to.
func waitSent(t *testing.T, f *wecomtest.Server, path, to, substr string) []string {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		got := sentTo(f, path, to)
		for _, c := range got {
			if strings.Contains(c, substr) {
				return got
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing holding %q sent to %s on %s; sent: %q", substr, to, path, got)
		}
	}
}

// TestDeadLetters runs `zsbot serve` against a fake WeCom that refuses a
// message for good (44004) and a robot's key (93000): the refused message
// becomes a dead letter and the next one to the same member goes; an
// admin is told once per destination and cause; 通报 失败 lists the dead
// letters; `zsbot outbox retry` sends one again and `zsbot outbox drop`
// deletes one, which ends the robot's entry in /readyz.
func TestDeadLetters(t *testing.T) {
	r := newRig(t, nil)
	s := r.serve(t, "")
	c := e2eClient()
	say := func(from, text, id string) string {
		t.Helper()
		code, reply := post(t, s, c.Text(from, text, id, time.Now()))
		if code != http.StatusOK {
			t.Fatalf("%q: status %d", text, code)
		}
		return reply
	}
	say(e2eAdmin, "人员 添加 zhangsan 张三 双福园区 招商员", "8001")
	say(e2eAdmin, "人员 添加 li 李四 招商科 领导", "8002")
	ctx := context.Background()
	ob := r.db.Outbox(time.Now)
	msg := func(channel, to, text string) *zsbot.Outgoing {
		return &zsbot.Outgoing{Channel: channel, To: []string{to}, Format: zsbot.FormatText, Text: text, Tag: "e2e"}
	}

	// The first message to zhangsan is refused for good; the second goes.
	r.fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Errcode: 44004})
	if err := ob.Enqueue(ctx, msg(zsbot.ChannelApp, "zhangsan", "第一条：逾期提醒"), msg(zsbot.ChannelApp, "zhangsan", "第二条：个人提醒")); err != nil {
		t.Fatal(err)
	}
	got := waitSent(t, r.fake, wecomtest.PathMessage, "zhangsan", "第二条")
	if len(got) != 1 {
		t.Fatalf("zhangsan got %q, want only the second message", got)
	}
	alerts := waitSent(t, r.fake, wecomtest.PathMessage, e2eAdmin, "【消息发送失败】")
	if !strings.Contains(alerts[0], "个人 zhangsan") || !strings.Contains(alerts[0], "首行：第一条：逾期提醒") {
		t.Fatalf("admin alert %q", alerts[0])
	}
	dead, total, err := ob.Dead(ctx, 0)
	if err != nil || total != 1 || dead[0].Cause != zsbot.DeadRejected {
		t.Fatalf("dead letters %+v (%d), %v", dead, total, err)
	}
	first := dead[0].Item.ID
	if reply := say("li", "通报 失败", "8003"); !strings.Contains(reply, "发送失败的消息共1条") ||
		!strings.Contains(reply, fmt.Sprintf("%d. ", first)) || !strings.Contains(reply, "发往个人 zhangsan") ||
		!strings.Contains(reply, "errcode 44004") || !strings.Contains(reply, "首行：第一条：逾期提醒") {
		t.Fatalf("通报 失败: %q", reply)
	}
	if reply := say("zhangsan", "通报 失败", "8004"); !strings.Contains(reply, "只限领导和管理员") {
		t.Fatalf("通报 失败 by an officer: %q", reply)
	}

	// A robot WeCom does not know: two dead letters, one alert, /readyz
	// names it until its dead letters are dropped.
	const badKey = "bad-robot-key-0000-1234"
	r.fake.BadKeys[badKey] = true
	if err := ob.Enqueue(ctx, msg(zsbot.ChannelRobot, badKey, "群通知一"), msg(zsbot.ChannelRobot, badKey, "群通知二")); err != nil {
		t.Fatal(err)
	}
	waitSent(t, r.fake, wecomtest.PathMessage, e2eAdmin, "机器人 "+zsbot.MaskKey(badKey))
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, n, _ := ob.Dead(ctx, 0); n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the robot's two messages did not both become dead letters")
		}
	}
	code, body := readyz(t, s)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "destination 机器人 "+zsbot.MaskKey(badKey)) ||
		!strings.Contains(body, "93000") || strings.Contains(body, badKey) {
		t.Fatalf("/readyz with a bad robot: %d %q", code, body)
	}
	time.Sleep(1500 * time.Millisecond) // passes enough to send a second alert, were there one
	if a := sentTo(r.fake, wecomtest.PathMessage, e2eAdmin); len(a) != 2 {
		t.Fatalf("admin got %d alerts, want 2 (one per destination and cause): %q", len(a), a)
	}
	if m := metrics(t, s); !strings.Contains(m, `zsbot_send_channel_misconfigured{channel="robot"} 1`) ||
		!strings.Contains(m, "zsbot_outbox_dead_letters 3") {
		t.Fatalf("metrics:\n%s\n%s", grep(m, "misconfigured"), grep(m, "dead_letters"))
	}

	// zsbot outbox list, retry, drop.
	if code, out, errOut := r.zsbotCmd(t, nil, "outbox", "list"); code != 0 || !strings.Contains(out, "rejected") ||
		!strings.Contains(out, "destination") || !strings.Contains(out, "第一条") || strings.Contains(out, badKey) ||
		!strings.Contains(out, "3 dead letter(s)") {
		t.Fatalf("outbox list: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := r.zsbotCmd(t, nil, "outbox", "retry", fmt.Sprint(first)); code != 0 || !strings.Contains(out, "queued again") {
		t.Fatalf("outbox retry: %d %q %q", code, out, errOut)
	}
	if got := waitSent(t, r.fake, wecomtest.PathMessage, "zhangsan", "第一条"); len(got) != 2 {
		t.Fatalf("zhangsan got %q after the retry", got)
	}
	rest, _, _ := ob.Dead(ctx, 0)
	for _, d := range rest {
		if code, out, errOut := r.zsbotCmd(t, nil, "outbox", "drop", fmt.Sprint(d.Item.ID)); code != 0 || !strings.Contains(out, "dropped") {
			t.Fatalf("outbox drop: %d %q %q", code, out, errOut)
		}
	}
	if code, _, errOut := r.zsbotCmd(t, nil, "outbox", "drop", fmt.Sprint(first)); code != 1 || !strings.Contains(errOut, "no dead letter") {
		t.Fatalf("drop of a dead letter no longer there: %d %q", code, errOut)
	}
	if code, _, _ := r.zsbotCmd(t, nil, "outbox", "retry", "abc"); code != 2 {
		t.Fatalf("retry abc: exit %d, want 2", code)
	}
	if code, body := readyz(t, s); code != http.StatusOK {
		t.Fatalf("/readyz after the robot's dead letters were dropped: %d %q", code, body)
	}
	if reply := say("li", "通报 失败", "8005"); reply != "没有发送失败的消息。" {
		t.Fatalf("通报 失败 when none: %q", reply)
	}
}

// TestLongMessageAndGreeting: a 100 KB message is answered passively that
// it is too long, and writes nothing (beyond 1 MiB the request gets 413:
// bot's TestRefusals); a member opening the app twice in a day is greeted once, with the
// commands of their role.
func TestLongMessageAndGreeting(t *testing.T) {
	r := newRig(t, nil)
	s := r.serve(t, "")
	c := e2eClient()
	now := time.Now()
	if code, reply := post(t, s, c.Text(e2eAdmin, "人员 添加 zhangsan 张三 双福园区 招商员", "7001", now)); code != 200 || !strings.Contains(reply, "已登记") {
		t.Fatalf("人员 添加: %d %q", code, reply)
	}

	before := redistest.Snapshot(t, r.db.Client(), "zs:{e2e}:*")
	long := "拜访 诺比侃 成都 昨天 " + strings.Repeat("洽谈二期用地事宜，", 100<<10/27)
	plain := c.Text("zhangsan", long, "7002", now)
	enc, err := c.Encrypt(plain)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Envelope(enc)); n < 100<<10 || n > 200<<10 {
		t.Fatalf("the callback body is %d bytes, want about 100 KB or more", n)
	}
	code, reply := post(t, s, plain)
	if code != http.StatusOK || !strings.Contains(reply, "这条消息太长") || !strings.Contains(reply, "拆开发送") {
		t.Fatalf("a 100 KB message: %d %q", code, reply)
	}
	if after := redistest.Snapshot(t, r.db.Client(), "zs:{e2e}:*"); after != before {
		t.Fatalf("a message too long to run wrote to Redis:\nbefore %s\nafter  %s", before, after)
	}

	greet := func(user string, at time.Time) string {
		t.Helper()
		code, reply := post(t, s, c.Event(user, "enter_agent", at))
		if code != http.StatusOK {
			t.Fatalf("enter_agent: %d", code)
		}
		return reply
	}
	first := greet("zhangsan", now)
	if !strings.Contains(first, "张三，您好") || !strings.Contains(first, "拜访") || strings.Contains(first, "人员") {
		t.Fatalf("an officer's greeting: %q", first)
	}
	if again := greet("zhangsan", now.Add(2*time.Second)); again != "" {
		t.Fatalf("a second enter_agent the same day got %q, want no greeting", again)
	}
	if retry := greet("zhangsan", now); retry != first {
		t.Fatalf("WeCom's retry of the first event got %q, want the same greeting", retry)
	}
	if admin := greet(e2eAdmin, now.Add(3*time.Second)); !strings.Contains(admin, "人员") {
		t.Fatalf("an admin's greeting lacks 人员: %q", admin)
	}
	if stranger := greet("nobody", now.Add(4*time.Second)); !strings.Contains(stranger, "userid：nobody") {
		t.Fatalf("an unregistered member's greeting: %q", stranger)
	}
}
