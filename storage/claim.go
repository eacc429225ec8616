package storage

import (
	"context"
	"time"
)

// Claim takes one occurrence of a scheduled notice (SET NX with a TTL) and
// reports whether this caller got it: of several instances sharing Redis,
// exactly one gets true for each notice and occurrence ("2024-12-16T09:10").
// The TTL must outlast the schedule's period so that a late instance (or a
// restart's catch-up) still sees the claim.
func (db *DB) Claim(ctx context.Context, notice, occurrence string, ttl time.Duration) (bool, error) {
	ok, err := db.rdb.SetNX(ctx, db.k.claim(notice, occurrence), "1", ttl).Result()
	if err != nil {
		return false, wrap("claim "+notice+" "+occurrence, err)
	}
	return ok, nil
}

// Release gives a claim back, so that the occurrence may be sent again
// (after its messages could not be queued).
func (db *DB) Release(ctx context.Context, notice, occurrence string) error {
	if err := db.rdb.Del(ctx, db.k.claim(notice, occurrence)).Err(); err != nil {
		return wrap("release "+notice+" "+occurrence, err)
	}
	return nil
}
