package bot_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/bot/wecomtest"
	"zsbot/config"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// Secrets of the test app; none may appear in a log line.
const (
	testSecret   = "s3cret-corp-secret-value"
	testRobotKey = "robot-key-0000-secret"
)

// stub is the Responder of the tests: every command writes one record to
// Redis (so writes can be counted) and replies with a text derived from
// it. "slow …" waits for the gate, "down" reports EUNAVAILABLE.
type stub struct {
	rdb  redis.UniversalClient
	gate chan struct{}
}

func (s *stub) Respond(ctx context.Context, _ zsbot.Tx, m *zsbot.Message) (string, error) {
	if m.Text == "down" {
		return "", zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用，请稍后重发。")
	}
	if strings.HasPrefix(m.Text, "slow") {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	if err := s.rdb.RPush(ctx, "test:writes", m.From+"|"+m.ID+"|"+m.Text).Err(); err != nil {
		return "", zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用，请稍后重发。")
	}
	if m.Text == "帮助" {
		return "可用指令：新项目、拜访、签约……\n发送「帮助 签约」看用法。", nil
	}
	return "已记录：" + m.Text, nil
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a running `zsbot serve` over a real redis-server and a fake WeCom.
type env struct {
	redis  *redistest.Server
	rdb    *redis.Client
	db     *storage.DB
	fake   *wecomtest.Server
	client *wecompeer.Client
	server *bot.Server
	stub   *stub
	logs   *syncBuffer
	url    string       // the callback URL
	base   string       // the server's root URL
	admin  string       // the root URL of its admin listener (/metrics, /readyz)
	stop   func() error // SIGTERM: stops Serve and returns its result
}

// vars are the environment variables of the test app (vector A's app).
func vars(fakeURL, redisURL string, extra ...string) []string {
	m := map[string]string{
		"ZSBOT_REDIS_URL": redisURL, "ZSBOT_WECOM_CORP_ID": vectorA.receiveID, "ZSBOT_WECOM_AGENT_ID": "218",
		"ZSBOT_WECOM_SECRET": testSecret, "ZSBOT_WECOM_TOKEN": vectorA.token, "ZSBOT_WECOM_AES_KEY": vectorA.aesKey,
		"ZSBOT_WECOM_API_BASE": fakeURL, "ZSBOT_BUREAU": "test",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	environ := make([]string, 0, len(m))
	for k, v := range m {
		environ = append(environ, k+"="+v)
	}
	return environ
}

// newEnv starts everything; extra are more environment variables.
func newEnv(t *testing.T, o bot.Options, extra ...string) *env {
	t.Helper()
	e := &env{redis: redistest.Start(t), logs: &syncBuffer{}}
	e.rdb = e.redis.Client(t)
	e.db = storage.New(e.rdb, "test")
	e.fake = wecomtest.NewServer(t, vectorA.receiveID, testSecret)
	cfg, err := config.Load(vars(e.fake.URL, e.redis.URL(), extra...))
	if err != nil {
		t.Fatal(err)
	}
	e.stub = &stub{rdb: e.rdb, gate: make(chan struct{})}
	o.Logger = slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.Worker.Poll = orDur(o.Worker.Poll, 10*time.Millisecond)
	o.Worker.BackoffBase = orDur(o.Worker.BackoffBase, time.Millisecond)
	o.Worker.BackoffMax = orDur(o.Worker.BackoffMax, 5*time.Millisecond)
	o.Callback.Greeting = bot.Greeting
	if e.server, err = bot.NewServer(cfg, e.db, e.stub, o); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	aln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.base, e.admin = "http://"+ln.Addr().String(), "http://"+aln.Addr().String()
	e.url = e.base + cfg.CallbackPath
	e.client = &wecompeer.Client{Token: vectorA.token, AESKey: vectorA.aesKey, CorpID: vectorA.receiveID, AgentID: "218"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.server.Serve(ctx, bot.Listeners{Public: ln, Admin: aln}) }()
	var once sync.Once
	var serveErr error
	e.stop = func() error {
		once.Do(func() { cancel(); serveErr = <-done })
		return serveErr
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
		logs := e.logs.String()
		for _, secret := range []string{testSecret, vectorA.aesKey, vectorA.token, testRobotKey, "tok-1", "tok-2"} {
			if strings.Contains(logs, secret) {
				t.Errorf("a log line holds the secret %q:\n%s", secret, logs)
			}
		}
	})
	return e
}

func orDur(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// response is an HTTP answer.
type response struct {
	code int
	body []byte
}

// send posts plaintext as WeCom would and returns the answer.
func (e *env) send(t *testing.T, plaintext []byte) response {
	t.Helper()
	req, err := e.client.Post(e.url, plaintext, time.Now(), "123456")
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, b}
}

// writes returns the records the stub wrote.
func (e *env) writes(t *testing.T) []string {
	t.Helper()
	w, err := e.rdb.LRange(context.Background(), "test:writes", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// open decrypts a passive reply, failing the test if it is not one.
func (e *env) open(t *testing.T, res response) *wecompeer.Reply {
	t.Helper()
	if res.code != http.StatusOK {
		t.Fatalf("status %d, body %q", res.code, res.body)
	}
	r, err := e.client.OpenReply(res.body)
	if err != nil {
		t.Fatalf("%v; body %q", err, res.body)
	}
	return r
}

// waitFor polls cond until it holds, failing after 10 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// metric returns the value of a counter or gauge of the server.
func (e *env) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	body, code := get(t, e.admin+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("/metrics: %d", code)
	}
	want := name
	if len(labels) > 0 {
		var kv []string
		for i := 0; i+1 < len(labels); i += 2 {
			kv = append(kv, fmt.Sprintf("%s=%q", labels[i], labels[i+1]))
		}
		sort.Strings(kv) // the exposition orders labels by name
		want += "{" + strings.Join(kv, ",") + "}"
	}
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, want+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	return 0
}

func get(t *testing.T, url string) (string, int) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.StatusCode
}
