package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"zsbot"
)

// Undo stacks keep this many entries. A project's history keeps every
// entry (a PUSHID depth of 0 trims nothing): 历史 counts them all, and the
// audit archive takes the old ones off (ZSBOT_AUDIT_KEEP).
const (
	undoDepth    = 50
	historyDepth = 0
)

// script accumulates the KEYS and ARGV of one applyScript call.
type script struct {
	keys   []string
	checks []string
	claims []string // name claims (nameclaim.go): 4 arguments each
	ops    []string
}

// key returns the KEYS index of k, adding it. A script has a dozen keys:
// a search costs less than a map.
func (s *script) key(k string) string {
	i := slices.Index(s.keys, k)
	if i < 0 {
		s.keys = append(s.keys, k)
		i = len(s.keys) - 1
	}
	return strconv.Itoa(i + 1)
}

func (s *script) check(key, field string, expected []byte) {
	s.checks = append(s.checks, s.key(key), field, string(expected))
}

func (s *script) op(name, key string, args ...string) {
	s.ops = append(s.ops, name, s.key(key))
	s.ops = append(s.ops, args...)
}

// Apply writes c atomically and returns the audit entry's ID (a Unit
// holds it for its Commit instead).
func (db *DB) Apply(ctx context.Context, c *zsbot.Change) (string, error) {
	return db.applyWith(ctx, c, nil)
}

// applyWith writes c (nil for no change) and the ending of a Unit (nil for
// none) in one script.
func (db *DB) applyWith(ctx context.Context, c *zsbot.Change, end *ending) (string, error) {
	id, conflict, err := db.apply(ctx, c, nil, end)
	if conflict != "" && err != nil {
		// A stored record may differ from its re-encoding only in form (an
		// older layout); compare by meaning and retry once with the raw bytes.
		raw, ok := db.sameMeaning(ctx, c, conflict)
		if ok {
			id, _, err = db.apply(ctx, c, raw, end)
		}
	}
	return id, err
}

// apply runs the script; raw overrides the expected bytes of some records.
func (db *DB) apply(ctx context.Context, c *zsbot.Change, raw map[string][]byte, end *ending) (id, conflict string, err error) {
	var s script
	if c != nil {
		if err := db.changeOps(ctx, &s, c, raw, end.delivery()); err != nil {
			return "", "", err
		}
	}
	end.ops(db, &s)
	undoKey, undoID := "0", ""
	if c != nil && c.UndoOf != "" {
		undoKey, undoID = s.key(db.k.undo(c.Audit.Who)), c.UndoOf
	}
	argv := make([]any, 0, 6+len(s.checks)+len(s.claims)+len(s.ops))
	done := end.doneCheck(&s)
	argv = append(argv, done[0], done[1], len(s.checks)/3)
	for _, a := range s.checks {
		argv = append(argv, a)
	}
	argv = append(argv, undoKey, undoID, len(s.claims)/4)
	for _, a := range s.claims {
		argv = append(argv, a)
	}
	for _, a := range s.ops {
		argv = append(argv, a)
	}
	res, err := applyScript.Run(ctx, db.rdb, s.keys, argv...).Result()
	if err != nil {
		var se *scriptError
		if errors.As(err, &se) && se.Code == scriptDone {
			return "", "", nil // an earlier run of this very script wrote it all
		} else if se != nil && se.Code == scriptConflict {
			return "", se.Detail, err // ECONFLICT
		}
		return "", "", wrap("apply", err)
	}
	id, _ = res.(string)
	return id, "", nil
}

