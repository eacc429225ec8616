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
// MemoryArgs until its data is half as large again as its limit, with the
// limit lifted meanwhile, and checks that it then refuses a write with OOM.
// Being well over the limit, it keeps refusing writes when a little memory
// is freed (a key expires, a buffer shrinks), as it would not if it had
// stopped at the first refusal. Unfill deletes the keys, and the server
// takes writes again. It returns how many keys it wrote.
func (s *Server) Fill(tb testing.TB) int {
	tb.Helper()
	rdb := s.Client(tb)
	ctx := context.Background()
	cfg, err := rdb.ConfigGet(ctx, "maxmemory").Result()
	limit, _ := strconv.ParseInt(cfg["maxmemory"], 10, 64)
	if err != nil || limit == 0 {
		tb.Fatalf("redistest: fill: maxmemory %q, %v: start the server with MemoryArgs", cfg["maxmemory"], err)
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
		tb.Fatalf("redistest: fill: %v", err)
	}
	value := strings.Repeat("x", 64<<10)
	n := 0
	for ; usedMemory(tb, rdb) < limit*3/2; n++ {
		if err := rdb.Set(ctx, FillPrefix+strconv.Itoa(n), value, 0).Err(); err != nil {
			tb.Fatalf("redistest: fill: %v", err)
		}
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", strconv.FormatInt(limit, 10)).Err(); err != nil {
		tb.Fatalf("redistest: fill: %v", err)
	}
	if err := rdb.Set(ctx, FillPrefix+"check", "x", 0).Err(); err == nil || !strings.HasPrefix(err.Error(), "OOM ") {
		tb.Fatalf("redistest: fill: a write after %d keys: %v, want OOM", n, err)
	}
	return n
}

// usedMemory returns the server's used_memory.
func usedMemory(tb testing.TB, rdb *redis.Client) int64 {
	tb.Helper()
	info, err := rdb.Info(context.Background(), "memory").Result()
	if err != nil {
		tb.Fatalf("redistest: info memory: %v", err)
	}
	_, rest, _ := strings.Cut(info, "used_memory:")
	line, _, _ := strings.Cut(rest, "\r\n")
	n, err := strconv.ParseInt(line, 10, 64)
	if err != nil {
		tb.Fatalf("redistest: used_memory %q: %v", line, err)
	}
	return n
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

// Snapshot returns every key matching pattern with its value (DUMP) and
// whether it has a TTL, one line a key, in order: two snapshots are equal
// when the server holds the same such keys, byte for byte.
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
		fmt.Fprintf(&b, "%s ttl:%t %x\n", k, rdb.PTTL(ctx, k).Val() > 0, v)
	}
	return b.String()
}
