package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The figures' aggregates (zsbot/aggregate.go): per-day, per-month and
// per-year hashes of counters, kept by the apply script in the same run as
// the records, so they never disagree with what was acknowledged.
//
// Most counters follow from the put records alone (an activity, a task).
// A project's own counters — its signing, its size band over time, its
// start and conversion — depend on its 增资, and a payment's on whether its
// project is 市外; so a change that touches a project's signing, start,
// 市外 flag or 增资 reads the project's 增资 (and, when the flag changes,
// its payments) first, one more round trip, and checks in the script that
// what it read is still current (ECONFLICT otherwise, as for the records
// the handler read). 到位, 拜访 and the other everyday writes need no read.

// AggLayout is the version of the aggregates' layout. Start-up rebuilds
// the aggregates from the records when the stored version differs
// (MigrateAggregates); until then the figures are computed from the
// records.
const AggLayout = "3"

// aggKinds are the kinds of record the aggregates count.
var aggKinds = []zsbot.Kind{zsbot.KindProject, zsbot.KindIncrease, zsbot.KindPayment, zsbot.KindActivity, zsbot.KindTask}

// ErrNoAggregates says the aggregates are not (yet) built in the current
// layout: read the records instead.
var ErrNoAggregates = zsbot.ErrNoAggregates

// aggTouch is what a change does to one project.
type aggTouch struct {
	before, after zsbot.Project
	hasB, hasA    bool // the project exists before / after
	inChange      bool // the change puts the project
	incs          bool // the change puts one of its 增资
	pays          bool // … one of its payments
}

// projectFacts are the fields of a project its own counters depend on:
// its signingFacts and its start.
func projectFacts(p *zsbot.Project, ok bool) string {
	if !ok {
		return ""
	}
	return fmt.Sprint(signingFacts(p, ok), p.StartedOn)
}

// signingFacts are the fields of a project that its counters read
// together with its 增资.
func signingFacts(p *zsbot.Project, ok bool) string {
	if !ok {
		return ""
	}
	return fmt.Sprint(p.SignedOn, p.Signed, p.Amount, p.OutOfCity, p.Owner, "\x00", p.Park)
}

// noIncreases tells that a project has no 增资 before or after the change
// without reading them: the verbs keep Amount = Signed + every 增资 (each
// above 0), so Amount = Signed says there is none. A record of the older
// layout (Signed 0, Amount set) says nothing: its 增资 are read.
func noIncreases(t *aggTouch) bool {
	return (!t.hasB || t.before.Amount == t.before.Signed) && (!t.hasA || t.after.Amount == t.after.Signed)
}

