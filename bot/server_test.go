package bot_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
)

func TestGracefulShutdown(t *testing.T) {
	e := newEnv(t, bot.Options{Callback: bot.CallbackOptions{ReplyTimeout: 10 * time.Second}})
	replied := make(chan response, 1)
	go func() { replied <- e.send(t, e.client.Text("qianshi", "slow 查 诺比侃", "7001", time.Now())) }()
	waitFor(t, "the command to start", func() bool {
		n, _ := e.rdb.Exists(t.Context(), "zs:{test}:dlv:"+bot.MessageDelivery("qianshi", "7001")).Result()
		return n == 1
	})
	stopped := make(chan error, 1)
	go func() { stopped <- e.stop() }()
	waitFor(t, "the listener to close", func() bool {
		_, err := http.Get(e.base + "/healthz")
		return err != nil
	})
	close(e.stub.gate)
	if r := e.open(t, <-replied); r.Content != "已记录：slow 查 诺比侃" {
		t.Fatalf("in-flight reply %+v", r)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Serve = %v, want nil", err)
	}
	if n, _ := e.rdb.Exists(t.Context(), "zs:{test}:outbox:lock").Result(); n != 0 {
		t.Fatal("the worker kept its lock after shutdown")
	}
}

func TestReadiness(t *testing.T) {
	e := newEnv(t, bot.Options{})
	if body, code := get(t, e.admin+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d %q", code, body)
	}
	e.fake.BadKeys[testRobotKey] = true
	if err := e.server.Outbox().Enqueue(t.Context(), robotMsg(testRobotKey, zsbot.FormatText, "测试")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/readyz to fail", func() bool { _, code := get(t, e.admin+"/readyz"); return code == http.StatusServiceUnavailable })
	body, _ := get(t, e.admin+"/readyz")
	if !strings.Contains(body, "destination 机器人 "+zsbot.MaskKey(testRobotKey)) || !strings.Contains(body, "93000") || strings.Contains(body, testRobotKey) {
		t.Fatalf("/readyz body %q", body)
	}
	waitFor(t, "the misconfigured gauge", func() bool { return e.metric(t, "zsbot_send_channel_misconfigured", "channel", "robot") == 1 })
	if got := e.metric(t, "zsbot_sends_total", "channel", "robot", "outcome", "destination"); got != 1 {
		t.Fatalf("sends{robot,destination} = %v", got)
	}
	// Another robot's success does not clear the bad one (issue 15) …
	if err := e.server.Outbox().Enqueue(t.Context(), robotMsg("good-robot-key-0001", zsbot.FormatText, "好")); err != nil {
		t.Fatal(err)
	}
	e.fake.WaitSent(t, 1, 10*time.Second)
	time.Sleep(1500 * time.Millisecond) // a pass and its gauges
	if body, code := get(t, e.admin+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "93000") {
		t.Fatalf("after another robot's success /readyz = %d %q", code, body)
	}
	if got := e.metric(t, "zsbot_send_channel_misconfigured", "channel", "robot"); got != 1 {
		t.Fatalf("misconfigured gauge after another robot's success = %v", got)
	}
	// … a success to the fixed one does.
	delete(e.fake.BadKeys, testRobotKey)
	if err := e.server.Outbox().Enqueue(t.Context(), robotMsg(testRobotKey, zsbot.FormatText, "修好了")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/readyz to pass", func() bool { _, code := get(t, e.admin+"/readyz"); return code == http.StatusOK })
	waitFor(t, "the misconfigured gauge to clear", func() bool { return e.metric(t, "zsbot_send_channel_misconfigured", "channel", "robot") == 0 })
}

func TestMetricsHooks(t *testing.T) {
	e := newEnv(t, bot.Options{})
	e.server.Metrics().CountCommand("签约", "ok")
	e.server.Metrics().CountJob("half-monthly", "ok")
	if err := e.server.Outbox().Enqueue(t.Context(), app("zhangsan", "提醒")); err != nil {
		t.Fatal(err)
	}
	e.fake.WaitSent(t, 1, 10*time.Second)
	waitFor(t, "the depth gauge to empty", func() bool { return e.metric(t, "zsbot_outbox_depth") == 0 })
	for _, m := range []struct {
		name   string
		labels []string
	}{
		{"zsbot_commands_total", []string{"verb", "签约", "outcome", "ok"}},
		{"zsbot_job_runs_total", []string{"job", "half-monthly", "outcome", "ok"}},
		{"zsbot_sends_total", []string{"channel", "app", "outcome", "ok"}},
	} {
		if got := e.metric(t, m.name, m.labels...); got != 1 {
			t.Errorf("%s%v = %v, want 1", m.name, m.labels, got)
		}
	}
	body, _ := get(t, e.admin+"/metrics")
	for _, name := range []string{"zsbot_outbox_oldest_age_seconds", "zsbot_callback_duplicates_total", "zsbot_callback_refusals_total"} {
		if !strings.Contains(body, name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
