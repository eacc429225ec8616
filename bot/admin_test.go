package bot_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot/bot"
)

// TestEndpointsApart: the public listener serves the callback and a bare
// /healthz only; /readyz, whose reasons name internals, and /metrics are
// on the admin listener.
func TestEndpointsApart(t *testing.T) {
	e := newEnv(t, bot.Options{})
	for _, c := range []struct {
		url  string
		code int
		body string // what the body must hold
	}{
		{e.base + "/healthz", http.StatusOK, "ok"},
		{e.base + "/readyz", http.StatusNotFound, ""},
		{e.base + "/metrics", http.StatusNotFound, ""},
		{e.admin + "/readyz", http.StatusOK, "ok"},
		{e.admin + "/metrics", http.StatusOK, "zsbot_http_connections_shed_total 0"},
		{e.admin + "/wecom/callback", http.StatusNotFound, ""},
	} {
		body, code := get(t, c.url)
		if code != c.code || !strings.Contains(body, c.body) {
			t.Errorf("GET %s = %d %q; want %d with %q", c.url, code, body, c.code, c.body)
		}
	}
	if body, _ := get(t, e.base+"/healthz"); body != "ok\n" {
		t.Errorf("/healthz says %q; want only ok", body)
	}
	// The callback is still served.
	if r := e.open(t, e.send(t, e.client.Text("qianshi", "帮助", "9101", time.Now()))); !strings.HasPrefix(r.Content, "可用指令") {
		t.Fatalf("callback reply %+v", r)
	}
	// A graceful stop closes both listeners.
	if err := e.stop(); err != nil {
		t.Fatalf("Serve = %v, want nil", err)
	}
	for _, url := range []string{e.base + "/healthz", e.admin + "/metrics"} {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			t.Errorf("GET %s after the stop: %s", url, resp.Status)
		}
	}
}
