package redistest

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"
)

// MemoryArgs are the redis-server arguments of a server that refuses writes
// once its data passes limit (for example "4mb"), as production's
// noeviction policy does: pass them to Start.
func MemoryArgs(limit string) []string {
	return []string{"--maxmemory", limit, "--maxmemory-policy", "noeviction"}
}

// FillPrefix starts the names of the keys Fill writes.
const FillPrefix = "redistest:filler:"

// Fill writes 64 KiB keys named FillPrefix+N to a server started with
// MemoryArgs until it refuses a write with OOM, and returns how many it
// wrote. Unfill deletes them, and the server takes writes again.
func (s *Server) Fill(tb testing.TB) int {
	tb.Helper()
	rdb := s.Client(tb)
	ctx := context.Background()
	value := strings.Repeat("x", 64<<10)
	for n := 0; n < 1<<14; n++ {
		err := rdb.Set(ctx, FillPrefix+strconv.Itoa(n), value, 0).Err()
		if err != nil && strings.HasPrefix(err.Error(), "OOM ") {
			return n
		} else if err != nil {
			tb.Fatalf("redistest: fill: %v", err)
		}
	}
	tb.Fatal("redistest: fill: 1 GiB written and no OOM: was the server started with MemoryArgs?")
	return 0
}

// Unfill deletes the keys Fill wrote.
func (s *Server) Unfill(tb testing.TB) {
	tb.Helper()
	rdb := s.Client(tb)
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, FillPrefix+"*").Result()
	if err == nil && len(keys) > 0 {
		err = rdb.Del(ctx, keys...).Err()
	}
	if err != nil {
		tb.Fatalf("redistest: unfill: %v", err)
	}
}

// Snapshot returns every key matching pattern with its value (DUMP), in
// order and without TTLs: two snapshots are equal when no such key was
// written between them.
func Snapshot(tb testing.TB, rdb redis.UniversalClient, pattern string) string {
	tb.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, pattern).Result()
	if err != nil {
		tb.Fatalf("redistest: snapshot: %v", err)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		v, err := rdb.Dump(ctx, k).Result()
		if err != nil {
			tb.Fatalf("redistest: snapshot %s: %v", k, err)
		}
		fmt.Fprintf(&b, "%s %x\n", k, v)
	}
	return b.String()
}
