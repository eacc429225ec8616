package storage

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/wecom/limits"
)

// OutboxItem is one queued message with its delivery state. Items are sent
// in ID order within one destination.
type OutboxItem struct {
	ID        int64           `json:"id"`
	Msg       *zsbot.Outgoing `json:"msg"`
	Enqueued  time.Time       `json:"enqueued"`
	Due       time.Time       `json:"due,omitzero"`       // no attempt before this time
	Attempts  int             `json:"attempts,omitempty"` // failed attempts so far
	Part      int             `json:"part,omitempty"`     // parts of a split text WeCom has accepted
	Parked    bool            `json:"parked,omitempty"`   // held after a configuration error of the app
	LastError string          `json:"last_error,omitempty"`
	// FirstFailed is when an attempt first failed with an errcode zsbot
	// does not know: the worker gives such a message up after enough
	// attempts over enough time.
	FirstFailed time.Time `json:"first_failed,omitzero"`
}

// Outbox is the durable queue of messages to send. It implements
// zsbot.Outbox; the sender's worker drains it.
type Outbox struct {
	db  *DB
	now zsbot.Clock
}

var _ zsbot.Outbox = (*Outbox)(nil)

// Outbox returns the bureau's outbox; now stamps the enqueue time.
func (db *DB) Outbox(now zsbot.Clock) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{db: db, now: now}
}

// Enqueue stores msgs durably, in order, before it returns. It returns
// EINVALID (and stores nothing) when a message lacks a channel, destination,
// format or text (one of only white space counts as none). (A Unit holds
// the messages for its Commit instead.)
func (o *Outbox) Enqueue(ctx context.Context, msgs ...*zsbot.Outgoing) error {
	items, err := o.db.newItems(ctx, o.now(), msgs)
	if err != nil || len(items) == 0 {
		return err
	}
	if cmds, err := o.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		return o.db.queueItems(ctx, p, items)
	}); err != nil {
		return wrap("enqueue", execErr(cmds, err))
	}
	return nil
}

// CheckOutgoing returns EINVALID when m cannot be sent as it stands.
func CheckOutgoing(m *zsbot.Outgoing) error {
	switch {
	case m != nil && m.Format == zsbot.FormatImage && (len(m.Image) == 0 || len(m.Image) > limits.RobotImage):
		return zsbot.Errorf(zsbot.EINVALID, "outgoing image of %d bytes: WeCom takes 1 byte to %d", len(m.Image), limits.RobotImage)
	case m != nil && m.Format == zsbot.FormatImage:
	case m == nil || limits.Blank(m.Text):
		return zsbot.Errorf(zsbot.EINVALID, "outgoing message has no text (WeCom refuses empty content)")
	case m.Format != zsbot.FormatText && m.Format != zsbot.FormatMarkdown:
		return zsbot.Errorf(zsbot.EINVALID, "outgoing format %q is neither text nor markdown", m.Format)
	case m.Channel != zsbot.ChannelApp && m.Channel != zsbot.ChannelAppChat && m.Channel != zsbot.ChannelRobot:
		return zsbot.Errorf(zsbot.EINVALID, "outgoing channel %q is unknown", m.Channel)
	case len(m.To) == 0:
		return zsbot.Errorf(zsbot.EINVALID, "outgoing %s message has no destination", m.Channel)
	case m.Channel != zsbot.ChannelApp && len(m.To) != 1:
		return zsbot.Errorf(zsbot.EINVALID, "outgoing %s message needs exactly one destination", m.Channel)
	}
	for _, to := range m.To {
		if to == "" {
			return zsbot.Errorf(zsbot.EINVALID, "outgoing %s message has an empty destination", m.Channel)
		}
	}
	return nil
}

// newItems checks msgs and allocates their IDs in one round trip.
func (db *DB) newItems(ctx context.Context, at time.Time, msgs []*zsbot.Outgoing) ([]*OutboxItem, error) {
	return db.newItemsOn(ctx, db.rdb, at, msgs)
}

// newItemsOn is newItems allocating the IDs through c: a transaction's own
// connection, so that the transaction does not wait for a second one from
// the pool while it holds the first.
func (db *DB) newItemsOn(ctx context.Context, c redis.Cmdable, at time.Time, msgs []*zsbot.Outgoing) ([]*OutboxItem, error) {
	if len(msgs) == 0 {
		return nil, nil
	}
	for _, m := range msgs {
		if err := CheckOutgoing(m); err != nil {
			return nil, err
		}
	}
	last, err := c.IncrBy(ctx, db.k.outboxSeq(), int64(len(msgs))).Result()
	if err != nil {
		return nil, wrap("outbox ids", err)
	}
	items := make([]*OutboxItem, len(msgs))
	for i, m := range msgs {
		items[i] = &OutboxItem{ID: last - int64(len(msgs)) + int64(i) + 1, Msg: m, Enqueued: at}
	}
	return items, nil
}

