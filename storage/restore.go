package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"

	"github.com/redis/go-redis/v9"
)

// RestoreOptions says how Restore takes a backup.
type RestoreOptions struct {
	// Replace lets Restore replace the keys of a bureau that has data;
	// without it Restore refuses such a bureau.
	Replace bool
	// AsBureau takes a backup of that other bureau, its keys renamed into
	// this one; without it Restore refuses another bureau's file.
	AsBureau string
	// Warn, when set, receives what an operator should know of a file
	// that Restore accepts (one of the old format, without a trailer).
	Warn func(msg string)
}

// stageTTL bounds how long the keys of a restore that never finished
// stay staged; the next restore removes them anyway.
const stageTTL = 24 * time.Hour

// Restore loads a backup into the bureau and returns the number of keys
// it now holds from it.
//
// It reads and checks the whole file first — format, bureau, every line,
// the trailer's count and checksum — and refuses a faulty one with a
// *BackupError naming the line, before it touches Redis. It then loads the
// keys under staging names in the bureau's restore area (in the bureau's
// hash tag, so in its Cluster slot; invisible to scanKeys, so to backups
// and to the next restore, which removes any that an interrupted restore
// left), and swaps them in with one script (lua/restore_swap.lua): it
// checks every staged key and the directory's keys before its first write,
// then deletes the old keys, renames the staged ones into place with their
// TTLs and moves the directory's version forward. Redis runs a script
// whole, and writes its effects to the AOF and to replicas as one
// transaction, so a crash or an error anywhere leaves the bureau with its
// old keys or with the backup's, never a mix.
//
// The company name claims, an index of the companies (nameclaim.go), are
// rebuilt from the records restored and staged with them.
//
// Keys that a running zsbot writes between Restore's scan of the old keys
// and the swap, and that the backup lacks, stay: stop zsbot serve first.
func (db *DB) Restore(ctx context.Context, r io.Reader, opt RestoreOptions) (int, error) {
	f, err := readBackup(r, db.k, db.bureau, opt.AsBureau)
	if err != nil {
		return 0, fmt.Errorf("storage: restore: %w", err)
	}
	if opt.Warn != nil {
		for _, w := range f.warnings {
			opt.Warn(w)
		}
	}
	existing, err := db.scanKeys(ctx)
	if err != nil {
		return 0, err
	}
	if len(existing) > 0 && !opt.Replace {
		return 0, fmt.Errorf("storage: restore: bureau %q already has %d keys; restore into an empty store or replace them", db.bureau, len(existing))
	}
	if err := db.clearStaged(ctx); err != nil {
		return 0, err
	}
	run, err := newRun()
	if err != nil {
		return 0, err
	}
	staged, err := db.stage(ctx, run, withClaims(db.k, f.keys))
	if err == nil {
		err = db.swap(ctx, run, existing, staged)
		// A backup made before the indexes of lists has no mark: the next
		// read builds them (listindex.go).
		db.listsBuilt.Store(false)
	}
	if err != nil {
		// Best effort: the next restore removes what is left.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		db.delKeys(cctx, stagedNames(db.k, run, staged))
		cancel()
		return 0, err
	}
	return len(staged), nil
}

// newRun names one restore's staging area.
func newRun() (string, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("storage: restore: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}

// stage loads ks under their staging names of run, each with stageTTL,
// and returns the keys staged: all but empty streams, which Redis keeps
// only as long as they are written, so a restore leaves them absent.
func (db *DB) stage(ctx context.Context, run string, ks []*backupKey) ([]*backupKey, error) {
	var staged []*backupKey
	pipe := db.rdb.Pipeline()
	for _, bk := range ks {
		if bk.Type == "stream" && len(bk.Stream) == 0 {
			continue
		}
		k := db.k.restoreStage(run, bk.Key)
		switch bk.Type {
		case "string":
			pipe.Set(ctx, k, bk.String, 0)
		case "hash":
			pipe.HSet(ctx, k, bk.Hash)
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
		}
		pipe.PExpire(ctx, k, stageTTL)
		staged = append(staged, bk)
		if pipe.Len() >= bulkBatch {
			if _, err := pipe.Exec(ctx); err != nil {
				return staged, wrap("restore: stage", err)
			}
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return staged, wrap("restore: stage", err)
	}
	return staged, nil
}

// swap runs restore_swap.lua: the old keys go, the keys staged in run
// take their final names.
func (db *DB) swap(ctx context.Context, run string, old []string, staged []*backupKey) error {
	keys := make([]string, 0, 5+len(old)+2*len(staged))
	keys = append(append(keys, dirKeys(db.k)...), old...)
	args := make([]any, 0, 1+len(staged))
	args = append(args, len(old))
	for _, bk := range staged {
		keys = append(keys, db.k.restoreStage(run, bk.Key), bk.Key)
		args = append(args, bk.TTLms)
	}
	if err := restoreSwapScript.Run(ctx, db.rdb, keys, args...).Err(); err != nil {
		return wrap("restore: swap", err)
	}
	return nil
}

// stagedNames returns the staging names of keys in run.
func stagedNames(k keys, run string, ks []*backupKey) []string {
	out := make([]string, len(ks))
	for i, bk := range ks {
		out[i] = k.restoreStage(run, bk.Key)
	}
	return out
}

// clearStaged removes what interrupted restores left staged.
func (db *DB) clearStaged(ctx context.Context) error {
	left, err := db.scan(ctx, db.k.restoreArea()+"*")
	if err != nil {
		return err
	}
	return db.delKeys(ctx, left)
}

// delKeys deletes keys of the bureau in batches.
func (db *DB) delKeys(ctx context.Context, ks []string) error {
	for len(ks) > 0 {
		n := min(len(ks), bulkBatch)
		if err := db.rdb.Del(ctx, ks[:n]...).Err(); err != nil {
			return wrap("restore: clear staged keys", err)
		}
		ks = ks[n:]
	}
	return nil
}
