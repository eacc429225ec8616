package storage_test

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot/storage"
	"zsbot/storage/redistest"
)

// deliveries is how many once-only records TestDeliveryMemoryReturns
// makes: a quick sample in CI; BENCHMARKS.md runs it with a busy month
// (-deliveries=1000000).
var deliveries = flag.Int("deliveries", 10000, "deliveries made by TestDeliveryMemoryReturns")

// usedMemory returns Redis's used_memory in bytes, less the buffers of
// the connected clients (which depend on how many connections the test's
// pool keeps open, not on the data).
func usedMemory(tb testing.TB, rdb *redis.Client) int64 {
	tb.Helper()
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		tb.Fatal(err)
	}
	var used, clients int64 = -1, 0
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			used, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(line, "mem_clients_normal:"); ok {
			clients, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	if used < 0 {
		tb.Fatal("no used_memory in INFO")
	}
	return used - clients
}

// TestDeliveryMemoryReturns makes many deliveries' once-only records, as a
// busy month would (claim, then finish with a reply), with a short TTL,
// and checks that Redis's memory goes back to its baseline once the TTL
// has passed: nothing of a delivery outlives its record.
func TestDeliveryMemoryReturns(t *testing.T) {
	s := redistest.Start(t)
	rdb := s.Client(t)
	db := storage.New(rdb, "mem")
	ctx := context.Background()
	// The first claim sets the directory's version, which stays: it is
	// there before the baseline.
	if u, _, err := db.Begin(ctx, storage.Claim{Delivery: "m:first", TTL: time.Second}); err != nil {
		t.Fatal(err)
	} else if err := u.Release(ctx); err != nil {
		t.Fatal(err)
	}
	kept := rdb.DBSize(ctx).Val()
	base := usedMemory(t, rdb)
	deliver := func(from, to int, ttl time.Duration) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		const workers = 32
		for w := range workers {
			wg.Go(func() {
				for i := from + w; i < to; i += workers {
					id := "m:" + strconv.Itoa(7e18+i)
					u, d, err := db.Begin(ctx, storage.Claim{Delivery: id, TTL: ttl})
					if err != nil || d != nil || u == nil {
						t.Errorf("claim %s: %+v, %v", id, d, err)
						return
					}
					reply := fmt.Sprintf("已记录拜访 A%d：诺比侃，2024年12月16日，成都。", i)
					if err := u.Commit(ctx, storage.Delivery{Reply: reply, Passive: true}, time.Now()); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start)
	}
	// The TTL outlasts the making of all the records (timed on a sample
	// that expires first), so that the peak holds them all, and is short
	// enough to wait out.
	sample := min(*deliveries, 1000)
	took := deliver(0, sample, time.Second)
	for rdb.DBSize(ctx).Val() > kept {
		time.Sleep(100 * time.Millisecond)
	}
	ttl := max(2*time.Second, 2*took*time.Duration(*deliveries)/time.Duration(sample))
	made := deliver(0, *deliveries, ttl)
	peak := usedMemory(t, rdb)
	keys := rdb.DBSize(ctx).Val() - kept
	for deadline := time.Now().Add(ttl + time.Minute); rdb.DBSize(ctx).Val() > kept; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d records still there a minute after their TTL", rdb.DBSize(ctx).Val()-kept, keys)
		}
	}
	// Redis shrinks its emptied hash tables in its periodic task.
	after := usedMemory(t, rdb)
	for deadline := time.Now().Add(10 * time.Second); after > base+(peak-base)/20 && time.Now().Before(deadline); after = usedMemory(t, rdb) {
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("%d deliveries (TTL %v) in %v: used_memory %d → %d bytes at the peak (%d keys, %.0f bytes each), %d once the TTL passed",
		*deliveries, ttl.Round(time.Millisecond), made.Round(time.Millisecond), base, peak, keys, float64(peak-base)/float64(max(keys, 1)), after)
	if keys < int64(*deliveries) {
		t.Errorf("%d records at the peak, for %d deliveries", keys, *deliveries)
	}
	if after > base+(peak-base)/20 {
		t.Errorf("used_memory %d after expiry, baseline %d, peak %d: more than 5%% of the records' memory stayed", after, base, peak)
	}
}
