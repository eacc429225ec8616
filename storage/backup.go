package storage

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The backup format is JSON lines: a header, then one line per key with its
// type, remaining TTL and value, type for type (string, hash, set, sorted
// set, list, stream). The embedded store keeps its data in the same format.
const backupFormat = "zsbot-backup/1"

type backupHeader struct {
	Format string    `json:"format"`
	Bureau string    `json:"bureau"`
	Taken  time.Time `json:"taken"`
	Keys   int       `json:"keys"`
}

type backupKey struct {
	Key    string            `json:"key"`
	Type   string            `json:"type"`
	TTLms  int64             `json:"ttl_ms,omitempty"` // 0 = no expiry
	String string            `json:"string,omitempty"`
	Hash   map[string]string `json:"hash,omitempty"`
	Items  []string          `json:"items,omitempty"` // set members or list items
	Zset   []zmember         `json:"zset,omitempty"`
	Stream []streamEntry     `json:"stream,omitempty"`
}

type zmember struct {
	M string  `json:"m"`
	S float64 `json:"s"`
}

type streamEntry struct {
	ID     string         `json:"id"`
	Fields map[string]any `json:"f"`
}

// scanKeys returns every key of the bureau, sorted. On a cluster every key
// of the bureau lives on one node (the hash tag), so each master is asked.
func (db *DB) scanKeys(ctx context.Context) ([]string, error) {
	var out []string
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, db.k.pattern(), 1000).Iterator()
		for it.Next(ctx) {
			out = append(out, it.Val())
		}
		return it.Err()
	}
	var err error
	if cc, ok := db.rdb.(*redis.ClusterClient); ok {
		var mu sync.Mutex // ForEachMaster calls in parallel
		err = cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			mu.Lock()
			defer mu.Unlock()
			return scan(ctx, c)
		})
	} else {
		err = scan(ctx, db.rdb)
	}
	if err != nil {
		return nil, wrap("scan", err)
	}
	sort.Strings(out)
	return out, nil
}

// Backup writes every key of the bureau to w.
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	keys, err := db.scanKeys(ctx)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(backupHeader{Format: backupFormat, Bureau: db.bureau, Taken: time.Now().UTC(), Keys: len(keys)}); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	for _, k := range keys {
		bk, err := db.dumpKey(ctx, k)
		if err != nil {
			return err
		}
		if bk == nil {
			continue // expired between SCAN and read
		}
		if err := enc.Encode(bk); err != nil {
			return fmt.Errorf("storage: backup: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	return nil
}

func (db *DB) dumpKey(ctx context.Context, key string) (*backupKey, error) {
	pipe := db.rdb.Pipeline()
	typ := pipe.Type(ctx, key)
	ttl := pipe.PTTL(ctx, key)
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("backup "+key, err)
	}
	bk := &backupKey{Key: key, Type: typ.Val()}
	if d := ttl.Val(); d > 0 {
		bk.TTLms = d.Milliseconds()
	}
	var err error
	switch bk.Type {
	case "none":
		return nil, nil
	case "string":
		bk.String, err = db.rdb.Get(ctx, key).Result()
	case "hash":
		bk.Hash, err = db.rdb.HGetAll(ctx, key).Result()
	case "set":
		bk.Items, err = db.rdb.SMembers(ctx, key).Result()
		sort.Strings(bk.Items)
	case "list":
		bk.Items, err = db.rdb.LRange(ctx, key, 0, -1).Result()
	case "zset":
		var zs []redis.Z
		zs, err = db.rdb.ZRangeWithScores(ctx, key, 0, -1).Result()
		for _, z := range zs {
			bk.Zset = append(bk.Zset, zmember{M: z.Member.(string), S: z.Score})
		}
	case "stream":
		var msgs []redis.XMessage
		msgs, err = db.rdb.XRange(ctx, key, "-", "+").Result()
		for _, m := range msgs {
			bk.Stream = append(bk.Stream, streamEntry{ID: m.ID, Fields: m.Values})
		}
	default:
		return nil, fmt.Errorf("storage: backup: key %s has unsupported type %s", key, bk.Type)
	}
	if errors.Is(err, redis.Nil) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("backup "+key, err)
	}
	return bk, nil
}

