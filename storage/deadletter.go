package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// DeadItem is a dead letter as stored: what zsbot.DeadLetter shows, the
// outbox item as it was when given up, and its destination's key (the
// worker's name for it, which its rate limits and ordering use too).
type DeadItem struct {
	Item  *OutboxItem `json:"item"`
	Key   string      `json:"key"`
	Dest  string      `json:"dest"`
	Cause string      `json:"cause"`
	Error string      `json:"error"`
	At    time.Time   `json:"at"`
}

// Letter returns d as a zsbot.DeadLetter.
func (d *DeadItem) Letter() *zsbot.DeadLetter {
	return &zsbot.DeadLetter{ID: d.Item.ID, Dest: d.Dest, Cause: d.Cause, Error: d.Error, At: d.At, Msg: d.Item.Msg}
}

var _ zsbot.DeadLetters = (*Outbox)(nil)

// alertField names the alert about key for cause: one per destination and
// cause until a send there succeeds.
func alertField(key, cause string) string { return key + "|" + cause }

// deadCauses are the causes an alert can have, for clearing them all.
var deadCauses = []string{zsbot.DeadRejected, zsbot.DeadDestination, zsbot.DeadGaveUp}

// Bury moves the queued item d.Item to the dead letters, in one step with
// what goes with it: when d.Cause is DeadDestination, d.Key is marked
// misconfigured (Misconfigured) with d.Error; and unless admins were
// already told about d.Key and d.Cause since a send there last succeeded,
// the messages alert returns are queued. alert may be nil (no alert). It
// reports whether the alert was queued; an item no longer queued is left
// alone (false, nil).
func (o *Outbox) Bury(ctx context.Context, d *DeadItem, alert func() []*zsbot.Outgoing) (bool, error) {
	id := strconv.FormatInt(d.Item.ID, 10)
	misKey, misVal := "", ""
	if d.Cause == zsbot.DeadDestination {
		misKey, misVal = d.Key, d.Dest+": "+d.Error
	}
	args := []any{id, mustJSON(d), misKey, misVal}
	field := alertField(d.Key, d.Cause)
	if alert != nil {
		told, err := o.db.rdb.HExists(ctx, o.db.k.outboxAlerts(), field).Result()
		if err != nil {
			return false, wrap("outbox bury "+id, err)
		}
		if !told {
			items, err := o.db.newItems(ctx, d.At, alert())
			if err != nil {
				return false, err
			}
			args = append(args, field)
			for _, it := range items {
				args = append(args, strconv.FormatInt(it.ID, 10), mustJSON(it))
			}
		}
	}
	if len(args) == 4 {
		args = append(args, "")
	}
	k := o.db.k
	n, err := buryScript.Run(ctx, o.db.rdb, []string{k.outboxQueue(), k.outboxMsgs(), k.outboxDead(), k.outboxDeadIDs(),
		k.outboxMisconf(), k.outboxAlerts()}, args...).Int()
	if err != nil {
		return false, wrap("outbox bury "+id, err)
	}
	return n == 1, nil
}

// Delivered removes the item id, which WeCom accepted, and clears what a
// success to its destination key ends: the destination's configuration
// error and the alerts sent about it.
func (o *Outbox) Delivered(ctx context.Context, id int64, key string) error {
	s := strconv.FormatInt(id, 10)
	fields := make([]string, len(deadCauses))
	for i, c := range deadCauses {
		fields[i] = alertField(key, c)
	}
	if _, err := o.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, o.db.k.outboxQueue(), s)
		p.HDel(ctx, o.db.k.outboxMsgs(), s)
		p.HDel(ctx, o.db.k.outboxMisconf(), key)
		p.HDel(ctx, o.db.k.outboxAlerts(), fields...)
		return nil
	}); err != nil {
		return wrap("outbox remove "+s, err)
	}
	return nil
}

