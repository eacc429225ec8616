package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// Delivery is the once-only record of one inbound WeCom delivery. The first
// delivery claims it as pending; when its command finishes the record keeps
// the reply, so retries answer the same reply and run nothing.
//
// A pending record names the Unit that claimed it and, when the Unit runs
// in a serving process (an Instance), that process's name and incarnation:
// a retry takes over a claim whose incarnation is no longer live (Begin).
// Wrote counts the writes the Unit made before its Commit; a claim with
// writes is never taken over, since running its command again would write
// them twice. Records of older versions (no Inst) are never taken over.
type Delivery struct {
	Owner   string `json:"owner,omitempty"`   // the Unit that claimed it, while pending
	Done    bool   `json:"done,omitempty"`    // the command has finished
	Reply   string `json:"reply,omitempty"`   // its reply ("" when there is none)
	Passive bool   `json:"passive,omitempty"` // the reply went back in the HTTP response, not by the outbox
	Inst    string `json:"inst,omitempty"`    // the instance running the Unit, while pending
	Inc     string `json:"inc,omitempty"`     // … and its incarnation
	Wrote   int    `json:"wrote,omitempty"`   // writes of the Unit before its Commit, while pending
}

// pendingDelivery is the value of a claimed, unfinished delivery.
var pendingDelivery = mustJSON(Delivery{})

// ClaimDelivery claims the delivery id for ttl. It returns (nil, nil) when
// the caller now owns the delivery and must run its command; otherwise the
// existing record (pending or done) of an earlier delivery of the same
// message. A claim needs one round trip (SET NX GET).
func (db *DB) ClaimDelivery(ctx context.Context, id string, ttl time.Duration) (*Delivery, error) {
	old, err := db.rdb.SetArgs(ctx, db.k.delivery(id), pendingDelivery, redis.SetArgs{Mode: "NX", Get: true, TTL: ttl}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("claim delivery "+id, err)
	}
	return decodeDelivery(id, old)
}

// GetDelivery returns the record of delivery id, or ENOTFOUND when there is
// none (it expired or was released).
func (db *DB) GetDelivery(ctx context.Context, id string) (*Delivery, error) {
	v, err := db.rdb.Get(ctx, db.k.delivery(id)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "delivery %s not found", id)
	} else if err != nil {
		return nil, wrap("get delivery "+id, err)
	}
	return decodeDelivery(id, v)
}

// CompleteDelivery stores the finished delivery d under id for ttl and, in
// the same transaction, queues later (the reply that could not go back in
// the HTTP response) in the outbox as enqueued at at. Either both happen
// or neither does.
func (db *DB) CompleteDelivery(ctx context.Context, id string, d Delivery, ttl time.Duration, at time.Time, later ...*zsbot.Outgoing) error {
	d.Done = true
	items, err := db.newItems(ctx, at, later)
	if err != nil {
		return err
	}
	cmds, err := db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, db.k.delivery(id), mustJSON(d), ttl)
		return db.queueItems(ctx, p, items)
	})
	if err != nil {
		return wrap("complete delivery "+id, execErr(cmds, err))
	}
	return nil
}

// ReleaseDelivery forgets the claim on id, so that WeCom's next retry runs
// the command again. Use it only when the command wrote nothing.
func (db *DB) ReleaseDelivery(ctx context.Context, id string) error {
	if err := db.rdb.Del(ctx, db.k.delivery(id)).Err(); err != nil {
		return wrap("release delivery "+id, err)
	}
	return nil
}

func decodeDelivery(id, v string) (*Delivery, error) {
	var d Delivery
	if err := json.Unmarshal([]byte(v), &d); err != nil {
		return nil, fmt.Errorf("storage: delivery %s: %w", id, err)
	}
	return &d, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
