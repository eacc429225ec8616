package storage_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestWaitReplicas checks DialOptions.WaitReplicas on a master with one
// replica: off by default; when on, a record is on the replica the moment
// Apply returns, and a write the replica cannot take in time still
// succeeds but is reported.
func TestWaitReplicas(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	master := redistest.Start(t, "--repl-diskless-sync-delay", "0")
	replica := redistest.StartReplica(t, master)
	mc, rc := master.Client(t), replica.Client(t)

	off := deployment{url: master.URL()}.db(t, "test")
	mustApply(t, off, newChange("P1"))
	if n := calls(t, mc, "wait"); n != 0 {
		t.Fatalf("WAIT sent %d times with WaitReplicas unset", n)
	}

	var shorts, lastAcked atomic.Int64
	waiting := func(timeout time.Duration) *storage.DB {
		return dialWith(t, master.URL(), "test", storage.DialOptions{WaitReplicas: 1, WaitTimeout: timeout,
			OnWaitShort: func(acked, want int) { shorts.Add(1); lastAcked.Store(int64(acked)) }})
	}
	on := waiting(5 * time.Second) // long enough for a loaded test machine
	for _, id := range []string{"P2", "P3", "P4"} {
		mustApply(t, on, newChange(id))
		// No polling: WAIT returned only once the replica had applied it.
		if ok, err := rc.HExists(ctx, "zs:{test}:rec:project", id).Result(); err != nil || !ok {
			t.Fatalf("%s is not on the replica when Apply returns: %v, %v (%d writes reported short)", id, ok, err, shorts.Load())
		}
	}
	if n := calls(t, mc, "wait"); n != 3 || shorts.Load() != 0 {
		t.Fatalf("%d WAITs for 3 writes, %d reported short", n, shorts.Load())
	}

	replica.Pause()
	defer replica.Resume()
	mustApply(t, waiting(100*time.Millisecond), newChange("P5"))
	if shorts.Load() != 1 || lastAcked.Load() != 0 {
		t.Fatalf("write with the replica hung: %d reported short (acked %d); want 1 (0)", shorts.Load(), lastAcked.Load())
	}
	if _, err := on.Project(ctx, "P5"); err != nil {
		t.Fatalf("the unreplicated write is not on the master: %v", err)
	}
}

// TestWaitReplicasCluster checks that on a Cluster WAIT follows each script
// to the master that ran it, the one holding the bureau's slot.
func TestWaitReplicasCluster(t *testing.T) {
	t.Parallel()
	c := borrowCluster(t)
	for _, n := range c.Nodes { // a lent cluster has counted other tests' commands
		if err := n.Client(t).ConfigResetStat(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
	}
	var shorts atomic.Int64
	db := dialWith(t, c.URL(), "test", storage.DialOptions{WaitReplicas: 1, WaitTimeout: 10 * time.Millisecond,
		OnWaitShort: func(acked, want int) { shorts.Add(1) }})
	for _, id := range []string{"P1", "P2"} {
		mustApply(t, db, newChange(id))
	}
	if shorts.Load() != 2 { // a cluster without replicas acknowledges nothing
		t.Fatalf("%d writes reported short, want 2", shorts.Load())
	}
	owner, err := db.Client().(*redis.ClusterClient).MasterForKey(context.Background(), "zs:{test}:rec:project")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range c.Nodes {
		nc := n.Client(t)
		scripts := calls(t, nc, "evalsha") + calls(t, nc, "eval") // a NOSCRIPT retry is a second script
		if n.Addr == owner.Options().Addr && scripts < 2 {
			t.Fatalf("the bureau's master %s ran %d scripts, want at least 2", n.Addr, scripts)
		}
		if got := calls(t, nc, "wait"); got != scripts {
			t.Errorf("node %s ran %d scripts and %d WAITs; want one WAIT per script", n.Addr, scripts, got)
		}
	}
}

// TestSentinelAuth dials sentinels that require a password, given apart
// from the URL (ZSBOT_REDIS_SENTINEL_PASSWORD).
func TestSentinelAuth(t *testing.T) {
	t.Parallel()
	s := redistest.StartSentinel(t, "requirepass s3cret")
	db := dialWith(t, s.URL(), "test", storage.DialOptions{SentinelPassword: "s3cret"})
	mustApply(t, db, newChange("P1"))
	if _, err := db.Project(context.Background(), "P1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := dialWith(t, s.URL(), "test", storage.DialOptions{}).Ping(ctx); err == nil {
		t.Fatal("sentinels requiring a password answered without one")
	}
}

// dialWith dials url with o and returns the store of bureau.
func dialWith(tb testing.TB, url, bureau string, o storage.DialOptions) *storage.DB {
	tb.Helper()
	rdb, err := o.Dial(url)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { rdb.Close() })
	return storage.New(rdb, bureau)
}

func newChange(id string) *zsbot.Change {
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", Raw: "新项目 " + id}}
	c.Add(nil, newProject(id, 20240101))
	return c
}

// calls returns how many times the server has run cmd (lower case).
func calls(tb testing.TB, c *redis.Client, cmd string) int {
	tb.Helper()
	info, err := c.Info(context.Background(), "commandstats").Result()
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(line, "cmdstat_"+cmd+":calls="); ok {
			n := 0
			for _, ch := range rest {
				if ch < '0' || ch > '9' {
					break
				}
				n = n*10 + int(ch-'0')
			}
			return n
		}
	}
	return 0
}
