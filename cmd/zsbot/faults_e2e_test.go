package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"zsbot/bot"
	"zsbot/cmd/zsbench/loadgen"
	"zsbot/storage"
)

// runLoad runs the load generator with c against s and calls during once
// the timed run has begun (after the setup); it returns the result and the
// acks of the run.
func (r *rig) runLoad(t *testing.T, s *serveProc, c loadgen.Config, during func()) (*loadgen.Result, []byte) {
	t.Helper()
	c = r.load(s, c)
	acks := &syncBuffer{}
	c.Acks = acks
	started := make(chan struct{})
	c.Log = &watch{prefix: "run: ", hit: started}
	type outcome struct {
		res *loadgen.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := loadgen.Run(context.Background(), c)
		done <- outcome{res, err}
	}()
	select {
	case <-started:
		during()
	case o := <-done:
		t.Fatalf("the load ended before its run: %v", o.err)
	}
	o := <-done
	if o.err != nil {
		t.Fatalf("load: %v", o.err)
	}
	var out bytes.Buffer
	o.res.Run.Format(&out)
	t.Log(out.String())
	return o.res, acks.Bytes()
}

// watch closes hit the first time a line written to it starts with prefix.
type watch struct {
	prefix string
	hit    chan struct{}
	once   sync.Once
}

func (w *watch) Write(p []byte) (int, error) {
	for _, line := range strings.Split(string(p), "\n") {
		if strings.HasPrefix(line, w.prefix) {
			w.once.Do(func() { close(w.hit) })
		}
	}
	return len(p), nil
}

// faultLoad is the load of the fault tests: a few officers, WeCom's retries
// (sooner than WeCom's 5 s, to keep the tests short).
func faultLoad(d time.Duration) loadgen.Config {
	return loadgen.Config{Officers: 12, Projects: 4, Duration: d, Rate: 150, Workers: 24, Tag: "7",
		Retries: 40, RetryDelay: 250 * time.Millisecond, Timeout: 5 * time.Second}
}

// TestKillServeUnderLoad kills `zsbot serve` with SIGKILL in the middle of
// the load and starts it again on the same address: every command that
// got a 200 with a reply before or after is in Redis, exactly once; and
// every message ends answered with its reply — one the killed process had
// claimed and not finished is taken over by WeCom's retry and run by the
// new process, not answered with an empty 200.
func TestKillServeUnderLoad(t *testing.T) {
	r := newRig(t, []string{"--appendonly", "yes"})
	s := r.serve(t, "")
	res, acks := r.runLoad(t, s, faultLoad(4*time.Second), func() {
		time.Sleep(time.Second)
		s.kill()
		time.Sleep(300 * time.Millisecond)
		s = r.serve(t, s.addr)
	})
	if res.Run.Retried == 0 {
		t.Error("no message needed a retry: the kill did not happen under load")
	}
	if n := res.Run.ErrorCount(); n > 0 {
		t.Errorf("%d messages failed for good despite the retries", n)
	}
	if n := res.Run.Outcomes[loadgen.OutEmpty]; n > 0 {
		t.Errorf("%d messages ended with an empty 200, not their reply: a claim of the killed process was not taken over", n)
	}
	t.Logf("claims of the killed process taken over: %d", strings.Count(s.logs.String(), "took over the claim"))
	r.verify(t, acks)
}

