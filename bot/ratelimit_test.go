package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/wecom/limits"
)

// checkRolling fails if more than limit of sends fall within any 60
// seconds (the fake's clock).
func checkRolling(tb testing.TB, sends []wecomtest.Request, limit int) {
	tb.Helper()
	for i, s := range sends {
		n := 0
		for _, o := range sends[:i+1] {
			if o.At.After(s.At.Add(-time.Minute)) {
				n++
			}
		}
		if n > limit {
			tb.Fatalf("%d sends in the 60 s up to %v, limit %d", n, s.At.Format(time.TimeOnly), limit)
		}
	}
}

// TestRobotRollingWindow: 25 robot messages queued ten seconds before a
// minute boundary. A count per calendar minute would send 20, then 5 more
// at the boundary, and WeCom's rolling limit would answer 45009; the
// rolling window sends 20, then the rest 60 s after the first, in order.
func TestRobotRollingWindow(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	r.clock.Advance(45 * time.Second) // 09:10:50
	var want []string
	for i := range 25 {
		want = append(want, fmt.Sprintf("**第%d条**", i))
		r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatMarkdown, want[i]))
	}
	r.drain(t, 5*time.Second)
	calls := only(r.fake.Requests(), wecomtest.PathWebhook)
	for _, q := range calls {
		if q.Errcode != 0 {
			t.Fatalf("WeCom answered %d at %v", q.Errcode, q.At.Format(time.TimeOnly))
		}
	}
	if got := contents(r.fake, wecomtest.PathWebhook); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("delivered %q, want all 25 once, in order", got)
	}
	checkRolling(t, calls, limits.RobotPerWindow)
	if last := calls[len(calls)-1].At; last.Sub(calls[0].At) < time.Minute {
		t.Fatalf("the 21st went %v after the first", last.Sub(calls[0].At))
	}
}

// TestAppMemberWindow: 35 app messages to one member (and one to two
// members) keep WeCom's 30 per member per rolling minute, beyond which
// WeCom would drop them without an error: none dropped.
func TestAppMemberWindow(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	for i := range 35 {
		r.enqueue(t, app("zhangsan", fmt.Sprintf("第%d条", i)))
	}
	r.enqueue(t, &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"lisi", "zhangsan"}, Format: zsbot.FormatText, Text: "两人"})
	r.drain(t, 5*time.Second)
	calls := only(r.fake.Requests(), wecomtest.PathMessage)
	var zhangsan []wecomtest.Request
	for _, q := range calls {
		if q.Dropped || q.Errcode != 0 {
			t.Fatalf("a message was dropped or refused (%d) at %v", q.Errcode, q.At.Format(time.TimeOnly))
		}
		if strings.Contains("|"+q.Body["touser"].(string)+"|", "|zhangsan|") {
			zhangsan = append(zhangsan, q)
		}
	}
	if len(zhangsan) != 36 {
		t.Fatalf("zhangsan got %d messages, want 36", len(zhangsan))
	}
	checkRolling(t, zhangsan, limits.MemberPerWindow)
}
