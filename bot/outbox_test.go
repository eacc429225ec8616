package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/config"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// rig is an outbox, a sender and a worker over a real redis-server and a
// fake WeCom, driven pass by pass with a test clock.
type rig struct {
	db     *storage.DB
	ob     *storage.Outbox
	fake   *wecomtest.Server
	sender *bot.Sender
	worker *bot.Worker
	clock  *clock
	logs   *syncBuffer
}

func newRig(t *testing.T, wopt bot.WorkerOptions, sopt bot.SenderOptions) *rig {
	t.Helper()
	r := &rig{clock: &clock{t: time.Date(2024, 12, 16, 9, 10, 5, 0, time.UTC)}, logs: &syncBuffer{}}
	r.db = storage.New(redistest.Start(t).Client(t), "test")
	r.fake = wecomtest.NewServer(t, vectorA.receiveID, testSecret)
	r.fake.Now = r.clock.Now
	cfg, err := config.Load(vars(r.fake.URL, ""))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(r.logs, nil))
	m := bot.NewMetrics()
	sopt.Logger, sopt.Metrics = log, m
	r.sender = bot.NewSender(cfg.WeCom, r.db.TokenCache(0), sopt)
	r.ob = r.db.Outbox(r.clock.Now)
	wopt.Now, wopt.Logger, wopt.Metrics = r.clock.Now, log, m
	r.worker = bot.NewWorker(r.ob, r.sender, wopt)
	t.Cleanup(func() {
		if logs := r.logs.String(); strings.Contains(logs, testSecret) || strings.Contains(logs, testRobotKey) || strings.Contains(logs, "tok-") {
			t.Errorf("a log line holds a secret:\n%s", logs)
		}
	})
	return r
}

func (r *rig) enqueue(t *testing.T, msgs ...*zsbot.Outgoing) {
	t.Helper()
	if err := r.ob.Enqueue(context.Background(), msgs...); err != nil {
		t.Fatal(err)
	}
}

// drain passes and advances the clock until the outbox is empty, failing
// after 50 passes.
func (r *rig) drain(t *testing.T, step time.Duration) {
	t.Helper()
	for range 50 {
		if _, err := r.worker.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
		if depth, _, _ := r.ob.Stats(context.Background()); depth == 0 {
			return
		}
		r.clock.Advance(step)
	}
	t.Fatal("outbox not drained after 50 passes")
}

func app(user, text string) *zsbot.Outgoing {
	return &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{user}, Format: zsbot.FormatText, Text: text}
}

func robotMsg(key, format, text string, mentions ...string) *zsbot.Outgoing {
	return &zsbot.Outgoing{Channel: zsbot.ChannelRobot, To: []string{key}, Format: format, Text: text, Mentions: mentions}
}

// contents returns the texts the fake accepted for path, in order.
func contents(f *wecomtest.Server, path string) []string {
	var out []string
	for _, r := range f.Sent() {
		if r.Path != path {
			continue
		}
		for _, k := range []string{"text", "markdown"} {
			if m, ok := r.Body[k].(map[string]any); ok {
				out = append(out, m["content"].(string))
			}
		}
	}
	return out
}

func TestOutboxRecovers(t *testing.T) {
	for name, fault := range map[string]wecomtest.Fault{
		"Errcode-1": {Errcode: -1},
		"HTTP502":   {Status: 502},
		"Hang":      {Hang: true},
	} {
		t.Run(name, func(t *testing.T) {
			r := newRig(t, bot.WorkerOptions{BackoffBase: time.Second, BackoffMax: 4 * time.Second}, bot.SenderOptions{HTTPTimeout: 200 * time.Millisecond})
			var want []string
			for i := range 5 {
				want = append(want, fmt.Sprintf("通知 %d", i))
				r.enqueue(t, app("zhangsan", want[i]))
			}
			r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatText, "群通知"))
			r.fake.Inject("", 4, fault)
			r.drain(t, 5*time.Second)
			if got := contents(r.fake, wecomtest.PathMessage); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("delivered %q, want each once in order %q", got, want)
			}
			if got := contents(r.fake, wecomtest.PathWebhook); len(got) != 1 {
				t.Fatalf("robot got %q", got)
			}
			// A timed-out send that WeCom did accept is retried: WeCom's
			// duplicate check keeps the retry from showing twice.
			for _, q := range r.fake.Requests() {
				if q.Path == wecomtest.PathMessage && (q.Body["enable_duplicate_check"] != 1.0 || q.Body["duplicate_check_interval"] != 1800.0) {
					t.Fatalf("app message without WeCom's duplicate check: %v", q.Body)
				}
			}
		})
	}
}

