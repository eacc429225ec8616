package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"zsbot/bot"

	"github.com/redis/go-redis/v9"

	"zsbot/storage/redistest"
)

// The full run against `zsbot serve` is cmd/zsbot's TestBenchSmoke, which
// builds this command; these tests cover what needs no running bot.

// runZsbench runs the command in-process with a clean ZSBOT_* environment
// plus env (NAME, value pairs) and returns its exit code and output.
func runZsbench(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "ZSBOT_") {
			t.Setenv(name, "")
		}
	}
	for i := 0; i+1 < len(env); i += 2 {
		t.Setenv(env[i], env[i+1])
	}
	var out, errs bytes.Buffer
	code = run(context.Background(), args, &out, &errs)
	return code, out.String(), errs.String()
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want string // in stderr
	}{
		{"Help", nil, []string{"--help"}, 0, "Usage: zsbench"},
		{"HelpListsFlags", nil, []string{"--help"}, 0, "-verify string"},
		{"UnknownFlag", nil, []string{"--bogus"}, 2, "flag provided but not defined: -bogus"},
		{"VerifyWithoutRedis", nil, []string{"--verify", "acks.jsonl"}, 2, "zsbench: --verify needs ZSBOT_REDIS_URL"},
		{"NoToken", []string{"ZSBOT_ADMINS", "admin1"}, []string{"--duration", "1s"}, 1, "token, AES key and corp id are required"},
		{"BadConfig", []string{"ZSBOT_TZ", "Nowhere/Atlantis"}, nil, 1, "ZSBOT_TZ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runZsbench(t, tc.env, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
		})
	}
}

// TestVerify checks acks against a real Redis's audit stream: an
// acknowledged write found once passes, one never audited fails the run.
func TestVerify(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	if err := rdb.XAdd(context.Background(), &redis.XAddArgs{Stream: "zs:{zb}:audit", Values: []any{"m", bot.MessageDelivery("u1", "101")}}).Err(); err != nil {
		t.Fatal(err)
	}
	env := []string{"ZSBOT_REDIS_URL", srv.URL(), "ZSBOT_BUREAU", "zb"}
	dir := t.TempDir()
	acks := func(lines ...string) string {
		t.Helper()
		p := filepath.Join(dir, "acks.jsonl")
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	stored := `{"msgid":"101","user":"u1","verb":"拜访","text":"拜访 E1","reply":"已记录拜访 A1","write":true}`
	lost := `{"msgid":"102","user":"u1","verb":"拜访","text":"拜访 E2","reply":"已记录拜访 A2","write":true}`

	code, out, stderr := runZsbench(t, env, "--verify", acks(stored))
	if code != 0 || !strings.Contains(out, "1 acknowledged messages, 1 of them writes; 1 deliveries audited") ||
		!strings.Contains(out, "missing from the audit: 0; audited twice: 0") {
		t.Errorf("one stored write: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runZsbench(t, env, "--verify", acks(stored, lost))
	if code != 1 || !strings.Contains(out, "missing from the audit: 1;") || !strings.Contains(out, "missing: 102 u1") {
		t.Errorf("a lost write: exit %d\n%s%s", code, out, stderr)
	}
	code, _, stderr = runZsbench(t, env, "--verify", filepath.Join(dir, "absent.jsonl"))
	if code != 1 || !strings.Contains(stderr, "zsbench: open") {
		t.Errorf("an absent acks file: exit %d, stderr %q", code, stderr)
	}
}

func TestLocalURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{":8080", "http://127.0.0.1:8080/wecom/callback"},
		{"0.0.0.0:8080", "http://127.0.0.1:8080/wecom/callback"},
		{"[::]:8080", "http://127.0.0.1:8080/wecom/callback"},
		{"127.0.0.2:9000", "http://127.0.0.2:9000/wecom/callback"},
		{"[::1]:9000", "http://[::1]:9000/wecom/callback"},
	} {
		if got := localURL(tc.addr, "/wecom/callback"); got != tc.want {
			t.Errorf("localURL(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