// TestKillServeMidCommand kills `zsbot serve` while a command is claimed
// and not committed — its commit held back by CLIENT PAUSE WRITE and the
// process stopped the moment the claim's script ran — starts it again on
// its address, and sends WeCom's retry: the new process takes the claim
// over and runs the command, once, with a passive reply.
func TestKillServeMidCommand(t *testing.T) {
	r := newRig(t, nil)
	var s *serveProc
	var msgID, text string
	for attempt := 1; ; attempt++ {
		addr := ""
		if s != nil {
			addr = s.addr
		}
		s = r.serve(t, addr)
		msgID = fmt.Sprintf("77%017d", attempt)
		text = fmt.Sprintf("新项目 熔断%d号基地 企业:熔断科技%d 10亿", attempt, attempt)
		if r.killMidCommand(t, s, msgID, text) {
			break
		}
		if attempt == 10 {
			t.Fatal("in 10 attempts the commit always ran before the process stopped")
		}
		t.Logf("attempt %d: the command committed before the process stopped; again", attempt)
	}
	ctx := context.Background()
	d, err := r.db.GetDelivery(ctx, bot.MessageDelivery(e2eAdmin, msgID))
	if err != nil || d.Done || d.Inst == "" || d.Wrote != 0 {
		t.Fatalf("after the kill the claim is %+v, %v; want pending, naming the killed instance", d, err)
	}
	s = r.serve(t, s.addr) // a restart in place: the same instance name
	code, reply := post(t, s, e2eClient().Text(e2eAdmin, text, msgID, time.Now()))
	if code != http.StatusOK || !strings.HasPrefix(reply, "已") {
		t.Fatalf("WeCom's retry after the restart = %d %q; want the command's reply\n%s", code, reply, s.logs)
	}
	if !s.logs.waitFor("took over the claim", 5*time.Second) {
		t.Errorf("the new process did not log the takeover:\n%s", s.logs)
	}
	if code, again := post(t, s, e2eClient().Text(e2eAdmin, text, msgID, time.Now())); code != http.StatusOK || again != reply {
		t.Errorf("a later retry = %d %q, want the same reply %q", code, again, reply)
	}
	audited, err := r.db.AuditedDeliveries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := audited[bot.MessageDelivery(e2eAdmin, msgID)]; n != 1 {
		t.Fatalf("the command was written %d times, want once", n)
	}
}

// TestRetryTakesOverWhileWaiting: two instances; A is killed mid-command,
// WeCom's retry reaches B, which finds A's claim still live (A's entry
// has not expired) and waits for its reply; meanwhile A starts again in
// place. At the end of its wait B claims once more, takes the claim over
// and runs the command, once; its reply, the deadline being past, is
// queued as an app message.
func TestRetryTakesOverWhileWaiting(t *testing.T) {
	r := newRig(t, nil, "ZSBOT_REPLY_TIMEOUT=1500ms")
	a, b := r.serve(t, ""), r.serve(t, "")
	msgID, text := "7800000000000000001", "新项目 等候接管基地 企业:等候科技 10亿"
	for attempt := 1; !r.killMidCommand(t, a, msgID, text); attempt++ {
		if attempt == 10 {
			t.Fatal("in 10 attempts the commit always ran before the process stopped")
		}
		a = r.serve(t, a.addr)
		// A new message: the one before was committed, so its project exists.
		msgID = fmt.Sprintf("78%017d", attempt+1)
		text = fmt.Sprintf("新项目 等候接管基地%d 企业:等候科技 10亿", attempt+1)
	}
	type answer struct {
		code  int
		reply string
	}
	answered := make(chan answer, 1)
	go func() {
		code, reply := post(t, b, e2eClient().Text(e2eAdmin, text, msgID, time.Now()))
		answered <- answer{code, reply}
	}()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(metrics(t, b), "zsbot_callback_duplicates_total 1"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("B never saw the retry as a duplicate")
		}
	}
	r.serve(t, a.addr) // A again, in place: the claim's incarnation is dead
	if got := <-answered; got.code != http.StatusOK || got.reply != "" {
		t.Fatalf("B answered %d %q; want 200 empty, the reply going by app message", got.code, got.reply)
	}
	if !b.logs.waitFor("took over the claim", 5*time.Second) {
		t.Errorf("B did not log the takeover:\n%s", b.logs)
	}
	if m := metrics(t, b); !strings.Contains(m, "zsbot_callback_takeovers_total 1") {
		t.Errorf("B's metrics do not count the takeover")
	}
	// The reply was queued in the outbox with the commit (sent once the
	// outbox lock the killed A may hold expires).
	var d *storage.Delivery
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		var err error
		if d, err = r.db.GetDelivery(context.Background(), bot.MessageDelivery(e2eAdmin, msgID)); err == nil && d.Done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command did not finish: %+v, %v", d, err)
		}
	}
	if d.Passive || !strings.HasPrefix(d.Reply, "已") {
		t.Fatalf("record %+v; want the command's reply, sent by app message", d)
	}
	audited, err := r.db.AuditedDeliveries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if n := audited[bot.MessageDelivery(e2eAdmin, msgID)]; n != 1 {
		t.Fatalf("the command was written %d times, want once", n)
	}
}

