package storage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// applyScript writes one command's change atomically. It first checks every
// record against the value the handler read (compare-and-set on the raw
// JSON), then the undo stack, and only then writes; a failed check returns an
// error and writes nothing. Every key is passed in KEYS (one hash slot).
//
// ARGV: nchecks, then nchecks × (key#, field, expected or "" for absent),
// then undo key# (0 for none) and undo entry id, then ops:
// HSET k f v | HDEL k f | ZADD k score m | ZREM k m | XADD k json |
// PUSHID k max (push the new audit id, keep max entries).
var applyScript = redis.NewScript(`
local i = 2
for c = 1, tonumber(ARGV[1]) do
  local cur = redis.call('HGET', KEYS[tonumber(ARGV[i])], ARGV[i+1])
  if cur == false then cur = '' end
  if cur ~= ARGV[i+2] then
    return redis.error_reply('ZSCONFLICT ' .. ARGV[i+1])
  end
  i = i + 3
end
local uk = tonumber(ARGV[i])
if uk > 0 then
  if redis.call('LREM', KEYS[uk], 1, ARGV[i+1]) == 0 then
    return redis.error_reply('ZSCONFLICT undo')
  end
end
i = i + 2
local id = ''
while i <= #ARGV do
  local op, k = ARGV[i], KEYS[tonumber(ARGV[i+1])]
  if op == 'HSET' then redis.call('HSET', k, ARGV[i+2], ARGV[i+3]); i = i + 4
  elseif op == 'HDEL' then redis.call('HDEL', k, ARGV[i+2]); i = i + 3
  elseif op == 'ZADD' then redis.call('ZADD', k, ARGV[i+2], ARGV[i+3]); i = i + 4
  elseif op == 'ZREM' then redis.call('ZREM', k, ARGV[i+2]); i = i + 3
  elseif op == 'XADD' then id = redis.call('XADD', k, '*', 'e', ARGV[i+2]); i = i + 3
  elseif op == 'PUSHID' then
    redis.call('LPUSH', k, id); redis.call('LTRIM', k, 0, tonumber(ARGV[i+2]) - 1); i = i + 3
  else return redis.error_reply('ZSBADOP ' .. op) end
end
return id
`)

// Undo stacks and project histories keep this many entries.
const (
	undoDepth    = 50
	historyDepth = 200
)

// script accumulates the KEYS and ARGV of one applyScript call.
type script struct {
	keys   []string
	keyIdx map[string]int
	checks []string
	ops    []string
}

func (s *script) key(k string) string {
	if s.keyIdx == nil {
		s.keyIdx = map[string]int{}
	}
	i, ok := s.keyIdx[k]
	if !ok {
		s.keys = append(s.keys, k)
		i = len(s.keys)
		s.keyIdx[k] = i
	}
	return strconv.Itoa(i)
}

func (s *script) check(key, field string, expected []byte) {
	s.checks = append(s.checks, s.key(key), field, string(expected))
}

func (s *script) op(name, key string, args ...string) {
	s.ops = append(s.ops, name, s.key(key))
	s.ops = append(s.ops, args...)
}

// Apply writes c atomically and returns the audit entry's ID.
func (db *DB) Apply(ctx context.Context, c *zsbot.Change) (string, error) {
	id, conflict, err := db.apply(ctx, c, nil)
	if conflict != "" && err != nil {
		// A stored record may differ from its re-encoding only in form (an
		// older layout); compare by meaning and retry once with the raw bytes.
		raw, ok := db.sameMeaning(ctx, c, conflict)
		if ok {
			id, _, err = db.apply(ctx, c, raw)
		}
	}
	return id, err
}