// aggChangeOps adds to s the counter changes of c, reading first what the
// project counters depend on (see above).
func (db *DB) aggChangeOps(ctx context.Context, s *script, c *zsbot.Change) error {
	var deltas []zsbot.AggDelta
	touched := map[string]*aggTouch{}
	var order []string
	touch := func(id string) *aggTouch {
		t := touched[id]
		if t == nil {
			t = &aggTouch{}
			touched[id] = t
			order = append(order, id)
		}
		return t
	}
	var incPuts, payPuts, ownPuts []zsbot.Put
	inChange := map[string]bool{} // kind/id of every put
	for _, p := range c.Puts {
		r := p.After
		if r == nil {
			r = p.Before
		}
		inChange[string(r.RecordKind())+"/"+r.RecordID()] = true
		switch r.(type) {
		case *zsbot.Activity, *zsbot.Task:
			ownPuts = append(ownPuts, p)
			db.chainOps(s, p)
		case *zsbot.Project:
			t := touch(r.RecordID())
			t.inChange = true
			if b, ok := p.Before.(*zsbot.Project); ok && b != nil {
				t.before, t.hasB = *b, true
			}
			if a, ok := p.After.(*zsbot.Project); ok && a != nil {
				t.after, t.hasA = *a, true
			}
			db.unitOps(s, p.Before, p.After)
		case *zsbot.Increase:
			incPuts = append(incPuts, p)
			for _, z := range []zsbot.Record{p.Before, p.After} {
				if z, ok := z.(*zsbot.Increase); ok && z != nil {
					touch(z.Project).incs = true
				}
			}
		case *zsbot.Payment:
			payPuts = append(payPuts, p)
			for _, f := range []zsbot.Record{p.Before, p.After} {
				if f, ok := f.(*zsbot.Payment); ok && f != nil {
					touch(f.Project).pays = true
				}
			}
		}
	}
	// What to read: the projects the change does not put, the 增资 of each
	// project whose counters change, the payments of each whose 市外 flag
	// does.
	var readProjects, readIncs, readPays, readKids, known []string
	for _, id := range order {
		t := touched[id]
		if !t.inChange {
			readProjects = append(readProjects, id)
			if t.incs {
				readIncs = append(readIncs, id)
			}
			continue
		}
		switch {
		case t.incs:
			readIncs = append(readIncs, id)
		case projectFacts(&t.before, t.hasB) == projectFacts(&t.after, t.hasA):
		case signingFacts(&t.before, t.hasB) == signingFacts(&t.after, t.hasA) || noIncreases(t):
			// Only the start changed (its counters do not depend on the 增资),
			// or the project has none: no read (签约 and 开工 stay at two
			// round trips).
			known = append(known, id)
		default:
			readIncs = append(readIncs, id)
		}
		if t.hasB && (!t.hasA || t.before.OutOfCity != t.after.OutOfCity || t.before.Owner != t.after.Owner || t.before.Park != t.after.Park) {
			readPays = append(readPays, id)
		}
		switch {
		case t.hasB && t.hasA && t.before.Park != t.after.Park:
			readKids = append(readKids, id) // its activities and tasks count under its park: moved
		case !t.hasB && t.hasA && t.after.Park != "":
			// A new project has no activity or task yet (they name a project
			// that exists): the script checks there is none.
			s.check(db.k.index(idxProjectActivities(id)), zcardField, []byte("0"))
			s.check(db.k.index(idxProjectTasks(id)), zcardField, []byte("0"))
		}
	}
	stored, err := db.aggReads(ctx, s, inChange, readProjects, readIncs, readPays, readKids)
	if err != nil {
		return err
	}
	for _, id := range readProjects {
		t := touched[id]
		if p := stored.projects[id]; p != nil {
			t.before, t.after, t.hasB, t.hasA = *p, *p, true, true
		}
	}
	project := func(id string, after bool) *zsbot.Project {
		t := touched[id]
		switch {
		case after && t.hasA:
			return &t.after
		case !after && t.hasB:
			return &t.before
		}
		return nil
	}
	for _, id := range readIncs {
		before := stored.incs[id]
		after := make([]*zsbot.Increase, 0, len(before)+1)
		for _, z := range before {
			if !inChange[string(zsbot.KindIncrease)+"/"+z.ID] {
				after = append(after, z)
			}
		}
		for _, p := range incPuts {
			if z, ok := p.After.(*zsbot.Increase); ok && z != nil && z.Project == id {
				after = append(after, z)
			}
		}
		deltas = append(deltas, zsbot.NetDeltas(zsbot.ProjectAgg(project(id, false), before), zsbot.ProjectAgg(project(id, true), after))...)
	}
	for _, id := range known {
		deltas = append(deltas, zsbot.NetDeltas(zsbot.ProjectAgg(project(id, false), nil), zsbot.ProjectAgg(project(id, true), nil))...)
	}
	for _, p := range payPuts {
		var minus, plus []zsbot.AggDelta
		if f, ok := p.Before.(*zsbot.Payment); ok && f != nil {
			minus = zsbot.PaymentAgg(f, project(f.Project, false))
		}
		if f, ok := p.After.(*zsbot.Payment); ok && f != nil {
			plus = zsbot.PaymentAgg(f, project(f.Project, true))
		}
		deltas = append(deltas, zsbot.NetDeltas(minus, plus)...)
	}
	for _, id := range readPays {
		for _, f := range stored.pays[id] {
			if !inChange[string(zsbot.KindPayment)+"/"+f.ID] {
				deltas = append(deltas, zsbot.NetDeltas(zsbot.PaymentAgg(f, project(id, false)), zsbot.PaymentAgg(f, project(id, true)))...)
			}
		}
	}
	// Activities and tasks count under their project's park: known here
	// when the change puts the project (as it was before and as it will be
	// after), else read by the script from the projects' units (aggp).
	var templated []zsbot.AggDelta
	side := func(r zsbot.Record, after bool, sign int64) []zsbot.AggDelta {
		var out []zsbot.AggDelta
		for _, d := range zsbot.AggOf(r) {
			d.N *= sign
			switch t := touched[d.Project]; {
			case d.Project == "":
				out = append(out, d)
			case t != nil && t.inChange:
				park := ""
				if p := project(d.Project, after); p != nil {
					park = p.Park
				}
				out = append(out, d.Resolve(park))
			default:
				templated = append(templated, d)
			}
		}
		return out
	}
	for _, p := range ownPuts {
		minus, plus := side(p.Before, false, -1), side(p.After, true, 1)
		deltas = append(deltas, zsbot.NetDeltas(nil, append(minus, plus...))...)
	}
	for _, id := range readKids {
		t := touched[id]
		for _, r := range stored.kids[id] {
			if inChange[string(r.RecordKind())+"/"+r.RecordID()] {
				continue
			}
			for _, d := range zsbot.AggOf(r) {
				if d.Project == id {
					deltas = append(deltas, zsbot.NetDeltas([]zsbot.AggDelta{d.Resolve(t.before.Park)}, []zsbot.AggDelta{d.Resolve(t.after.Park)})...)
				}
			}
		}
	}
	for _, d := range zsbot.NetDeltas(nil, deltas) {
		n := strconv.FormatInt(d.N, 10)
		for _, b := range zsbot.AggBuckets(d.Field, d.Day) {
			s.op("HINCR", db.k.agg(b), d.Field, n)
		}
	}
	for _, d := range templated {
		b := zsbot.AggBuckets(d.Field, d.Day)
		s.op("PINCR", db.k.agg(b[0]), s.key(db.k.agg(b[1])), s.key(db.k.agg(b[2])), s.key(db.k.aggUnits()), d.Project, d.Field, strconv.FormatInt(d.N, 10))
	}
	return nil
}