// changeOps adds the checks and writes of c to s; delivery names the WeCom
// delivery that made the change ("" for none), kept in the audit entry.
func (db *DB) changeOps(ctx context.Context, s *script, c *zsbot.Change, raw map[string][]byte, delivery string) error {
	audit := c.Audit
	audit.Changes = make([]zsbot.Diff, 0, len(c.Puts))
	aggv := []string{AggLayout, strconv.Itoa(len(aggKinds))}
	for _, kind := range aggKinds {
		aggv = append(aggv, s.key(db.k.records(kind)))
	}
	s.op("AGGV", db.k.aggVersion(), aggv...)
	var histories []string // projects whose history gets the entry
	if audit.Project != "" {
		histories = append(histories, audit.Project)
	}
	for _, p := range c.Puts {
		r := p.After
		if r == nil {
			r = p.Before
		}
		kind, rid := r.RecordKind(), r.RecordID()
		if rid == "" {
			return fmt.Errorf("storage: apply: %s without id", kind)
		}
		before, after := encode(p.Before), encode(p.After)
		expected := before
		if b, ok := raw[string(kind)+"/"+rid]; ok {
			expected = b
		}
		hk := db.k.records(kind)
		s.check(hk, rid, expected)
		if after != nil {
			s.op("HSET", hk, rid, string(after))
		} else {
			s.op("HDEL", hk, rid)
		}
		if isNamed(kind) {
			nk := db.k.names(kind)
			if ref := nameRefOf(p.After); ref == nil {
				s.op("HDEL", nk, rid)
			} else if string(ref) != string(nameRefOf(p.Before)) || raw != nil {
				s.op("HSET", nk, rid, string(ref))
			}
		}
		if kind == zsbot.KindCompany {
			db.claimOps(s, rid, p)
		}
		if dirChanged(p) {
			dk := dirKeys(db.k)
			s.op("DIR", dk[0], s.key(dk[1]), s.key(dk[2]), s.key(dk[3]), s.key(dk[4]), dirMember(kind, rid))
		}
		db.indexOps(s, rid, indexesOf(p.Before), indexesOf(p.After))
		audit.Changes = append(audit.Changes, zsbot.Diff{Kind: kind, ID: rid, Before: before, After: after})
		if kind == zsbot.KindProject && !slices.Contains(histories, rid) {
			histories = append(histories, rid)
		}
	}
	if err := db.aggChangeOps(ctx, s, c); err != nil {
		return err
	}
	maskAudit(&audit) // the group record alone holds its robot key (secrets.go)
	entry, err := json.Marshal(&audit)
	if err != nil {
		return fmt.Errorf("storage: apply: encode audit: %w", err)
	}
	s.op("XADD", db.k.audit(), string(entry), delivery)
	if c.UndoOf == "" && audit.Who != "" {
		s.op("PUSHID", db.k.undo(audit.Who), strconv.Itoa(undoDepth))
	}
	for _, pid := range histories {
		s.op("PUSHID", db.k.history(pid), strconv.Itoa(historyDepth))
	}
	return nil
}

// indexOps adds the ZREM/ZADD ops that move a record's index entries.
func (db *DB) indexOps(s *script, id string, before, after []indexEntry) {
	for _, e := range before {
		if !slices.Contains(after, e) {
			s.op("ZREM", db.k.index(e.name), id)
		}
	}
	for _, e := range after {
		if !slices.Contains(before, e) {
			s.op("ZADD", db.k.index(e.name), strconv.Itoa(int(e.score)), id)
		}
	}
}

// sameMeaning re-reads the conflicting record and, when it decodes to the
// same value as the handler's Before, returns its raw bytes for a retry.
func (db *DB) sameMeaning(ctx context.Context, c *zsbot.Change, field string) (map[string][]byte, bool) {
	if c == nil {
		return nil, false
	}
	for _, p := range c.Puts {
		if p.Before == nil || p.Before.RecordID() != field {
			continue
		}
		kind := p.Before.RecordKind()
		cur, err := db.rdb.HGet(ctx, db.k.records(kind), field).Bytes()
		if err != nil {
			return nil, false
		}
		fresh := zsbot.NewRecord(kind)
		if json.Unmarshal(cur, fresh) != nil || !bytes.Equal(encode(fresh), encode(p.Before)) {
			return nil, false
		}
		return map[string][]byte{string(kind) + "/" + field: cur}, true
	}
	return nil, false
}