func TestRobotRateLimit(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{RobotLimit: 3}, bot.SenderOptions{})
	for i := range 5 {
		r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatMarkdown, fmt.Sprintf("**第%d条**", i)))
	}
	for range 3 { // passes within the same 60 seconds
		if _, err := r.worker.Pass(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(r.fake.Sent()); n != 3 {
		t.Fatalf("%d sent within the minute, want 3", n)
	}
	r.clock.Advance(59 * time.Second)
	if _, err := r.worker.Pass(context.Background()); err != nil || len(r.fake.Sent()) != 3 {
		t.Fatalf("after 59 s: %d sent (%v), want still 3", len(r.fake.Sent()), err)
	}
	r.clock.Advance(time.Second)
	if _, err := r.worker.Pass(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := contents(r.fake, wecomtest.PathWebhook)
	if len(got) != 5 || got[3] != "**第3条**" || got[4] != "**第4条**" {
		t.Fatalf("after a minute: %q", got)
	}
}

func TestRateLimitErrcodeWaits(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{RateWait: time.Minute}, bot.SenderOptions{})
	r.enqueue(t, robotMsg(testRobotKey, zsbot.FormatText, "一"), robotMsg(testRobotKey, zsbot.FormatText, "二"))
	r.fake.Inject(wecomtest.PathWebhook, 1, wecomtest.Fault{Errcode: 45009})
	r.worker.Pass(context.Background())
	r.clock.Advance(59 * time.Second)
	r.worker.Pass(context.Background())
	if n := len(r.fake.Requests()); n != 1 {
		t.Fatalf("%d calls before the wait is over, want 1", n)
	}
	r.drain(t, time.Second)
	if got := contents(r.fake, wecomtest.PathWebhook); strings.Join(got, "") != "一二" {
		t.Fatalf("delivered %q", got)
	}
}

func TestTokenExpiry(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	r.enqueue(t, app("zhangsan", "一"))
	r.drain(t, time.Second)
	r.fake.ExpireToken()
	r.enqueue(t, app("zhangsan", "二"))
	if n, err := r.worker.Pass(context.Background()); err != nil || n != 1 {
		t.Fatalf("Pass = %d, %v; want the message sent in the same pass", n, err)
	}
	var codes []int
	for _, q := range r.fake.Requests() {
		codes = append(codes, q.Errcode)
	}
	if r.fake.TokenFetches() != 2 || fmt.Sprint(codes) != "[0 0 42001 0 0]" {
		t.Fatalf("token fetches %d, answers %v; want 2 and [0 0 42001 0 0]", r.fake.TokenFetches(), codes)
	}
}

func TestConfigError(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	r.enqueue(t, app("zhangsan", "一"), app("zhangsan", "二"))
	r.fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Errcode: 60020})
	for range 3 {
		r.worker.Pass(context.Background())
		r.clock.Advance(time.Hour)
	}
	if n := len(r.fake.Requests()); n != 2 { // gettoken, message/send: nothing retried
		t.Fatalf("%d calls, want 2: %+v", n, r.fake.Requests())
	}
	if bad := r.sender.Misconfigured(); !strings.Contains(bad["app"], "60020") {
		t.Fatalf("Misconfigured = %v", bad)
	}
	if depth, _, _ := r.ob.Stats(context.Background()); depth != 2 {
		t.Fatalf("depth %d, want both held", depth)
	}
	// Run (at the next start) releases held messages: both go now, in order.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.worker.Run(ctx) }()
	r.fake.WaitSent(t, 2, 10*time.Second)
	cancel()
	<-done
	if got := contents(r.fake, wecomtest.PathMessage); strings.Join(got, "") != "一二" {
		t.Fatalf("delivered %q", got)
	}
	if bad := r.sender.Misconfigured(); bad["app"] != "" {
		t.Fatalf("after restart Misconfigured = %v", bad)
	}
}
