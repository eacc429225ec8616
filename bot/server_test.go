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
	if !strings.Contains(body, "channel robot") || !strings.Contains(body, "93000") || strings.Contains(body, testRobotKey) {
		t.Fatalf("/readyz body %q", body)
	}
	if got := e.metric(t, "zsbot_send_channel_misconfigured", "channel", "robot"); got != 1 {
		t.Fatalf("misconfigured gauge = %v", got)
	}
	if got := e.metric(t, "zsbot_sends_total", "channel", "robot", "outcome", "config_error"); got != 1 {
		t.Fatalf("sends{robot,config_error} = %v", got)
	}
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