// queueItems adds the writes of items to the transaction p.
func (db *DB) queueItems(ctx context.Context, p redis.Pipeliner, items []*OutboxItem) error {
	for _, it := range items {
		id := strconv.FormatInt(it.ID, 10)
		p.HSet(ctx, db.k.outboxMsgs(), id, mustJSON(it))
		p.ZAdd(ctx, db.k.outboxQueue(), redis.Z{Score: float64(it.ID), Member: id})
	}
	return nil
}

// Head returns up to n queued items, oldest first.
func (o *Outbox) Head(ctx context.Context, n int) ([]*OutboxItem, error) {
	ids, err := o.db.rdb.ZRange(ctx, o.db.k.outboxQueue(), 0, int64(n)-1).Result()
	if err != nil || len(ids) == 0 {
		return nil, wrap("outbox head", err)
	}
	vals, err := o.db.rdb.HMGet(ctx, o.db.k.outboxMsgs(), ids...).Result()
	if err != nil {
		return nil, wrap("outbox head", err)
	}
	items := make([]*OutboxItem, 0, len(vals))
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // removed between the two reads
		}
		it := new(OutboxItem)
		if err := json.Unmarshal([]byte(s), it); err != nil {
			return nil, fmt.Errorf("storage: outbox item %s: %w", ids[i], err)
		}
		items = append(items, it)
	}
	return items, nil
}

// Save stores the delivery state of it if it is still queued.
func (o *Outbox) Save(ctx context.Context, it *OutboxItem) error {
	id := strconv.FormatInt(it.ID, 10)
	if err := saveItemScript.Run(ctx, o.db.rdb, []string{o.db.k.outboxMsgs()}, id, mustJSON(it)).Err(); err != nil {
		return wrap("outbox save "+id, err)
	}
	return nil
}

// Remove takes the item id out of the outbox: WeCom has accepted it.
func (o *Outbox) Remove(ctx context.Context, id int64) error {
	s := strconv.FormatInt(id, 10)
	if _, err := o.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, o.db.k.outboxQueue(), s)
		p.HDel(ctx, o.db.k.outboxMsgs(), s)
		return nil
	}); err != nil {
		return wrap("outbox remove "+s, err)
	}
	return nil
}

// Stats returns the number of queued items and the enqueue time of the
// oldest (zero when the outbox is empty).
func (o *Outbox) Stats(ctx context.Context) (depth int64, oldest time.Time, err error) {
	if depth, err = o.db.rdb.ZCard(ctx, o.db.k.outboxQueue()).Result(); err != nil || depth == 0 {
		return 0, time.Time{}, wrap("outbox stats", err)
	}
	head, err := o.Head(ctx, 1)
	if err != nil || len(head) == 0 {
		return depth, time.Time{}, err
	}
	return depth, head[0].Enqueued, nil
}

// Unpark releases every item held after a configuration error, so the next
// pass tries it again; it returns how many there were.
func (o *Outbox) Unpark(ctx context.Context) (int, error) {
	all, err := o.db.rdb.HGetAll(ctx, o.db.k.outboxMsgs()).Result()
	if err != nil {
		return 0, wrap("outbox unpark", err)
	}
	n := 0
	for id, v := range all {
		it := new(OutboxItem)
		if err := json.Unmarshal([]byte(v), it); err != nil {
			return n, fmt.Errorf("storage: outbox item %s: %w", id, err)
		}
		if it.Parked {
			it.Parked = false
			if err := o.Save(ctx, it); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// Lock takes or renews the outbox worker lock for owner, valid for ttl. It
// reports whether owner holds the lock; only the holder may send.
func (o *Outbox) Lock(ctx context.Context, owner string, ttl time.Duration) (bool, error) {
	n, err := lockScript.Run(ctx, o.db.rdb, []string{o.db.k.outboxLock()}, owner, ttl.Milliseconds()).Int()
	if err != nil {
		return false, wrap("outbox lock", err)
	}
	return n == 1, nil
}

// Unlock gives up the worker lock if owner holds it.
func (o *Outbox) Unlock(ctx context.Context, owner string) error {
	if err := unlockScript.Run(ctx, o.db.rdb, []string{o.db.k.outboxLock()}, owner).Err(); err != nil {
		return wrap("outbox unlock", err)
	}
	return nil
}

// TakeRate counts one send at at against the rolling windows of dests (a
// robot, or each member an app message goes to), shared by all instances,
// if each of them has taken fewer than limit sends within window before it.
// When one has not, nothing is counted, and next is when the fullest has
// room again.
func (o *Outbox) TakeRate(ctx context.Context, dests []string, at time.Time, limit int, window time.Duration) (ok bool, next time.Time, err error) {
	keys := make([]string, len(dests))
	for i, d := range dests {
		keys[i] = o.db.k.rate(d)
	}
	send := itoa64(at.UnixNano()) + "-" + rand.Text()[:8]
	free, err := rateScript.Run(ctx, o.db.rdb, keys, at.UnixMilli(), window.Milliseconds(), limit, send).Int64()
	if err != nil {
		return false, time.Time{}, wrap("outbox rate", err)
	}
	if free > 0 {
		return false, time.UnixMilli(free).In(at.Location()), nil
	}
	return true, time.Time{}, nil
}
