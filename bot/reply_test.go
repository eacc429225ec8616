package bot_test

import (
	"net/http"
	"testing"
	"time"

	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/wecom/limits"
)

func TestMessageTypes(t *testing.T) {
	e := newEnv(t, bot.Options{})
	now := time.Now()
	for name, tc := range map[string]struct {
		plain []byte
		want  string // "" = 200 with an empty body
	}{
		"Image":      {e.client.Other("zhaoliu", "image", "4001", now), bot.ReplyNotText},
		"Voice":      {e.client.Other("zhaoliu", "voice", "4002", now), bot.ReplyNotText},
		"Location":   {e.client.Other("zhaoliu", "location", "4003", now), bot.ReplyNotText},
		"EnterAgent": {e.client.Event("zhaoliu", "enter_agent", now), bot.Greeting},
		"Subscribe":  {e.client.Event("zhaoliu", "subscribe", now), ""},
		"Click":      {e.client.Event("zhaoliu", "click", now), ""},
	} {
		t.Run(name, func(t *testing.T) {
			res := e.send(t, tc.plain)
			if tc.want == "" {
				if res.code != http.StatusOK || len(res.body) != 0 {
					t.Fatalf("got %d %q, want 200 empty", res.code, res.body)
				}
				return
			}
			if r := e.open(t, res); r.Content != tc.want || r.ToUserName != "zhaoliu" {
				t.Fatalf("reply %+v, want %q", r, tc.want)
			}
		})
	}
	if w := e.writes(t); len(w) != 0 {
		t.Fatalf("non-text messages ran commands: %q", w)
	}
}

func TestSlowCommand(t *testing.T) {
	e := newEnv(t, bot.Options{Callback: bot.CallbackOptions{ReplyTimeout: 50 * time.Millisecond}})
	msg := e.client.Text("sunqi", "slow 统计 本月", "5001", time.Now())
	if res := e.send(t, msg); res.code != http.StatusOK || len(res.body) != 0 {
		t.Fatalf("first delivery: %d %q, want 200 empty", res.code, res.body)
	}
	// WeCom's retry while the command still runs: no second run, empty 200.
	if res := e.send(t, msg); res.code != http.StatusOK || len(res.body) != 0 {
		t.Fatalf("retry: %d %q, want 200 empty", res.code, res.body)
	}
	close(e.stub.gate)
	sent := e.fake.WaitSent(t, 1, 10*time.Second)
	r := sent[0]
	text, _ := r.Body["text"].(map[string]any)
	if r.Path != wecomtest.PathMessage || r.Body["touser"] != "sunqi" || r.Body["msgtype"] != "text" || text["content"] != "已记录：slow 统计 本月" {
		t.Fatalf("app message %+v", r)
	}
	// A retry after the reply went out: still nothing more.
	if res := e.send(t, msg); res.code != http.StatusOK || len(res.body) != 0 {
		t.Fatalf("late retry: %d %q, want 200 empty", res.code, res.body)
	}
	waitFor(t, "an empty outbox", func() bool { n, _ := e.rdb.ZCard(t.Context(), "zs:{test}:outbox:queue").Result(); return n == 0 })
	if w := e.writes(t); len(w) != 1 {
		t.Fatalf("writes %q, want one", w)
	}
	if n := len(e.fake.Sent()); n != 1 {
		t.Fatalf("%d app messages, want 1", n)
	}
}

func TestLongReplyGoesByOutbox(t *testing.T) {
	e := newEnv(t, bot.Options{})
	long := make([]byte, 0, 3000)
	for len(long) < 2500 {
		long = append(long, "一行内容\n"...)
	}
	res := e.send(t, e.client.Text("zhouba", string(long), "5101", time.Now()))
	if res.code != http.StatusOK || len(res.body) != 0 {
		t.Fatalf("got %d %q, want 200 empty", res.code, res.body)
	}
	sent := e.fake.WaitSent(t, 2, 10*time.Second)
	for _, r := range sent {
		if c := r.Body["text"].(map[string]any)["content"].(string); len(c) > limits.AppText {
			t.Fatalf("part of %d bytes", len(c))
		}
	}
}

func TestUnavailable(t *testing.T) {
	t.Run("ResponderDown", func(t *testing.T) {
		e := newEnv(t, bot.Options{})
		msg := e.client.Text("wujiu", "down", "6001", time.Now())
		if res := e.send(t, msg); res.code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", res.code)
		}
		// The claim was released: WeCom's retry runs the command again.
		if res := e.send(t, msg); res.code != http.StatusServiceUnavailable {
			t.Fatalf("retry status %d, want 503 again", res.code)
		}
		if keys, _ := e.rdb.Keys(t.Context(), "*dlv*").Result(); len(keys) != 0 {
			t.Fatalf("once-only records left: %q", keys)
		}
	})
	t.Run("RedisDown", func(t *testing.T) {
		e := newEnv(t, bot.Options{})
		e.redis.Kill()
		if res := e.send(t, e.client.Text("wujiu", "签约 诺比侃 51亿", "6002", time.Now())); res.code != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", res.code)
		}
		if body, code := get(t, e.admin+"/readyz"); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz = %d %q, want 503", code, body)
		}
		if body, code := get(t, e.base+"/healthz"); code != http.StatusOK {
			t.Fatalf("/healthz = %d %q, want 200", code, body)
		}
		if got := e.metric(t, "zsbot_callback_refusals_total", "reason", "redis"); got != 1 {
			t.Fatalf("refusals{redis} = %v", got)
		}
	})
}
