package storage

import (
	"context"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The figures' aggregates (zsbot.AggDeltas): per-day and per-month hashes
// of counters, kept by the apply script in the same run as the records
// (HINCR), so they never disagree with what was acknowledged.

// aggOps adds the counter changes of a put to s: each delta to its day's
// and its month's bucket.
func (db *DB) aggOps(s *script, before, after zsbot.Record) {
	for _, d := range zsbot.AggDeltas(before, after) {
		n := strconv.FormatInt(d.N, 10)
		for _, b := range zsbot.AggBuckets(d.Field, d.Day) {
			s.op("HINCR", db.k.agg(b), d.Field, n)
		}
	}
}

// AggTotals returns the activity measures of [from, to] from the
// aggregates: the bureau's and, with unit, each unit's (a park, an officer:
// resolved from the projects as they are now and the officers named in the
// counters). It reads, in one round trip, the counts and the companies
// visited of each whole year, whole month and remaining day (and with unit
// the companies per officer and project), and with unit the projects the
// counters name in one more.
func (db *DB) AggTotals(ctx context.Context, from, to zsbot.Date, unit zsbot.Unit) (*zsbot.AggTotals, map[string]*zsbot.AggTotals, error) {
	families := []string{"n:", "c:"}
	if unit != nil {
		families = append(families, "u:")
	}
	pipe := db.rdb.Pipeline()
	var cmds []*redis.MapStringStringCmd
	for _, b := range zsbot.AggSpan(from, to) {
		for _, f := range families {
			cmds = append(cmds, pipe.HGetAll(ctx, db.k.agg(f+b)))
		}
	}
	buckets := make([]map[string]int64, len(cmds))
	if len(cmds) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, nil, wrap("aggregates", err)
		}
	}
	for i, c := range cmds {
		h, err := counters(c.Val())
		if err != nil {
			return nil, nil, err
		}
		buckets[i] = h
	}
	if unit == nil {
		b, _ := zsbot.SumBuckets(buckets, nil)
		return b, nil, nil
	}
	projects := map[string]*zsbot.Project{}
	if ids := zsbot.AggProjects(buckets); len(ids) > 0 {
		ps, err := db.Projects(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range ps {
			projects[p.ID] = p
		}
	}
	b, units := zsbot.SumBuckets(buckets, func(project, user string) string { return unit(projects[project], user) })
	return b, units, nil
}

func counters(raw map[string]string) (map[string]int64, error) {
	h := make(map[string]int64, len(raw))
	for f, v := range raw {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, wrap("aggregates", err)
		}
		h[f] = n
	}
	return h, nil
}

// RebuildAggregates recomputes the aggregates from the activity records
// and returns how the stored ones differ (empty: they agree). With write,
// it then replaces the stored buckets by the recomputed ones. The read of
// the records and of the buckets is not one snapshot: run it while no
// command writes (a difference seen under writes may be a write between
// the two reads; run it again).
func (db *DB) RebuildAggregates(ctx context.Context, write bool) ([]string, error) {
	raw, err := db.rdb.HVals(ctx, db.k.records(zsbot.KindActivity)).Result()
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	acts, err := decodeAll[zsbot.Activity](zsbot.KindActivity, toAny(raw))
	if err != nil {
		return nil, err
	}
	want := zsbot.ExpectedBuckets(acts)
	keys, err := db.scan(ctx, db.k.aggPattern())
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	got := map[string]map[string]int64{}
	prefix := db.k.agg("")
	for _, k := range keys {
		h, err := db.rdb.HGetAll(ctx, k).Result()
		if err != nil {
			return nil, wrap("rebuild aggregates", err)
		}
		if got[strings.TrimPrefix(k, prefix)], err = counters(h); err != nil {
			return nil, err
		}
	}
	diffs := zsbot.DiffBuckets(want, got)
	if !write || len(diffs) == 0 {
		return diffs, nil
	}
	pipe := db.rdb.TxPipeline()
	for _, k := range keys {
		pipe.Del(ctx, k)
	}
	for name, h := range want {
		vals := make([]any, 0, 2*len(h))
		for f, n := range h {
			vals = append(vals, f, n)
		}
		pipe.HSet(ctx, db.k.agg(name), vals...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	return diffs, nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
