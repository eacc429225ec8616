package storage

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// RebuildAggregates recomputes the aggregates — the counters, the visit
// chains, the projects' owners and parks, the 增资 index per project and
// the targets' index by year (the last two, indexes the migration fills) —
// from the records and returns how the stored ones differ (empty: they
// agree). With write it then replaces the stored ones by the recomputed
// ones and marks them built in this layout (AggLayout), in one MULTI that
// runs only if no command wrote meanwhile (WATCH on the audit stream, which
// every write appends to; retried). Without write it reads the records and
// the aggregates apart: a write between the two shows as a difference (run
// it again).
func (db *DB) RebuildAggregates(ctx context.Context, write bool) ([]string, error) {
	if !write {
		want, err := db.expectedAggregates(ctx, db.rdb)
		if err != nil {
			return nil, err
		}
		got, err := db.storedAggregates(ctx)
		if err != nil {
			return nil, err
		}
		return want.diff(got), nil
	}
	var diffs []string
	for range 5 {
		err := db.rdb.Watch(ctx, func(tx *redis.Tx) error {
			want, err := db.expectedAggregates(ctx, tx)
			if err != nil {
				return err
			}
			got, err := db.storedAggregates(ctx)
			if err != nil {
				return err
			}
			diffs = want.diff(got)
			_, err = tx.TxPipelined(ctx, func(pipe redis.Pipeliner) error {
				for _, k := range got.keys {
					pipe.Del(ctx, k)
				}
				for name, h := range want.buckets {
					vals := make([]any, 0, 2*len(h))
					for f, n := range h {
						vals = append(vals, f, n)
					}
					pipe.HSet(ctx, db.k.agg(name), vals...)
				}
				for co, ids := range want.chains {
					zs := make([]redis.Z, len(ids))
					for i, m := range ids {
						zs[i] = redis.Z{Score: float64(m.day), Member: m.id}
					}
					pipe.ZAdd(ctx, db.k.aggChain(co), zs...)
				}
				if len(want.units) > 0 {
					vals := make([]any, 0, 2*len(want.units))
					for p, u := range want.units {
						vals = append(vals, p, u)
					}
					pipe.HSet(ctx, db.k.aggUnits(), vals...)
				}
				for p, zs := range want.incs {
					pipe.ZAdd(ctx, db.k.index(idxProjectIncreases(p)), zs...)
				}
				if len(want.targets) > 0 {
					pipe.ZAdd(ctx, db.k.index(idxTargets()), want.targets...)
				}
				pipe.Set(ctx, db.k.aggVersion(), AggLayout, 0)
				return nil
			})
			return err
		}, db.k.audit())
		if errors.Is(err, redis.TxFailedErr) {
			continue // a command wrote meanwhile: read again
		}
		if err != nil {
			return nil, wrap("rebuild aggregates", err)
		}
		return diffs, nil
	}
	return nil, fmt.Errorf("storage: rebuild aggregates: commands kept writing; try again when it is quieter")
}

// MigrateAggregates builds the aggregates from the records when they are
// not built in this layout (a store from before it, or a restore of one),
// and reports whether it did. Until it has, the figures read the records.
func (db *DB) MigrateAggregates(ctx context.Context) (bool, error) {
	v, err := db.rdb.Get(ctx, db.k.aggVersion()).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return false, wrap("aggregates version", err)
	}
	if v == AggLayout {
		return false, nil
	}
	_, err = db.RebuildAggregates(ctx, true)
	return err == nil, err
}

// aggState is the aggregates, as stored or as the records make them.
type aggState struct {
	buckets map[string]map[string]int64
	chains  map[string][]chainMember // by company, in chain order
	units   map[string]string        // project → "owner\tpark"
	incs    map[string][]redis.Z     // project → its 增资 (expected only)
	targets []redis.Z                // every target by year (expected only)
	version string
	keys    []string // the stored keys (stored only)
}

type chainMember struct {
	id  string
	day zsbot.Date
}

// expectedAggregates computes the aggregates from the records, read with c.
func (db *DB) expectedAggregates(ctx context.Context, c redis.Cmdable) (*aggState, error) {
	var recs []zsbot.Record
	rawTargets, err := c.HVals(ctx, db.k.records(zsbot.KindTarget)).Result()
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	targets, err := decodeAll[zsbot.Target](zsbot.KindTarget, toAny(rawTargets))
	if err != nil {
		return nil, err
	}
	for _, kind := range aggKinds {
		raw, err := c.HVals(ctx, db.k.records(kind)).Result()
		if err != nil {
			return nil, wrap("rebuild aggregates", err)
		}
		rs, err := decodeRecords(kind, raw)
		if err != nil {
			return nil, err
		}
		recs = append(recs, rs...)
	}
	w := &aggState{buckets: zsbot.ExpectedBuckets(recs), chains: map[string][]chainMember{},
		units: map[string]string{}, incs: map[string][]redis.Z{}, version: AggLayout}
	for _, t := range targets {
		w.targets = append(w.targets, redis.Z{Score: float64(t.Year), Member: t.RecordID()})
	}
	visits := map[string][]*zsbot.Activity{}
	for _, r := range recs {
		switch r := r.(type) {
		case *zsbot.Project:
			w.units[r.ID] = unitOf(r)
		case *zsbot.Increase:
			w.incs[r.Project] = append(w.incs[r.Project], redis.Z{Score: float64(r.Date), Member: r.ID})
		case *zsbot.Activity:
			if co := zsbot.ChainCompany(r); co != "" {
				visits[co] = append(visits[co], r)
			}
		}
	}
	for co, vs := range visits {
		zsbot.SortChain(vs)
		for _, v := range vs {
			w.chains[co] = append(w.chains[co], chainMember{v.ID, v.Date})
		}
	}
	return w, nil
}

