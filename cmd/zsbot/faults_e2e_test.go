package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot/cmd/zsbot/internal/loadgen"
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
// got a 200 with a reply before or after is in Redis, exactly once.
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
	r.verify(t, acks)
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