// apply runs the script; raw overrides the expected bytes of some records.
func (db *DB) apply(ctx context.Context, c *zsbot.Change, raw map[string][]byte) (id, conflict string, err error) {
	var s script
	audit := c.Audit
	audit.Changes = audit.Changes[:0:0]
	histories := map[string]bool{}
	if audit.Project != "" {
		histories[audit.Project] = true
	}
	for _, p := range c.Puts {
		r := p.After
		if r == nil {
			r = p.Before
		}
		kind, rid := r.RecordKind(), r.RecordID()
		if rid == "" {
			return "", "", fmt.Errorf("storage: apply: %s without id", kind)
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
			if ref := nameRefOf(p.After); ref != nil {
				s.op("HSET", nk, rid, string(ref))
			} else {
				s.op("HDEL", nk, rid)
			}
		}
		db.indexOps(&s, rid, indexesOf(p.Before), indexesOf(p.After))
		audit.Changes = append(audit.Changes, zsbot.Diff{Kind: kind, ID: rid, Before: before, After: after})
		if kind == zsbot.KindProject {
			histories[rid] = true
		}
	}
	entry, err := json.Marshal(&audit)
	if err != nil {
		return "", "", fmt.Errorf("storage: apply: encode audit: %w", err)
	}
	s.op("XADD", db.k.audit(), string(entry))
	if c.UndoOf == "" && audit.Who != "" {
		s.op("PUSHID", db.k.undo(audit.Who), strconv.Itoa(undoDepth))
	}
	for pid := range histories {
		s.op("PUSHID", db.k.history(pid), strconv.Itoa(historyDepth))
	}
	undoKey, undoID := "0", ""
	if c.UndoOf != "" {
		undoKey, undoID = s.key(db.k.undo(audit.Who)), c.UndoOf
	}
	argv := make([]any, 0, 3+len(s.checks)+len(s.ops))
	argv = append(argv, len(s.checks)/3)
	for _, a := range s.checks {
		argv = append(argv, a)
	}
	argv = append(argv, undoKey, undoID)
	for _, a := range s.ops {
		argv = append(argv, a)
	}
	res, err := applyScript.Run(ctx, db.rdb, s.keys, argv...).Result()
	if err != nil {
		if msg := err.Error(); strings.HasPrefix(msg, "ZSCONFLICT") {
			what := strings.TrimPrefix(msg, "ZSCONFLICT ")
			return "", what, zsbot.Errorf(zsbot.ECONFLICT, "记录刚被他人修改，请重试。")
		}
		return "", "", wrap("apply", err)
	}
	id, _ = res.(string)
	return id, "", nil
}

// indexOps adds the ZREM/ZADD ops that move a record's index entries.
func (db *DB) indexOps(s *script, id string, before, after []indexEntry) {
	keep := map[indexEntry]bool{}
	for _, e := range after {
		keep[e] = true
	}
	old := map[indexEntry]bool{}
	for _, e := range before {
		old[e] = true
		if !keep[e] {
			s.op("ZREM", db.k.index(e.name), id)
		}
	}
	for _, e := range after {
		if !old[e] {
			s.op("ZADD", db.k.index(e.name), strconv.Itoa(int(e.score)), id)
		}
	}
}

// sameMeaning re-reads the conflicting record and, when it decodes to the
// same value as the handler's Before, returns its raw bytes for a retry.
func (db *DB) sameMeaning(ctx context.Context, c *zsbot.Change, field string) (map[string][]byte, bool) {
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

// encode returns the stored JSON of r, or nil for a nil record.
func encode(r zsbot.Record) []byte {
	if r == nil || isNilRecord(r) {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("storage: encode %T: %v", r, err)) // records are plain data
	}
	return b
}

func isNilRecord(r zsbot.Record) bool {
	switch v := r.(type) {
	case *zsbot.Project:
		return v == nil
	case *zsbot.Company:
		return v == nil
	case *zsbot.Activity:
		return v == nil
	case *zsbot.Payment:
		return v == nil
	case *zsbot.Increase:
		return v == nil
	case *zsbot.Task:
		return v == nil
	case *zsbot.Item:
		return v == nil
	case *zsbot.Target:
		return v == nil
	case *zsbot.Person:
		return v == nil
	case *zsbot.Group:
		return v == nil
	}
	return false
}