// decodeRecords decodes the stored values of one kind.
func decodeRecords(kind zsbot.Kind, raw []string) ([]zsbot.Record, error) {
	vals := toAny(raw)
	var out []zsbot.Record
	add := func(n int, err error, at func(int) zsbot.Record) error {
		if err != nil {
			return err
		}
		for i := range n {
			out = append(out, at(i))
		}
		return nil
	}
	var err error
	switch kind {
	case zsbot.KindProject:
		rs, e := decodeAll[zsbot.Project](kind, vals)
		err = add(len(rs), e, func(i int) zsbot.Record { return rs[i] })
	case zsbot.KindIncrease:
		rs, e := decodeAll[zsbot.Increase](kind, vals)
		err = add(len(rs), e, func(i int) zsbot.Record { return rs[i] })
	case zsbot.KindPayment:
		rs, e := decodeAll[zsbot.Payment](kind, vals)
		err = add(len(rs), e, func(i int) zsbot.Record { return rs[i] })
	case zsbot.KindActivity:
		rs, e := decodeAll[zsbot.Activity](kind, vals)
		err = add(len(rs), e, func(i int) zsbot.Record { return rs[i] })
	case zsbot.KindTask:
		rs, e := decodeAll[zsbot.Task](kind, vals)
		err = add(len(rs), e, func(i int) zsbot.Record { return rs[i] })
	}
	return out, err
}

// storedAggregates reads the stored aggregates.
func (db *DB) storedAggregates(ctx context.Context) (*aggState, error) {
	g := &aggState{buckets: map[string]map[string]int64{}, chains: map[string][]chainMember{}, units: map[string]string{}}
	buckets, err := db.scan(ctx, db.k.aggPattern())
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	chains, err := db.scan(ctx, db.k.aggChainPattern())
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	incs, err := db.scan(ctx, db.k.index(idxProjectIncreases("*")))
	if err != nil {
		return nil, wrap("rebuild aggregates", err)
	}
	g.keys = append(append(append(append(g.keys, buckets...), chains...), incs...), db.k.aggUnits())
	pipe := db.rdb.Pipeline()
	hs := make([]*redis.MapStringStringCmd, len(buckets))
	for i, k := range buckets {
		hs[i] = pipe.HGetAll(ctx, k)
	}
	zs := make([]*redis.ZSliceCmd, len(chains))
	for i, k := range chains {
		zs[i] = pipe.ZRangeWithScores(ctx, k, 0, -1)
	}
	units := pipe.HGetAll(ctx, db.k.aggUnits())
	version := pipe.Get(ctx, db.k.aggVersion())
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("rebuild aggregates", err)
	}
	prefix := db.k.agg("")
	for i, k := range buckets {
		if g.buckets[strings.TrimPrefix(k, prefix)], err = counters(hs[i].Val()); err != nil {
			return nil, err
		}
	}
	for i, k := range chains {
		co := strings.TrimPrefix(k, db.k.aggChain(""))
		for _, z := range zs[i].Val() {
			g.chains[co] = append(g.chains[co], chainMember{z.Member.(string), zsbot.Date(z.Score)})
		}
	}
	g.units = units.Val()
	g.version = version.Val()
	return g, nil
}

// diff lists how got differs from the expected w, one line each, sorted.
func (w *aggState) diff(got *aggState) []string {
	out := zsbot.DiffBuckets(w.buckets, got.buckets)
	show := func(ms []chainMember) string {
		parts := make([]string, len(ms))
		for i, m := range ms {
			parts[i] = m.id + "@" + strconv.Itoa(int(m.day))
		}
		return strings.Join(parts, " ")
	}
	for co, ms := range w.chains {
		if a, b := show(ms), show(got.chains[co]); a != b {
			out = append(out, "拜访链 "+co+": 应为 "+a+"，存 "+b)
		}
	}
	for co, ms := range got.chains {
		if _, ok := w.chains[co]; !ok && len(ms) > 0 {
			out = append(out, "拜访链 "+co+": 应为空，存 "+show(ms))
		}
	}
	for p, u := range w.units {
		if got.units[p] != u {
			out = append(out, fmt.Sprintf("项目归属 %s: 应为 %q，存 %q", p, u, got.units[p]))
		}
	}
	for p, u := range got.units {
		if _, ok := w.units[p]; !ok {
			out = append(out, fmt.Sprintf("项目归属 %s: 应为空，存 %q", p, u))
		}
	}
	if got.version != w.version {
		out = append(out, fmt.Sprintf("版本: 应为 %q，存 %q", w.version, got.version))
	}
	sort.Strings(out)
	return out
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
