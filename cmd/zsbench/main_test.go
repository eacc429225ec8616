package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/benchdata"
	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/cmd/zsbench/loadgen"
	"zsbot/storage"
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
		{"UnknownMix", nil, []string{"--mix", "writes"}, 2, `zsbench: --mix "writes": want default or read`},
		{"Argument", nil, []string{"--rate", "10", "read"}, 2, `unexpected argument "read"`},
		{"PreloadWithoutRedis", nil, []string{"--preload-years", "10"}, 2, "zsbench: --preload-years needs ZSBOT_REDIS_URL"},
		{"PreloadYears", nil, []string{"--preload-years", "-1"}, 2, "--preload-years takes 1 to 100 years"},
		{"PreloadScale", nil, []string{"--preload-years", "1", "--preload-scale", "0"}, 2, "--preload-scale 1 to 100"},
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

// TestPreload loads two seed-sized years into an empty bureau, with the
// aggregates, and above the loaded IDs the commands allocate; a bureau
// with people is refused and left as it is.
func TestPreload(t *testing.T) {
	srv := redistest.Start(t)
	env := []string{"ZSBOT_REDIS_URL", srv.URL(), "ZSBOT_BUREAU", "zb"}
	code, out, stderr := runZsbench(t, env, "--preload-years", "2")
	if code != 0 || !strings.Contains(out, "preload: ") || !strings.Contains(out, "2 years at 1× the seed's volume") {
		t.Fatalf("exit %d\n%s%s", code, out, stderr)
	}
	ctx := context.Background()
	db := storage.New(srv.Client(t), "zb")
	people, err := db.People(ctx)
	if err != nil || len(people) != benchdata.Officers+1 {
		t.Errorf("%d people, %v; want %d", len(people), err, benchdata.Officers+1)
	}
	if diffs, err := db.RebuildAggregates(ctx, false); err != nil || len(diffs) > 0 {
		t.Errorf("aggregates differ from the records: %v %v", diffs, err)
	}
	last := benchdata.Generate(benchdata.Config{Years: 2, End: zsbot.DateOf(time.Now().In(mustLoc(t))), Seed: 18})
	projects := 0 // numbered P1 … Pn
	for _, r := range last {
		if r.RecordKind() == zsbot.KindProject {
			projects++
		}
	}
	if id, err := db.NextID(ctx, zsbot.KindProject); err != nil || id != fmt.Sprintf("P%d", projects+1) {
		t.Errorf("NextID after the preload = %q, %v; want P%d", id, err, projects+1)
	}
	code, out, stderr = runZsbench(t, env, "--preload-years", "2")
	if code != 1 || out != "" || !strings.Contains(stderr, "empty bureau only; this one has 21 people registered, nothing loaded") {
		t.Errorf("a second preload: exit %d\n%s%s", code, out, stderr)
	}
}

func mustLoc(t *testing.T) *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestCryptoOnly runs the generator's setup and a short mix against the
// crypto-only bound: every message is answered with its echo, signed and
// encrypted so that the generator opens it.
func TestCryptoOnly(t *testing.T) {
	const token, key, corp = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
	h, err := loadgen.NewCryptoOnly(token, key, corp)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL + "/wecom/callback", Admin: "admin",
		Client:   wecompeer.Client{Token: token, AESKey: key, CorpID: corp, AgentID: "1000002"},
		Officers: 3, Projects: 2, Duration: 300 * time.Millisecond, Rate: 200, Workers: 4, Rounds: 2, Mix: loadgen.ReadMix})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rounds) != 2 || res.Run != res.Rounds[0] || res.Rounds[1].Name != "round 2" {
		t.Fatalf("rounds %d, first %v", len(res.Rounds), res.Run == res.Rounds[0])
	}
	for _, p := range append([]*loadgen.Phase{res.Setup}, res.Rounds...) {
		if p.Messages == 0 || p.Outcomes[loadgen.OutReply] != p.Messages || p.ErrorCount() > 0 {
			t.Errorf("%s: %d messages, outcomes %v, errors %v", p.Name, p.Messages, p.Outcomes, p.Errors)
		}
	}
}