// zcardField in a check compares the size of a sorted set instead of a
// hash field (apply.lua).
const zcardField = "\x00#"

// chainOps moves a visit in its company's chain when its company or day
// changes (apply.lua VDEL, VADD).
func (db *DB) chainOps(s *script, p zsbot.Put) {
	b, _ := p.Before.(*zsbot.Activity)
	a, _ := p.After.(*zsbot.Activity)
	cb, ca := zsbot.ChainCompany(b), zsbot.ChainCompany(a)
	if cb == ca && (cb == "" || b.Date == a.Date) {
		return
	}
	prefix := db.k.agg("")
	if cb != "" {
		s.op("VDEL", db.k.aggChain(cb), b.ID, prefix)
	}
	if ca != "" {
		s.op("VADD", db.k.aggChain(ca), a.ID, strconv.Itoa(int(a.Date)), prefix)
	}
}

// unitOps keeps a project's owner and park in the units hash.
func (db *DB) unitOps(s *script, before, after zsbot.Record) {
	ub, ua := unitOf(before), unitOf(after)
	switch {
	case ub == ua:
	case ua == "":
		s.op("HDEL", db.k.aggUnits(), before.RecordID())
	default:
		s.op("HSET", db.k.aggUnits(), after.RecordID(), ua)
	}
}

func unitOf(r zsbot.Record) string {
	if p, ok := r.(*zsbot.Project); ok && p != nil {
		return p.Owner + "\t" + p.Park
	}
	return ""
}

// aggStored is what aggReads read.
type aggStored struct {
	projects map[string]*zsbot.Project
	incs     map[string][]*zsbot.Increase
	pays     map[string][]*zsbot.Payment
	kids     map[string][]zsbot.Record // a project's activities and tasks
}

