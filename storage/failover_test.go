package storage_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestSentinelFailover kills the master under two trickles of writes (one
// Apply every 50 ms each): bureau "async" on a plain client, bureau "wait"
// on a client with WaitReplicas 1 (WAIT after each script). Both clients,
// unchanged, must find the promoted replica and go on writing. The test
// measures what was lost: writes acknowledged before the crash that the
// new master lacks. In "cut-off" the replica stops receiving (hung, its
// link killed) for the last writes before the crash, which is what
// asynchronous replication loses; WAIT must have reported every lost write.
func TestSentinelFailover(t *testing.T) {
	t.Parallel()
	for _, cut := range []bool{false, true} {
		name := map[bool]string{false: "crash", true: "cut-off"}[cut]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testFailover(t, cut)
		})
	}
}

func testFailover(t *testing.T, cut bool) {
	ctx := context.Background()
	s := redistest.StartSentinel(t)
	var killed atomic.Bool
	plain := startTrickle(t, s.URL(), "async", storage.DialOptions{}, &killed)
	waiting := startTrickle(t, s.URL(), "wait", storage.DialOptions{WaitReplicas: 1, WaitTimeout: 100 * time.Millisecond}, &killed)
	both := func(n int, after bool) func() bool {
		return func() bool { return plain.acked(after) >= n && waiting.acked(after) >= n }
	}
	waitUntil(t, 10*time.Second, "10 writes each before the crash", both(10, false))
	if cut {
		// The replica hangs and loses its link; the next writes reach only the master.
		s.Replica.Pause()
		if err := s.Master.Client(t).ClientKillByFilter(ctx, "TYPE", "replica").Err(); err != nil {
			t.Fatal(err)
		}
		n := min(plain.acked(false), waiting.acked(false))
		waitUntil(t, 10*time.Second, "4 writes each while the replica is cut off", both(n+4, false))
	}
	oldMaster := s.Master.Addr
	s.KillMaster()
	killed.Store(true)
	crash := time.Now()
	if cut {
		s.Replica.Resume()
	}
	waitUntil(t, 20*time.Second, "writes acknowledged after the crash", both(1, true))
	t.Logf("both clients wrote again %.1fs after the crash", time.Since(crash).Seconds())
	waitUntil(t, 10*time.Second, "5 more writes each after the failover", both(5, true))
	plain.halt()
	waiting.halt()
	if now, err := s.MasterAddr(ctx); err != nil || now == oldMaster || now != s.Replica.Addr {
		t.Fatalf("the sentinel names %s (%v) as master; want the replica %s", now, err, s.Replica.Addr)
	}
	plain.check(t)
	if lostUnreported := waiting.check(t); lostUnreported > 0 {
		t.Errorf("%d acknowledged writes were lost although WAIT had reported them replicated", lostUnreported)
	}
}

// trickle is one writer applying a new project every 50 ms, as one busy
// officer would, and remembering how each write went.
type trickle struct {
	db     *storage.DB
	short  atomic.Bool // WAIT reported the current write short
	killed *atomic.Bool
	halt   func()

	mu     sync.Mutex
	writes []write
}

// write is the outcome of one Apply of a trickle.
type write struct {
	id           string
	acked        bool // Apply returned no error
	unreplicated bool // WAIT reported fewer replicas than asked
	afterKill    bool // started after the master was killed
}

func startTrickle(t *testing.T, url, bureau string, o storage.DialOptions, killed *atomic.Bool) *trickle {
	tr := &trickle{killed: killed}
	o.OnWaitShort = func(acked, want int) { tr.short.Store(true) }
	tr.db = dialWith(t, url, bureau, o)
	stop, done := make(chan struct{}), make(chan struct{})
	tr.halt = sync.OnceFunc(func() { close(stop); <-done })
	t.Cleanup(tr.halt)
	go func() {
		defer close(done)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			w := write{id: fmt.Sprintf("P%d", i), afterKill: killed.Load()}
			tr.short.Store(false)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			_, err := tr.db.Apply(ctx, newChange(w.id))
			cancel()
			w.acked, w.unreplicated = err == nil, tr.short.Load()
			tr.mu.Lock()
			tr.writes = append(tr.writes, w)
			tr.mu.Unlock()
		}
	}()
	return tr
}

// acked counts the acknowledged writes so far (only those started after
// the kill, if after).
func (tr *trickle) acked(after bool) int {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	n := 0
	for _, w := range tr.writes {
		if w.acked && (w.afterKill || !after) {
			n++
		}
	}
	return n
}

// check reads every write back from the new master, fails t if a write
// acknowledged after the failover is missing, logs what was lost before
// it, and returns how many lost writes WAIT had not reported.
func (tr *trickle) check(t *testing.T) (lostUnreported int) {
	t.Helper()
	var ackedBefore, lost, failed, failedButWritten int
	for _, w := range tr.writes {
		_, err := tr.db.Project(context.Background(), w.id)
		if err != nil && zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Fatalf("read %s after the failover: %v", w.id, err)
		}
		present := err == nil
		switch {
		case w.acked && w.afterKill && !present:
			t.Errorf("%s: %s was acknowledged by the new master but cannot be read", tr.db.Bureau(), w.id)
		case w.acked && !present:
			lost++
			if !w.unreplicated {
				lostUnreported++
			}
		case !w.acked && present:
			failedButWritten++
		}
		if !w.acked {
			failed++
		} else if !w.afterKill {
			ackedBefore++
		}
	}
	t.Logf("%s: %d writes acknowledged before the crash, %d of them lost (%d without a WAIT report); "+
		"%d writes failed during the failover (%d of those were written anyway)",
		tr.db.Bureau(), ackedBefore, lost, lostUnreported, failed, failedButWritten)
	return lostUnreported
}

// waitUntil polls cond every 10 ms and fails the test if it does not hold
// within limit.
func waitUntil(tb testing.TB, limit time.Duration, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("no %s within %v", what, limit)
		}
	}
}
