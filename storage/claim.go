package storage

import (
	"context"
	"errors"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// Claim takes one occurrence of a scheduled notice (SET NX with a TTL) and
// reports whether this caller got it: of several instances sharing Redis,
// exactly one gets true for each notice and occurrence ("2024-12-16T09:10").
// The TTL must outlast the schedule's period so that a late instance (or a
// restart's catch-up) still sees the claim. A claim taken alone is lost with
// its messages if the process dies before it queues them; ClaimAndQueue
// takes both in one transaction.
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

// claimAttempts bounds the optimistic attempts of ClaimAndQueue. An
// attempt fails only when the claim changed under it (another caller took
// it, or it was released or expired), and the next attempt reads the new
// value, so two are nearly always enough.
const claimAttempts = 10

// ClaimAndQueue takes one occurrence of a scheduled notice, as Claim does,
// and in the same transaction queues msgs in the outbox as enqueued at at:
// the claim is never held without its messages, so a process that dies
// half-way leaves the occurrence free for the next run or a restart's
// catch-up. It returns false, queuing nothing, when the occurrence is
// already claimed; of several concurrent callers exactly one gets true and
// queues its messages. It returns EINVALID (claiming nothing) when a message
// cannot be sent, like Outbox.Enqueue. With no messages it only claims.
//
// The claim key is WATCHed and read; when it is free the messages get their
// IDs and one MULTI/EXEC sets the claim with its TTL and queues them (the
// items path of Outbox.Enqueue), all on the WATCH's connection. EXEC
// aborts when the claim changed since the WATCH, and the next attempt
// reads it again. All keys share the bureau's hash tag, so
// this works on Cluster too.
func (db *DB) ClaimAndQueue(ctx context.Context, notice, occurrence string, ttl time.Duration, at time.Time, msgs ...*zsbot.Outgoing) (bool, error) {
	key := db.k.claim(notice, occurrence)
	op := "claim and queue " + notice + " " + occurrence
	var (
		items    []*OutboxItem
		ready    bool  // items are checked and have their IDs
		itemsErr error // from newItems: returned as it is
		won      bool
	)
	attempt := func(tx *redis.Tx) error {
		n, err := tx.Exists(ctx, key).Result()
		if err != nil || n > 0 {
			return err // held: won stays false
		}
		if !ready {
			if items, itemsErr = db.newItemsOn(ctx, tx, at, msgs); itemsErr != nil {
				return itemsErr
			}
			ready = true
		}
		cmds, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, "1", ttl)
			return db.queueItems(ctx, p, items)
		})
		err = execErr(cmds, err)
		won = err == nil
		return err
	}
	for range claimAttempts {
		err := db.rdb.Watch(ctx, attempt, key)
		switch {
		case errors.Is(err, redis.TxFailedErr):
			continue
		case itemsErr != nil:
			return false, itemsErr
		case err != nil:
			return false, wrap(op, err)
		}
		return won, nil
	}
	return false, wrap(op, redis.TxFailedErr)
}

// ClaimAndEnqueue is DB.ClaimAndQueue on this outbox, with the enqueue time
// from its clock: it claims the occurrence and queues msgs in one
// transaction, or does neither (jobs.ClaimingOutbox).
func (o *Outbox) ClaimAndEnqueue(ctx context.Context, notice, occurrence string, ttl time.Duration, msgs ...*zsbot.Outgoing) (bool, error) {
	return o.db.ClaimAndQueue(ctx, notice, occurrence, ttl, o.now(), msgs...)
}
