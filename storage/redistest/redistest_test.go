package redistest_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot/storage/redistest"
)

func TestStartCluster(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := redistest.StartCluster(t, 3)
	cc := c.Client(t)
	// Keys spread over the slots land on every master.
	for i := range 100 {
		if err := cc.Set(ctx, string(rune('a'+i%26))+string(rune('a'+i/26)), i, 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range c.Nodes {
		size, err := n.Client(t).DBSize(ctx).Result()
		if err != nil || size == 0 {
			t.Fatalf("node %s holds %d keys (%v); the slots are not spread", n.Addr, size, err)
		}
	}
}

func TestStartSentinel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := redistest.StartSentinel(t)
	if got, err := s.MasterAddr(ctx); err != nil || got != s.Master.Addr {
		t.Fatalf("master = %q, %v; want %s", got, err, s.Master.Addr)
	}
	s.KillMaster()
	if got := s.WaitFailover(t, s.Master.Addr, 20*time.Second); got != s.Replica.Addr {
		t.Fatalf("new master %s, want the replica %s", got, s.Replica.Addr)
	}
}

func TestPauseResume(t *testing.T) {
	s := redistest.Start(t)
	c := redis.NewClient(&redis.Options{Addr: s.Addr, ReadTimeout: 200 * time.Millisecond, MaxRetries: -1})
	defer c.Close()
	s.Pause()
	if err := c.Ping(context.Background()).Err(); err == nil {
		t.Fatal("a paused server answered")
	}
	s.Resume()
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("after Resume: %v", err)
	}
}
