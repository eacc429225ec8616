package redistest

import (
	"context"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"
)

// Snapshot returns the DUMP of every key of a standalone server, with
// whether the key has a TTL: two snapshots are equal when the server holds
// the same keys, byte for byte.
func Snapshot(tb testing.TB, rdb redis.UniversalClient) map[string]string {
	tb.Helper()
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		tb.Fatal(err)
	}
	out := make(map[string]string, len(keys))
	for _, k := range keys {
		d, err := rdb.Dump(ctx, k).Result()
		if err != nil {
			tb.Fatalf("dump %s: %v", k, err)
		}
		out[k] = fmt.Sprintf("ttl:%t %q", rdb.PTTL(ctx, k).Val() > 0, d)
	}
	return out
}
