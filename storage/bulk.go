package storage

import (
	"context"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// bulkBatch is how many records one pipeline of Load carries.
const bulkBatch = 5000

// Load writes new records straight into the bureau's keys — records, names,
// name claims and date indexes, exactly as Apply would — in pipelines of a few thousand,
// without audit entries, checks or ID allocation. It is for generating
// benchmark data and for one-off backfills into an empty bureau; commands
// always go through Apply. Each kind's ID counter is raised to the highest
// ID loaded ("P120" raises seq:project to 120), so that the commands after
// a Load allocate above the loaded records instead of over them. The
// figures' aggregates are then rebuilt from every record
// (RebuildAggregates): load a bureau in one call.
func (db *DB) Load(ctx context.Context, recs []zsbot.Record) error {
	// Once the directory is in use (directory.go), the loaded people,
	// companies and projects go into its log under a new version; before,
	// its first use logs every record anyway.
	var dirVersion int64
	if n, err := db.rdb.Exists(ctx, db.k.dirVersion()).Result(); err != nil {
		return wrap("bulk load", err)
	} else if n == 1 {
		if dirVersion, err = db.rdb.Incr(ctx, db.k.dirVersion()).Result(); err != nil {
			return wrap("bulk load", err)
		}
	}
	top := map[zsbot.Kind]int64{}
	for _, r := range recs {
		if n, ok := loadedNumber(r); ok && n > top[r.RecordKind()] {
			top[r.RecordKind()] = n
		}
	}
	for len(recs) > 0 {
		n := min(len(recs), bulkBatch)
		pipe := db.rdb.Pipeline()
		for _, r := range recs[:n] {
			db.loadOne(ctx, pipe, r)
			if m := dirMember(r.RecordKind(), r.RecordID()); m != "" && dirVersion > 0 {
				pipe.ZAdd(ctx, db.k.dirLog(), redis.Z{Score: float64(dirVersion), Member: m})
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return wrap("bulk load", err)
		}
		recs = recs[n:]
	}
	for kind, n := range top {
		if err := seqRaiseScript.Run(ctx, db.rdb, []string{db.k.seq(kind)}, n).Err(); err != nil {
			return wrap("bulk load", err)
		}
	}
	_, err := db.RebuildAggregates(ctx, true)
	return err
}

// loadedNumber returns the number of a record's ID of its kind's form ("P12":
// 12); ok is false for kinds keyed by name and for IDs of another form.
func loadedNumber(r zsbot.Record) (n int64, ok bool) {
	prefix := r.RecordKind().IDPrefix()
	rest, found := strings.CutPrefix(r.RecordID(), prefix)
	if prefix == "" || !found {
		return 0, false
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && n > 0
}

func (db *DB) loadOne(ctx context.Context, pipe redis.Pipeliner, r zsbot.Record) {
	kind, id := r.RecordKind(), r.RecordID()
	pipe.HSet(ctx, db.k.records(kind), id, encode(r))
	if ref := nameRefOf(r); ref != nil {
		pipe.HSet(ctx, db.k.names(kind), id, ref)
	}
	if k := companyKey(r); k != "" {
		pipe.HSetNX(ctx, db.k.nameClaims(), k, id)
	}
	for _, e := range indexesOf(r) {
		pipe.ZAdd(ctx, db.k.index(e.name), redis.Z{Score: float64(e.score), Member: id})
	}
}
