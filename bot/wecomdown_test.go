package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/bot/wecomtest"
	"zsbot/config"
	"zsbot/handlers"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// overrun is the real handlers with every command held until WeCom's
// request for it has been answered: each command overruns the reply
// deadline, so each reply goes by app message through the outbox — without
// depending on how fast the machine is.
type overrun struct {
	mux   *handlers.Mux
	mu    sync.Mutex
	gates map[string]chan struct{} // by MsgId, closed once the request was answered
}

func (o *overrun) gate(msgID string) chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	g := o.gates[msgID]
	if g == nil {
		g = make(chan struct{})
		o.gates[msgID] = g
	}
	return g
}

func (o *overrun) Respond(ctx context.Context, tx zsbot.Tx, m *zsbot.Message) (string, error) {
	select {
	case <-o.gate(m.ID):
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return o.mux.Respond(ctx, tx, m)
}

// Plan keeps the claim's ID reservation and read-ahead of the real path.
func (o *overrun) Plan(text string) zsbot.Plan { return o.mux.Plan(text) }

// downRig is `zsbot serve` (callback, real handlers, outbox worker, sender)
// over a real redis-server and a fake WeCom.
type downRig struct {
	db     *storage.DB
	fake   *wecomtest.Server
	client *wecompeer.Client
	resp   *overrun
	url    string
	logs   *syncBuffer
	http   *http.Client
}

// downHTTPTimeout bounds each WeCom API call of the sender; the hang lasts
// several of them.
const downHTTPTimeout = time.Second

func newDownRig(t *testing.T, officers []string) *downRig {
	t.Helper()
	rs := redistest.Start(t)
	r := &downRig{logs: &syncBuffer{}, http: &http.Client{Timeout: 30 * time.Second}}
	r.db = storage.New(rs.Client(t), "test")
	r.fake = wecomtest.NewServer(t, vectorA.receiveID, testSecret)
	cfg, err := config.Load(vars(r.fake.URL, rs.URL()))
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	r.resp = &overrun{gates: map[string]chan struct{}{}, mux: handlers.New(handlers.Config{
		Admins: officers, Loc: time.UTC, Log: log})}
	srv, err := bot.NewServer(cfg, r.db, r.resp, bot.Options{
		Logger: log,
		Callback: bot.CallbackOptions{
			ReplyTimeout: 10 * time.Millisecond, // the request answers 200 empty at once…
			ClaimTimeout: 10 * time.Second,      // … but never 503 because the machine is slow
		},
		Sender: bot.SenderOptions{HTTPTimeout: downHTTPTimeout},
		Worker: bot.WorkerOptions{Poll: 10 * time.Millisecond, BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.url = "http://" + ln.Addr().String() + cfg.CallbackPath
	r.client = &wecompeer.Client{Token: vectorA.token, AESKey: vectorA.aesKey, CorpID: vectorA.receiveID, AgentID: "218"}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, bot.Listeners{Public: ln}) }()
	t.Cleanup(func() {
		// A connection the client dialled but never used would hold up the
		// server's Shutdown for 5 s (it counts as new, not idle).
		r.http.CloseIdleConnections()
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if logs := r.logs.String(); strings.Contains(logs, testSecret) || strings.Contains(logs, "tok-") {
			t.Errorf("a log line holds a secret:\n%s", logs)
		}
	})
	return r
}

// post delivers one text message as WeCom does, retrying (same MsgId) on a
// 503 or a failed connection, and returns once it is answered 200. The
// answer must be empty: the reply goes by app message. Then it lets the
// command run.
func (r *downRig) post(user, text, msgID string) error {
	var last string
	for range 40 {
		req, err := r.client.Post(r.url, r.client.Text(user, text, msgID, time.Now()), time.Now(), msgID[len(msgID)-6:])
		if err != nil {
			return err
		}
		resp, err := r.http.Do(req)
		if err != nil {
			last = err.Error()
			time.Sleep(100 * time.Millisecond)
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusServiceUnavailable:
			last = "503 " + string(body)
			time.Sleep(100 * time.Millisecond)
			continue
		case resp.StatusCode != http.StatusOK:
			return fmt.Errorf("message %s: status %d %q", msgID, resp.StatusCode, body)
		case len(body) != 0:
			return fmt.Errorf("message %s: answered passively (%d bytes), want 200 empty and the reply by app message", msgID, len(body))
		}
		close(r.resp.gate(msgID))
		return nil
	}
	return fmt.Errorf("message %s: not accepted after 40 tries, last: %s", msgID, last)
}

// sentMsg is one message/send the fake accepted.
type sentMsg struct{ to, content string }

// appSends returns the app messages the fake accepted, in order.
func (r *downRig) appSends() []sentMsg {
	var out []sentMsg
	for _, q := range r.fake.Sent() {
		if q.Path != wecomtest.PathMessage {
			continue
		}
		to, _ := q.Body["touser"].(string)
		text, _ := q.Body["text"].(map[string]any)
		content, _ := text["content"].(string)
		out = append(out, sentMsg{to, content})
	}
	return out
}

// appFailures returns how many message/send calls failed by HTTP status or
// hang (the fake records both as -2).
func (r *downRig) appFailures() int {
	n := 0
	for _, q := range r.fake.Requests() {
		if q.Path == wecomtest.PathMessage && q.Errcode == -2 {
			n++
		}
	}
	return n
}

// waitUntil polls cond until it holds, failing the test with what and
// diag() after timeout. The deadlines are generous: the test must not
// depend on the machine's speed.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool, diag func() string) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s\n%s", timeout, what, diag())
		}
	}
}