// metrics returns s's /metrics.
func metrics(t *testing.T, s *serveProc) string {
	t.Helper()
	resp, err := http.Get("http://" + s.admin + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return b.String()
}

// killMidCommand posts text as message msgID to s and kills s with
// SIGKILL right after its claim script ran: the moment MONITOR shows the
// claim, writes are paused (the commit waits) and s is stopped. It
// reports whether the claim was left pending — false when the command
// committed first.
func (r *rig) killMidCommand(t *testing.T, s *serveProc, msgID, text string) bool {
	t.Helper()
	mon := redisConn(t, r.redis.Addr)
	monitor := bufio.NewReader(mon)
	pauser := redisConn(t, r.redis.Addr)
	pause := bufio.NewReader(pauser)
	if _, err := mon.Write([]byte("MONITOR\r\n")); err != nil {
		t.Fatal(err)
	}
	if line, err := monitor.ReadString('\n'); err != nil || line != "+OK\r\n" {
		t.Fatalf("MONITOR: %q, %v", line, err)
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		req, err := e2eClient().Post("http://"+s.addr+"/wecom/callback", e2eClient().Text(e2eAdmin, text, msgID, time.Now()), time.Now(), "42")
		if err != nil {
			t.Error(err)
			return
		}
		if resp, err := (&http.Client{Timeout: 20 * time.Second}).Do(req); err == nil {
			resp.Body.Close() // the command finished first
		}
	}()
	claim := `"SET" "zs:{e2e}:dlv:` + bot.MessageDelivery(e2eAdmin, msgID) + `"`
	mon.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		line, err := monitor.ReadString('\n')
		if err != nil {
			t.Fatalf("MONITOR never showed the claim of %s: %v", msgID, err)
		}
		if strings.Contains(line, claim) && strings.Contains(line, `"NX"`) {
			break
		}
	}
	if _, err := pauser.Write([]byte("CLIENT PAUSE 20000 WRITE\r\n")); err != nil {
		t.Fatal(err)
	}
	s.cmd.Process.Signal(syscall.SIGSTOP)
	if line, err := pause.ReadString('\n'); err != nil || line != "+OK\r\n" {
		t.Fatalf("CLIENT PAUSE: %q, %v", line, err)
	}
	s.kill()
	if _, err := pauser.Write([]byte("CLIENT UNPAUSE\r\n")); err != nil {
		t.Fatal(err)
	}
	if line, err := pause.ReadString('\n'); err != nil || line != "+OK\r\n" {
		t.Fatalf("CLIENT UNPAUSE: %q, %v", line, err)
	}
	<-sent
	d, err := r.db.GetDelivery(context.Background(), bot.MessageDelivery(e2eAdmin, msgID))
	return err == nil && !d.Done
}

// redisConn is a raw connection to the Redis at addr, closed when the
// test ends.
func redisConn(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRedisRestartUnderLoad kills redis-server (append-only) in the middle
// of the load and starts it again: requests in the outage get 503, WeCom's
// retries then go through, the bot recovers by itself, and every
// acknowledged command is stored once.
func TestRedisRestartUnderLoad(t *testing.T) {
	r := newRig(t, []string{"--appendonly", "yes", "--appendfsync", "always"})
	s := r.serve(t, "")
	res, acks := r.runLoad(t, s, faultLoad(6*time.Second), func() {
		time.Sleep(time.Second)
		r.redis.Kill()
		time.Sleep(3 * time.Second) // longer than go-redis's own retries
		r.redis.Restart(t)
	})
	if res.Run.Retried503 == 0 {
		t.Errorf("no 503 during the outage: %v", res.Run.Outcomes)
	}
	if n := res.Run.ErrorCount(); n > 0 {
		t.Errorf("%d messages failed for good despite the retries: %v", n, res.Run.Errors)
	}
	// Recovered: a fresh load runs clean, with no retry.
	after, more := r.runLoad(t, s, loadgen.Config{Officers: 4, Projects: 2, Duration: time.Second, Rate: 100, Workers: 8, Tag: "8"}, func() {})
	if after.Run.ErrorCount() != 0 || after.Run.Retried != 0 || after.Run.Outcomes[loadgen.OutReply] == 0 {
		t.Errorf("after the restart: %v, %d retried", after.Run.Outcomes, after.Run.Retried)
	}
	r.verify(t, append(acks, more...))
}
