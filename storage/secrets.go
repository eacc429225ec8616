package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The audit trail keeps no secret: a group's robot key is masked in every
// entry's before and after copies, and in its raw message and summary. The
// group record alone holds the key, so a backup's audit stream carries
// none, and a group removed for good takes its key with it.

// maskAudit masks the robot keys of a's group diffs, and wherever those
// keys appear in its raw message and summary. It reports whether it
// changed anything: a masked entry is left as it is.
func maskAudit(a *zsbot.Audit) bool {
	var secrets []string
	for i := range a.Changes {
		d := &a.Changes[i]
		if d.Kind != zsbot.KindGroup {
			continue
		}
		for _, side := range []*[]byte{&d.Before, &d.After} {
			if k := maskGroup(side); k != "" {
				secrets = append(secrets, k)
			}
		}
	}
	for _, k := range secrets {
		a.Raw = strings.ReplaceAll(a.Raw, k, zsbot.MaskKey(k))
		a.Summary = strings.ReplaceAll(a.Summary, k, zsbot.MaskKey(k))
	}
	return len(secrets) > 0
}

// maskGroup masks the robot key of the group stored in *b and returns the
// key it masked ("" when there was none to mask).
func maskGroup(b *[]byte) string {
	if len(*b) == 0 {
		return ""
	}
	g := &zsbot.Group{}
	if json.Unmarshal(*b, g) != nil || g.RobotKey == "" || zsbot.IsMaskedKey(g.RobotKey) {
		return ""
	}
	*b = encode(g.Masked())
	return g.RobotKey
}

// auditPage is how many audit entries one read of the stream takes.
const auditPage = 1000

// MaskAuditSecrets masks the robot keys that earlier versions kept in the
// audit stream and returns how many entries it masked; run at start, it
// finds none the second time. A stream's entries cannot be edited in place,
// so when any needs masking the stream is copied, with the same IDs and
// masked entries, to a key beside it, which then replaces the stream in
// one script that first adds the entries written meanwhile. A run that dies
// half-way leaves the stream as it was (the copy is rebuilt next time).
func (db *DB) MaskAuditSecrets(ctx context.Context) (int, error) {
	found := false
	_, err := db.eachAudit(ctx, "-", func(page []redis.XMessage) (bool, error) {
		for _, m := range page {
			if _, changed, err := maskedEntry(m); err != nil || changed {
				found = changed
				return false, err
			}
		}
		return true, nil
	})
	if err != nil || !found {
		return 0, err
	}
	tmp := db.k.auditRebuild()
	if err := db.rdb.Del(ctx, tmp).Err(); err != nil {
		return 0, wrap("mask audit", err)
	}
	masked := 0
	next, err := db.eachAudit(ctx, "-", func(page []redis.XMessage) (bool, error) {
		pipe := db.rdb.Pipeline()
		for _, m := range page {
			values, changed, err := maskedEntry(m)
			if err != nil {
				return false, err
			}
			if changed {
				masked++
			}
			pipe.XAdd(ctx, &redis.XAddArgs{Stream: tmp, ID: m.ID, Values: values})
		}
		_, err := pipe.Exec(ctx)
		return true, wrap("mask audit", err)
	})
	if err != nil {
		return 0, err
	}
	if err := auditSwapScript.Run(ctx, db.rdb, []string{db.k.audit(), tmp}, next).Err(); err != nil {
		return 0, wrap("mask audit", err)
	}
	return masked, nil
}

// maskedEntry returns the fields of the audit entry m with its secrets
// masked, and whether masking changed it.
func maskedEntry(m redis.XMessage) ([]any, bool, error) {
	e, _ := m.Values["e"].(string)
	changed := false
	if strings.Contains(e, `"kind":"group"`) {
		a := &zsbot.Audit{}
		if err := json.Unmarshal([]byte(e), a); err != nil {
			return nil, false, fmt.Errorf("storage: mask audit: decode %s: %w", m.ID, err)
		}
		if changed = maskAudit(a); changed {
			b, err := json.Marshal(a)
			if err != nil {
				return nil, false, fmt.Errorf("storage: mask audit: encode %s: %w", m.ID, err)
			}
			e = string(b)
		}
	}
	values := []any{"e", e}
	if d, ok := m.Values["m"].(string); ok {
		values = append(values, "m", d)
	}
	return values, changed, nil
}

// eachAudit reads the audit stream from the entry ID from ("-" for the
// first) a page at a time, while fn returns true, and returns the ID that
// follows the last entry read (from when it read none).
func (db *DB) eachAudit(ctx context.Context, from string, fn func(page []redis.XMessage) (bool, error)) (string, error) {
	for {
		msgs, err := db.rdb.XRangeN(ctx, db.k.audit(), from, "+", auditPage).Result()
		if err != nil {
			return "", wrap("audit", err)
		}
		if len(msgs) == 0 {
			return from, nil
		}
		from = nextID(msgs[len(msgs)-1].ID)
		if more, err := fn(msgs); err != nil || !more || len(msgs) < auditPage {
			return from, err
		}
	}
}