// aggReads reads the projects, and the 增资 and payments of projects, that
// a change's counters depend on, in one round trip (none when there is
// nothing to read), and adds a check of each record read (not put by the
// change itself) to s, so the script refuses to write (ECONFLICT) if any of
// them changed since.
func (db *DB) aggReads(ctx context.Context, s *script, inChange map[string]bool, projects, incs, pays, kids []string) (*aggStored, error) {
	out := &aggStored{projects: map[string]*zsbot.Project{}, incs: map[string][]*zsbot.Increase{}, pays: map[string][]*zsbot.Payment{},
		kids: map[string][]zsbot.Record{}}
	if len(projects)+len(incs)+len(pays)+len(kids) == 0 {
		return out, nil
	}
	pipe := db.rdb.Pipeline()
	var cp *redis.SliceCmd
	if len(projects) > 0 {
		cp = pipe.HMGet(ctx, db.k.records(zsbot.KindProject), projects...)
	}
	ranges := func(ids []string, index func(string) string, kind zsbot.Kind) []*redis.Cmd {
		cmds := make([]*redis.Cmd, len(ids))
		for i, id := range ids {
			// The index's records in one script (range.lua), sent whole: a
			// pipeline cannot fall back from EVALSHA.
			cmds[i] = rangeScript.Eval(ctx, pipe, []string{db.k.index(index(id)), db.k.records(kind)}, int(minDate), int(maxDate), "0", -1)
		}
		return cmds
	}
	ci := ranges(incs, idxProjectIncreases, zsbot.KindIncrease)
	cf := ranges(pays, idxProjectPayments, zsbot.KindPayment)
	ca := ranges(kids, idxProjectActivities, zsbot.KindActivity)
	ct := ranges(kids, idxProjectTasks, zsbot.KindTask)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("aggregates read", err)
	}
	check := func(kind zsbot.Kind, id string, raw string) {
		if !inChange[string(kind)+"/"+id] {
			s.check(db.k.records(kind), id, []byte(raw))
		}
	}
	if cp != nil {
		for i, raw := range cp.Val() {
			if v, ok := raw.(string); ok {
				check(zsbot.KindProject, projects[i], v)
				p, err := decodeJSON[zsbot.Project](v)
				if err != nil {
					return nil, fmt.Errorf("storage: decode project: %w", err)
				}
				out.projects[p.ID] = p
			}
		}
	}
	for _, c := range ci {
		vals, _ := c.Slice()
		for _, raw := range vals {
			if v, ok := raw.(string); ok {
				z, err := decodeJSON[zsbot.Increase](v)
				if err != nil {
					return nil, fmt.Errorf("storage: decode increase: %w", err)
				}
				check(zsbot.KindIncrease, z.ID, v)
				out.incs[z.Project] = append(out.incs[z.Project], z)
			}
		}
	}
	// A project's activities and tasks, read whole: the script checks that
	// none was added or changed since.
	for i, id := range kids {
		for _, k := range []struct {
			c     *redis.Cmd
			index string
			kind  zsbot.Kind
		}{{ca[i], idxProjectActivities(id), zsbot.KindActivity}, {ct[i], idxProjectTasks(id), zsbot.KindTask}} {
			vals, _ := k.c.Slice()
			s.check(db.k.index(k.index), zcardField, []byte(strconv.Itoa(len(vals))))
			for _, raw := range vals {
				v, ok := raw.(string)
				if !ok {
					continue
				}
				r := zsbot.NewRecord(k.kind)
				if err := json.Unmarshal([]byte(v), r); err != nil {
					return nil, fmt.Errorf("storage: decode %s: %w", k.kind, err)
				}
				check(k.kind, r.RecordID(), v)
				out.kids[id] = append(out.kids[id], r)
			}
		}
	}
	for _, c := range cf {
		vals, _ := c.Slice()
		for _, raw := range vals {
			if v, ok := raw.(string); ok {
				f, err := decodeJSON[zsbot.Payment](v)
				if err != nil {
					return nil, fmt.Errorf("storage: decode payment: %w", err)
				}
				check(zsbot.KindPayment, f.ID, v)
				out.pays[f.Project] = append(out.pays[f.Project], f)
			}
		}
	}
	return out, nil
}

// Aggregates reads what the figures of the given periods need from the
// aggregates (zsbot.AggKeys), in one round trip (with units, the counters
// by owner too: each names its officer and park). It returns
// ErrNoAggregates while the aggregates are not built in this layout.
func (db *DB) Aggregates(ctx context.Context, units bool, periods ...[2]zsbot.Date) (*zsbot.AggData, error) {
	seen := map[string]bool{}
	var names []string
	for _, p := range periods {
		for _, k := range zsbot.AggKeys(p[0], p[1], units) {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	pipe := db.rdb.Pipeline()
	version := pipe.Get(ctx, db.k.aggVersion())
	cmds := make([]*redis.MapStringStringCmd, len(names))
	for i, n := range names {
		cmds[i] = pipe.HGetAll(ctx, db.k.agg(n))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("aggregates", err)
	}
	if version.Val() != AggLayout {
		return nil, ErrNoAggregates
	}
	d := &zsbot.AggData{Buckets: make(map[string]map[string]int64, len(names))}
	for i, c := range cmds {
		h, err := counters(c.Val())
		if err != nil {
			return nil, err
		}
		d.Buckets[names[i]] = h
	}
	return d, nil
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
