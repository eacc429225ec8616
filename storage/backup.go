package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// scanKeys returns every key of the bureau, sorted; the keys a restore is
// staging are not the bureau's yet.
func (db *DB) scanKeys(ctx context.Context) ([]string, error) {
	all, err := db.scan(ctx, db.k.pattern())
	out := all[:0]
	for _, k := range all {
		if !strings.HasPrefix(k, db.k.restoreArea()) {
			out = append(out, k)
		}
	}
	return out, err
}

// scan returns the keys that match pattern, sorted. On a cluster every key
// of the bureau lives on one node (the hash tag), so each master is asked.
func (db *DB) scan(ctx context.Context, pattern string) ([]string, error) {
	var out []string
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, pattern, 1000).Iterator()
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

// Backup writes every key of the bureau to w, with a trailer that lets
// Restore tell a whole file from a damaged one (backupfile.go).
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	keys, err := db.scanKeys(ctx)
	if err != nil {
		return err
	}
	ks := make([]*backupKey, 0, len(keys))
	for _, k := range keys {
		bk, err := db.dumpKey(ctx, k)
		if err != nil {
			return err
		}
		if bk != nil { // nil: expired between SCAN and read
			ks = append(ks, bk)
		}
	}
	return writeBackup(w, db.bureau, time.Now().UTC(), ks)
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