// TestWeComDownUnderLoad: 200 commands through the real callback path,
// their replies by app message, while WeCom's API answers 503 for a while
// and then hangs (each call until the sender's HTTP timeout), then
// recovers. After the recovery every reply queued is delivered exactly once,
// to its sender, and the outbox is empty.
func TestWeComDownUnderLoad(t *testing.T) {
	const (
		nOfficers = 12
		perStage  = 50 // before, during 503, during the hang, after: 200 in all
	)
	officers := make([]string, nOfficers)
	for i := range officers {
		officers[i] = fmt.Sprintf("wd%02d", i)
	}
	r := newDownRig(t, officers)
	start := time.Now()

	type msg struct{ from, text, id string }
	var all []msg
	// stage sends the next perStage messages, the officers at once, each
	// officer's one after another; each visits a company of its own (a new
	// one, so its reply, which names the record, is the message's own).
	stage := func(name string) {
		t.Helper()
		var msgs []msg
		for range perStage {
			n := len(all) + len(msgs)
			msgs = append(msgs, msg{
				from: officers[n%nOfficers],
				text: fmt.Sprintf("拜访 企业%03d 成都 昨天 洽谈第%03d号项目", n, n),
				id:   strconv.FormatInt(6e18+int64(n), 10),
			})
		}
		var wg sync.WaitGroup
		errs := make(chan error, len(msgs))
		for _, who := range officers {
			wg.Go(func() {
				for _, m := range msgs {
					if m.from == who {
						if err := r.post(m.from, m.text, m.id); err != nil {
							errs <- err
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("stage %s: %v", name, err)
		}
		all = append(all, msgs...)
		t.Logf("%6.2fs stage %s: %d messages answered", time.Since(start).Seconds(), name, len(msgs))
	}
	ob := r.db.Outbox(nil)
	diag := func() string {
		var b strings.Builder
		depth, _, _ := ob.Stats(context.Background())
		fmt.Fprintf(&b, "outbox depth %d, app messages accepted %d, failed %d\n", depth, len(r.appSends()), r.appFailures())
		if items, err := ob.Head(context.Background(), 5); err == nil {
			for _, it := range items {
				fmt.Fprintf(&b, "  queued %d to %v: attempts %d, due %v, part %d, parked %v, last error %q\n",
					it.ID, it.Msg.To, it.Attempts, it.Due.Format(time.StampMilli), it.Part, it.Parked, it.LastError)
			}
		}
		logs := r.logs.String()
		if len(logs) > 4000 {
			logs = "…" + logs[len(logs)-4000:]
		}
		return b.String() + "logs:\n" + logs
	}

	// Before: WeCom up; some replies go out.
	stage("before")
	waitUntil(t, 60*time.Second, "some replies to go out before the outage",
		func() bool { return len(r.appSends()) >= 10 }, diag)

	// WeCom answers 503 while the load goes on; the worker keeps failing.
	r.fake.Down(wecomtest.Fault{Status: http.StatusServiceUnavailable})
	stage("503")
	waitUntil(t, 60*time.Second, "the worker to meet 503s, retrying",
		func() bool { return r.appFailures() >= 60 }, diag)
	failed503 := r.appFailures()
	t.Logf("%6.2fs 503: %d calls failed", time.Since(start).Seconds(), failed503)

	// Then WeCom hangs: each call lasts until the sender's HTTP timeout.
	// The worker sends one call at a time, so a third hung call means the
	// hang has outlasted the timeout at least twice.
	r.fake.Down(wecomtest.Fault{Hang: true})
	stage("hang")
	waitUntil(t, 60*time.Second, "three calls to hang",
		func() bool { return r.appFailures()-failed503 >= 3 }, diag)
	t.Logf("%6.2fs hang: %d calls hung", time.Since(start).Seconds(), r.appFailures()-failed503)
	if sent := len(r.appSends()); sent >= len(all) {
		t.Fatalf("%d of %d replies went out before the recovery: the outage did not hold any back", sent, len(all))
	}

	// WeCom recovers; the load goes on.
	r.fake.Up()
	recovered := time.Now()
	stage("after")

	// Every command has finished (its reply committed to the outbox with
	// its record), and none replied passively.
	want := map[sentMsg]int{}
	waitUntil(t, 60*time.Second, "every command to finish", func() bool {
		clear(want)
		for _, m := range all {
			d, err := r.db.GetDelivery(context.Background(), bot.MessageDelivery(m.from, m.id))
			if err != nil || !d.Done {
				return false
			}
			if d.Passive {
				t.Fatalf("message %s replied passively: %q", m.id, d.Reply)
			}
			if d.Reply == "" {
				t.Fatalf("message %s has no reply", m.id)
			}
			for _, p := range bot.Parts(&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{m.from}, Format: zsbot.FormatText, Text: d.Reply}) {
				want[sentMsg{m.from, p.Text}]++
			}
		}
		return true
	}, diag)
	total := 0
	for _, n := range want {
		total += n
	}

	// Wait until the outbox is empty: every command has committed, so
	// nothing more can be sent (a message leaves the outbox only after WeCom
	// accepted it).
	waitUntil(t, 60*time.Second, "the outbox to empty", func() bool {
		depth, _, err := ob.Stats(context.Background())
		return err == nil && depth == 0
	}, diag)
	t.Logf("%6.2fs outbox empty: %d replies queued (%d distinct), %v after the recovery; %d calls failed in all",
		time.Since(start).Seconds(), total, len(want), time.Since(recovered).Round(time.Millisecond), r.appFailures())

	got := map[sentMsg]int{}
	sends := r.appSends()
	t.Logf("the last reply: to %s %q", sends[len(sends)-1].to, sends[len(sends)-1].content)
	for _, s := range sends {
		got[s]++
	}
	var bad []string
	for k, n := range want {
		if got[k] != n {
			bad = append(bad, fmt.Sprintf("to %s %q: delivered %d times, want %d", k.to, k.content, got[k], n))
		}
	}
	for k, n := range got {
		if want[k] == 0 {
			bad = append(bad, fmt.Sprintf("to %s %q: delivered %d times, never queued", k.to, k.content, n))
		}
	}
	if len(bad) > 0 || len(sends) != total {
		sort.Strings(bad)
		t.Fatalf("%d app messages accepted, want %d, each once to its sender:\n%s", len(sends), total, strings.Join(bad, "\n"))
	}
	if len(all) != 4*perStage || total < len(all) {
		t.Fatalf("%d messages, %d replies: want %d of each at least", len(all), total, 4*perStage)
	}
	if depth, _, err := ob.Stats(context.Background()); err != nil || depth != 0 {
		t.Fatalf("outbox depth %d (%v), want empty", depth, err)
	}
}