// Dead returns the newest n dead letters as stored, newest first (all
// when n <= 0), and how many there are.
func (o *Outbox) Dead(ctx context.Context, n int) ([]*DeadItem, int, error) {
	k := o.db.k
	total, err := o.db.rdb.ZCard(ctx, k.outboxDeadIDs()).Result()
	if err != nil || total == 0 {
		return nil, 0, wrap("outbox dead letters", err)
	}
	ids, err := o.db.rdb.ZRevRange(ctx, k.outboxDeadIDs(), 0, int64(n)-1).Result()
	if err != nil || len(ids) == 0 {
		return nil, int(total), wrap("outbox dead letters", err)
	}
	vals, err := o.db.rdb.HMGet(ctx, k.outboxDead(), ids...).Result()
	if err != nil {
		return nil, int(total), wrap("outbox dead letters", err)
	}
	out := make([]*DeadItem, 0, len(vals))
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // dropped between the two reads
		}
		d := new(DeadItem)
		if err := json.Unmarshal([]byte(s), d); err != nil {
			return nil, int(total), fmt.Errorf("storage: dead letter %s: %w", ids[i], err)
		}
		out = append(out, d)
	}
	return out, int(total), nil
}

// DeadLetters implements zsbot.DeadLetters.
func (o *Outbox) DeadLetters(ctx context.Context, n int) ([]*zsbot.DeadLetter, int, error) {
	if n <= 0 {
		return nil, 0, nil
	}
	ds, total, err := o.Dead(ctx, n)
	out := make([]*zsbot.DeadLetter, len(ds))
	for i, d := range ds {
		out[i] = d.Letter()
	}
	return out, total, err
}

// deadItem returns the dead letter id; ENOTFOUND when there is none.
func (o *Outbox) deadItem(ctx context.Context, id int64) (*DeadItem, error) {
	s, err := o.db.rdb.HGet(ctx, o.db.k.outboxDead(), strconv.FormatInt(id, 10)).Result()
	if err == redis.Nil {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "no dead letter %d", id)
	}
	if err != nil {
		return nil, wrap("outbox dead letter", err)
	}
	d := new(DeadItem)
	if err := json.Unmarshal([]byte(s), d); err != nil {
		return nil, fmt.Errorf("storage: dead letter %d: %w", id, err)
	}
	return d, nil
}

// Retry puts the dead letter id back in the queue under its own ID, due at
// now, its attempts forgotten (parts WeCom already took stay sent). It
// returns ENOTFOUND when there is no such dead letter.
func (o *Outbox) Retry(ctx context.Context, id int64, now time.Time) (*DeadItem, error) {
	d, err := o.deadItem(ctx, id)
	if err != nil {
		return nil, err
	}
	it := *d.Item
	it.Due, it.Attempts, it.FirstFailed, it.Parked, it.LastError = now, 0, time.Time{}, false, ""
	s := strconv.FormatInt(id, 10)
	k := o.db.k
	if _, err := o.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, k.outboxDead(), s)
		p.ZRem(ctx, k.outboxDeadIDs(), s)
		p.HSet(ctx, k.outboxMsgs(), s, mustJSON(&it))
		p.ZAdd(ctx, k.outboxQueue(), redis.Z{Score: float64(id), Member: s})
		return nil
	}); err != nil {
		return nil, wrap("outbox retry "+s, err)
	}
	return d, nil
}

// Drop deletes the dead letter id for good. When no other dead letter of
// its destination was refused for the destination's configuration, the
// destination is no longer shown misconfigured. It returns ENOTFOUND when
// there is no such dead letter.
func (o *Outbox) Drop(ctx context.Context, id int64) (*DeadItem, error) {
	d, err := o.deadItem(ctx, id)
	if err != nil {
		return nil, err
	}
	s := strconv.FormatInt(id, 10)
	k := o.db.k
	if _, err := o.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HDel(ctx, k.outboxDead(), s)
		p.ZRem(ctx, k.outboxDeadIDs(), s)
		return nil
	}); err != nil {
		return nil, wrap("outbox drop "+s, err)
	}
	rest, _, err := o.Dead(ctx, 0)
	if err != nil {
		return d, err
	}
	for _, r := range rest {
		if r.Key == d.Key && r.Cause == zsbot.DeadDestination {
			return d, nil
		}
	}
	if err := o.db.rdb.HDel(ctx, k.outboxMisconf(), d.Key).Err(); err != nil {
		return d, wrap("outbox drop "+s, err)
	}
	return d, nil
}

// Misconfigured returns the destinations WeCom refused for their
// configuration since a send to each last succeeded, with the error, by
// destination key.
func (o *Outbox) Misconfigured(ctx context.Context) (map[string]string, error) {
	m, err := o.db.rdb.HGetAll(ctx, o.db.k.outboxMisconf()).Result()
	return m, wrap("outbox misconfigured", err)
}