// Restore loads a backup into the bureau. With replace, the bureau's keys
// are deleted first; without it, Restore refuses a bureau that has data.
// Keys of the backup must belong to this bureau.
func (db *DB) Restore(ctx context.Context, r io.Reader, replace bool) (int, error) {
	dec := json.NewDecoder(bufio.NewReader(r))
	var h backupHeader
	if err := dec.Decode(&h); err != nil || h.Format != backupFormat {
		return 0, fmt.Errorf("storage: restore: not a zsbot backup (format %q): %v", h.Format, err)
	}
	existing, err := db.scanKeys(ctx)
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 && !replace {
		return 0, fmt.Errorf("storage: restore: bureau %q already has %d keys; restore into an empty store or replace them", db.bureau, len(existing))
	}
	// The directory's version must move forward, never back: a running
	// process that holds a later version than the backup's would otherwise
	// keep its names and people from before the restore.
	oldVersion, oldLog, err := db.dirState(ctx)
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 {
		if err := db.rdb.Del(ctx, existing...).Err(); err != nil {
			return 0, wrap("restore: clear", err)
		}
	}
	n := 0
	for {
		var bk backupKey
		if err := dec.Decode(&bk); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return n, fmt.Errorf("storage: restore: line %d: %w", n+2, err)
		}
		if len(bk.Key) < len(db.k.prefix) || bk.Key[:len(db.k.prefix)] != db.k.prefix {
			return n, fmt.Errorf("storage: restore: key %q is not of bureau %q", bk.Key, db.bureau)
		}
		if err := db.loadKey(ctx, &bk); err != nil {
			return n, err
		}
		n++
	}
	return n, db.relogDirectory(ctx, oldVersion, oldLog)
}

// dirState returns the directory's version (0 when it has none) and the
// members of its log.
func (db *DB) dirState(ctx context.Context) (int64, []string, error) {
	pipe := db.rdb.Pipeline()
	v := pipe.Get(ctx, db.k.dirVersion())
	log := pipe.ZRange(ctx, db.k.dirLog(), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, nil, wrap("directory state", err)
	}
	n, _ := v.Int64()
	return n, log.Val(), nil
}

// relogDirectory gives the restored directory a version after both the
// one replaced and the backup's, and logs at it every entry the restore
// may have changed: each person, company and project now stored, and each
// entry of the replaced log (one no longer stored reads as removed). Every
// process's copy, whatever its version, then takes all of them.
func (db *DB) relogDirectory(ctx context.Context, oldVersion int64, oldLog []string) error {
	restored, _, err := db.dirState(ctx)
	if err != nil {
		return err
	}
	v := max(oldVersion, restored) + 1
	pipe := db.rdb.Pipeline()
	people := pipe.HKeys(ctx, db.k.records(zsbot.KindPerson))
	companies := pipe.HKeys(ctx, db.k.records(zsbot.KindCompany))
	projects := pipe.HKeys(ctx, db.k.names(zsbot.KindProject))
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("restore: directory", err)
	}
	members := oldLog
	for _, k := range []struct {
		kind zsbot.Kind
		ids  []string
	}{{zsbot.KindPerson, people.Val()}, {zsbot.KindCompany, companies.Val()}, {zsbot.KindProject, projects.Val()}} {
		for _, id := range k.ids {
			members = append(members, dirMember(k.kind, id))
		}
	}
	for len(members) > 0 {
		n := min(len(members), bulkBatch)
		zs := make([]redis.Z, n)
		for i, m := range members[:n] {
			zs[i] = redis.Z{Score: float64(v), Member: m}
		}
		if err := db.rdb.ZAdd(ctx, db.k.dirLog(), zs...).Err(); err != nil {
			return wrap("restore: directory", err)
		}
		members = members[n:]
	}
	if err := db.rdb.Set(ctx, db.k.dirVersion(), v, 0).Err(); err != nil {
		return wrap("restore: directory", err)
	}
	return nil
}

func (db *DB) loadKey(ctx context.Context, bk *backupKey) error {
	pipe := db.rdb.TxPipeline()
	k := bk.Key
	pipe.Del(ctx, k)
	switch bk.Type {
	case "string":
		pipe.Set(ctx, k, bk.String, 0)
	case "hash":
		if len(bk.Hash) > 0 {
			pipe.HSet(ctx, k, bk.Hash)
		}
	case "set":
		for _, m := range bk.Items {
			pipe.SAdd(ctx, k, m)
		}
	case "list":
		for _, m := range bk.Items {
			pipe.RPush(ctx, k, m)
		}
	case "zset":
		for _, z := range bk.Zset {
			pipe.ZAdd(ctx, k, redis.Z{Member: z.M, Score: z.S})
		}
	case "stream":
		for _, e := range bk.Stream {
			pipe.XAdd(ctx, &redis.XAddArgs{Stream: k, ID: e.ID, Values: e.Fields})
		}
	default:
		return fmt.Errorf("storage: restore: key %s has unsupported type %q", k, bk.Type)
	}
	if bk.TTLms > 0 {
		pipe.PExpire(ctx, k, time.Duration(bk.TTLms)*time.Millisecond)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("restore "+k, err)
	}
	return nil
}
