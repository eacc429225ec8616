package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// History returns a project's newest audit entries, at most n, how many
// are kept in all, and how long they are kept when older ones were
// archived; in one round trip. A plain pipeline, not MULTI: Redis refuses
// every command queued in a MULTI while it is out of memory, and a read
// must still answer then (a write landing between the three reads can
// only make the total one off for that reply).
func (db *DB) History(ctx context.Context, project string, n int) (*zsbot.HistoryPage, error) {
	key := db.k.history(project)
	var (
		total *redis.IntCmd
		last  *redis.StringCmd
		ids   *redis.StringSliceCmd
	)
	_, err := db.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		total = p.LLen(ctx, key)
		last = p.LIndex(ctx, key, -1)
		ids = p.LRange(ctx, key, 0, int64(n-1))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("history", err)
	}
	page := &zsbot.HistoryPage{Total: int(total.Val())}
	if keep, ok := archivedKeep(last.Val()); ok {
		page.Archived, page.Total = keep, page.Total-1
	}
	var entries []string
	for _, id := range ids.Val() {
		if _, mark := archivedKeep(id); !mark {
			entries = append(entries, id)
		}
	}
	if page.Entries, err = db.auditEntries(ctx, entries); err != nil {
		return nil, err
	}
	return page, nil
}

// LastUndoable returns userID's most recent write not yet undone, or
// ENOTFOUND when there is none, or when it was archived (with a message
// that says so).
func (db *DB) LastUndoable(ctx context.Context, userID string) (*zsbot.Audit, error) {
	id, err := db.rdb.LIndex(ctx, db.k.undo(userID), 0).Result()
	if errors.Is(err, redis.Nil) {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "没有可撤销的操作。")
	} else if err != nil {
		return nil, wrap("last undoable", err)
	}
	if keep, ok := archivedKeep(id); ok {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "您更早的操作已归档（保留%s），不能再撤销；如需更正请用「改」。", zsbot.KeepText(keep))
	}
	es, err := db.auditEntries(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "您最近一次操作的记录已归档，不能再撤销；如需更正请用「改」。")
	}
	return es[0], nil
}

// AuditLog returns every audit entry in order (for export and tests).
func (db *DB) AuditLog(ctx context.Context) ([]*zsbot.Audit, error) {
	msgs, err := db.rdb.XRange(ctx, db.k.audit(), "-", "+").Result()
	if err != nil {
		return nil, wrap("audit log", err)
	}
	return decodeAudit(msgs)
}

func (db *DB) auditEntries(ctx context.Context, ids []string) ([]*zsbot.Audit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	pipe := db.rdb.Pipeline()
	cmds := make([]*redis.XMessageSliceCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.XRange(ctx, db.k.audit(), id, id)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("audit entries", err)
	}
	var msgs []redis.XMessage
	for _, c := range cmds {
		msgs = append(msgs, c.Val()...)
	}
	return decodeAudit(msgs)
}

func decodeAudit(msgs []redis.XMessage) ([]*zsbot.Audit, error) {
	out := make([]*zsbot.Audit, 0, len(msgs))
	for _, m := range msgs {
		s, _ := m.Values["e"].(string)
		a := &zsbot.Audit{}
		if err := json.Unmarshal([]byte(s), a); err != nil {
			return nil, fmt.Errorf("storage: decode audit %s: %w", m.ID, err)
		}
		a.ID = m.ID
		out = append(out, a)
	}
	return out, nil
}

// AuditedDeliveries counts the audit entries of each WeCom delivery (the
// "m" field a Unit's Commit stores, such as "m:123"), reading the whole
// stream a page at a time: a checker's view of which acknowledged
// messages were written, and how often.
func (db *DB) AuditedDeliveries(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for start := "-"; ; {
		msgs, err := db.rdb.XRangeN(ctx, db.k.audit(), start, "+", 10000).Result()
		if err != nil {
			return nil, wrap("audited deliveries", err)
		}
		for _, m := range msgs {
			if id, ok := m.Values["m"].(string); ok {
				out[id]++
			}
		}
		if len(msgs) < 10000 {
			return out, nil
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
}
