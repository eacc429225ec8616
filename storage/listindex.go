package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The indexes of lists (issue 18) bound what 我的 and 查 read to what they
// show: an officer's projects by stage (idxOwnerStage), a project's open
// tasks and items (idxProjectOpenTasks, idxProjectOpenItems) and the
// visits and receptions by company, project and both (idxCompanyContacts
// and the like), counted with ZCARD. Apply and Load keep them with the
// others (indexesOf). The records written before them get their entries
// from BuildListIndexes: once at start-up (cmd/zsbot serve and console),
// which marks them built, and by the first read in a process that finds
// them unmarked (a restore of a backup made before them), which marks them
// only when it had to add entries, so that a read of a bureau kept by
// Apply from its start writes nothing. It adds every entry of every
// project, task, item and activity (adding an entry twice changes
// nothing), each while the record is still as it was read (indexadd.lua),
// and reads again the records changed meanwhile: a change made during the
// build, whose Apply left alone the entries that its before and after
// share, still ends with all of its record's entries. While Redis refuses
// writes, a read that cannot build them reads the records in full, as
// before them.
//
// An instance of an older build that writes while the indexes are built
// does not keep them: upgrade every instance before the first start.

// idxListsBuilt is the key that marks the indexes of lists built.
func idxListsBuilt() string { return "lists:built" }

// listKinds are the kinds of record the indexes of lists are made of.
var listKinds = []zsbot.Kind{zsbot.KindProject, zsbot.KindTask, zsbot.KindItem, zsbot.KindActivity}

// listBuildBatch is how many records one HSCAN of the build reads.
const listBuildBatch = 1000

// BuildListIndexes adds the index entries of every stored record of the
// kinds the indexes of lists are made of, unless the indexes are marked
// built, marks them built and returns how many records it went through (0
// when marked).
func (db *DB) BuildListIndexes(ctx context.Context) (int, error) {
	return db.buildLists(ctx, true)
}

// listsReady builds the indexes of lists for a read, unless this process
// saw them built, and reports whether they may be read. It marks them
// built only when it had to add entries: on a bureau whose records were
// all written by Apply or Load since, a read writes nothing. When they are
// not built and Redis refuses writes, it reports false (the caller reads
// the records in full, as before the indexes) rather than fail the read.
func (db *DB) listsReady(ctx context.Context) (bool, error) {
	_, err := db.buildLists(ctx, false)
	if err != nil && RefusalCause(err) != "" {
		return false, nil
	}
	return err == nil, err
}

func (db *DB) buildLists(ctx context.Context, mark bool) (int, error) {
	if db.listsBuilt.Load() {
		return 0, nil
	}
	key := db.k.index(idxListsBuilt())
	if n, err := db.rdb.Exists(ctx, key).Result(); err != nil {
		return 0, wrap("list indexes", err)
	} else if n == 1 {
		db.listsBuilt.Store(true)
		return 0, nil
	}
	records, added := 0, 0
	for _, kind := range listKinds {
		n, a, err := db.buildIndexesOf(ctx, kind)
		records, added = records+n, added+a
		if err != nil {
			return records, err
		}
	}
	if mark || added > 0 {
		if err := db.rdb.Set(ctx, key, "1", 0).Err(); err != nil {
			return records, wrap("list indexes mark", err)
		}
	}
	db.listsBuilt.Store(true)
	return records, nil
}

// buildIndexesOf adds the index entries of every record of kind and
// returns how many records it read and how many entries it added.
func (db *DB) buildIndexesOf(ctx context.Context, kind zsbot.Kind) (records, added int, err error) {
	hk := db.k.records(kind)
	var cursor uint64
	for {
		kv, next, err := db.rdb.HScan(ctx, hk, cursor, "", listBuildBatch).Result()
		if err != nil {
			return records, added, wrap("list indexes scan", err)
		}
		raw := make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			raw[kv[i]] = kv[i+1]
		}
		records += len(raw)
		// A record changed since it was read is read again, until each
		// has its entries added as it stands (or is gone).
		for len(raw) > 0 {
			n, changed, err := db.addIndexes(ctx, kind, raw)
			added += n
			if err != nil {
				return records, added, err
			}
			if len(changed) == 0 {
				break
			}
			vals, err := db.rdb.HMGet(ctx, hk, changed...).Result()
			if err != nil {
				return records, added, wrap("list indexes reread", err)
			}
			raw = make(map[string]string, len(changed))
			for i, v := range vals {
				if s, ok := v.(string); ok {
					raw[changed[i]] = s
				}
			}
		}
		if cursor = next; cursor == 0 {
			return records, added, nil
		}
	}
}

// addIndexes adds the entries of the records raw (ID to stored value) of
// kind in one script, each only while it is stored as given, and returns
// how many entries were new and the IDs of the records not stored as
// given.
func (db *DB) addIndexes(ctx context.Context, kind zsbot.Kind, raw map[string]string) (int, []string, error) {
	keys := []string{db.k.records(kind)}
	pos := map[string]int{} // an index's position in keys (from 1)
	args := make([]any, 0, 5*len(raw))
	for id, v := range raw {
		r := zsbot.NewRecord(kind)
		if err := json.Unmarshal([]byte(v), r); err != nil {
			return 0, nil, fmt.Errorf("storage: list indexes: %s %s: %w", kind, id, err)
		}
		es := indexesOf(r)
		args = append(args, id, v, len(es))
		for _, e := range es {
			k := db.k.index(e.name)
			if pos[k] == 0 {
				keys = append(keys, k)
				pos[k] = len(keys)
			}
			args = append(args, pos[k], int(e.score))
		}
	}
	res, err := indexAddScript.Run(ctx, db.rdb, keys, args...).Slice()
	if err != nil || len(res) == 0 {
		return 0, nil, wrap("list indexes add", err)
	}
	added, _ := res[0].(int64)
	changed := make([]string, 0, len(res)-1)
	for _, v := range res[1:] {
		if id, ok := v.(string); ok {
			changed = append(changed, id)
		}
	}
	return int(added), changed, nil
}

// OwnedPage counts userID's projects, in all (idxOwner) and in each of
// stages, and reads those at positions [from, to) of the stages' lists
// laid end to end.
func (db *DB) OwnedPage(ctx context.Context, userID string, stages []zsbot.Stage, from, to int) (*zsbot.Owned, error) {
	if ok, err := db.listsReady(ctx); err != nil {
		return nil, err
	} else if !ok {
		return db.ownedFromAll(ctx, userID, stages, from, to)
	}
	pipe := db.rdb.Pipeline()
	total := pipe.ZCard(ctx, db.k.index(idxOwner(userID)))
	counts := make([]*redis.IntCmd, len(stages))
	for i, s := range stages {
		counts[i] = pipe.ZCard(ctx, db.k.index(idxOwnerStage(userID, s)))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("owned", err)
	}
	o := &zsbot.Owned{Total: int(total.Val()), ByStage: make([]int, len(stages))}
	at := 0 // the position of stage i's first project
	for i, s := range stages {
		n := int(counts[i].Val())
		o.ByStage[i] = n
		lo, hi := max(from, at), min(to, at+n)
		if lo < hi {
			ps, err := rangeRecordsAt[zsbot.Project](ctx, db, zsbot.KindProject, idxOwnerStage(userID, s), minDate, maxDate, lo-at, hi-lo)
			if err != nil {
				return nil, err
			}
			o.Projects = append(o.Projects, ps...)
		}
		at += n
	}
	return o, nil
}

// ownedFromAll is OwnedPage from every project userID owns, when the
// indexes of lists cannot be built.
func (db *DB) ownedFromAll(ctx context.Context, userID string, stages []zsbot.Stage, from, to int) (*zsbot.Owned, error) {
	all, err := db.OwnedProjects(ctx, userID)
	if err != nil {
		return nil, err
	}
	o := &zsbot.Owned{Total: len(all), ByStage: make([]int, len(stages))}
	var ordered []*zsbot.Project
	for i, s := range stages {
		for _, p := range all {
			if p.Stage == s {
				ordered = append(ordered, p)
				o.ByStage[i]++
			}
		}
	}
	if from < to && from < len(ordered) {
		o.Projects = ordered[from:min(to, len(ordered))]
	}
	return o, nil
}

// ProjectOpenTasks returns a project's open tasks by due date.
func (db *DB) ProjectOpenTasks(ctx context.Context, project string) ([]*zsbot.Task, error) {
	if ok, err := db.listsReady(ctx); err != nil {
		return nil, err
	} else if !ok {
		ts, err := db.ProjectTasks(ctx, project)
		return slices.DeleteFunc(ts, func(t *zsbot.Task) bool { return !t.DoneOn.IsZero() }), err
	}
	return rangeRecords[zsbot.Task](ctx, db, zsbot.KindTask, idxProjectOpenTasks(project), minDate, maxDate, false, 0)
}

// ProjectOpenItems returns a project's open coordination items by opening
// date.
func (db *DB) ProjectOpenItems(ctx context.Context, project string) ([]*zsbot.Item, error) {
	if ok, err := db.listsReady(ctx); err != nil {
		return nil, err
	} else if !ok {
		is, err := db.ProjectItems(ctx, project)
		return slices.DeleteFunc(is, func(i *zsbot.Item) bool { return !i.ResolvedOn.IsZero() }), err
	}
	return rangeRecords[zsbot.Item](ctx, db, zsbot.KindItem, idxProjectOpenItems(project), minDate, maxDate, false, 0)
}

// CompanyContacts counts the visits and receptions that name company or
// one of projects, each once: those naming the company, plus each
// project's, less those of the project that name the company too. The
// latest date is the newest entry of the company's and the projects'
// indexes of activities; the company's newest entry is read to check that
// it still names the company (companyindex.go: its build may leave a
// stale entry), and the company's activities are read only when it does
// not.
func (db *DB) CompanyContacts(ctx context.Context, company string, projects []string) (*zsbot.Contacts, error) {
	if ok, err := db.listsReady(ctx); err != nil {
		return nil, err
	} else if !ok {
		return db.contactsFromAll(ctx, company, projects)
	}
	if err := db.buildCompanyIndex(ctx); err != nil {
		return nil, err
	}
	pipe := db.rdb.Pipeline()
	card := func(name string) *redis.IntCmd { return pipe.ZCard(ctx, db.k.index(name)) }
	newest := func(name string) *redis.ZSliceCmd { return pipe.ZRevRangeWithScores(ctx, db.k.index(name), 0, 0) }
	visits := []*redis.IntCmd{card(idxCompanyContacts(company, "v"))}
	receptions := []*redis.IntCmd{card(idxCompanyContacts(company, "r"))}
	var twice []*redis.IntCmd // visits and receptions counted for the company and a project
	own := newest(idxCompanyActivities(company))
	var latest []*redis.ZSliceCmd
	for _, p := range projects {
		visits = append(visits, card(idxProjectContacts(p, "v")))
		receptions = append(receptions, card(idxProjectContacts(p, "r")))
		twice = append(twice, card(idxCompanyProjectContacts(company, p, "v")), card(idxCompanyProjectContacts(company, p, "r")))
		latest = append(latest, newest(idxProjectActivities(p)))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("company contacts", err)
	}
	sum := func(cs []*redis.IntCmd) int {
		n := 0
		for _, c := range cs {
			n += int(c.Val())
		}
		return n
	}
	c := &zsbot.Contacts{Visits: sum(visits), Receptions: sum(receptions)}
	for i := range projects {
		c.Visits -= int(twice[2*i].Val())
		c.Receptions -= int(twice[2*i+1].Val())
	}
	for _, l := range latest {
		if z := l.Val(); len(z) == 1 && zsbot.Date(z[0].Score) > c.Last {
			c.Last = zsbot.Date(z[0].Score)
		}
	}
	if z := own.Val(); len(z) == 1 && zsbot.Date(z[0].Score) > c.Last {
		last, err := db.companyLast(ctx, company, z[0])
		if err != nil {
			return nil, err
		}
		c.Last = max(c.Last, last)
	}
	return c, nil
}

// contactsFromAll is CompanyContacts from the activities themselves, when
// the indexes of lists cannot be built.
func (db *DB) contactsFromAll(ctx context.Context, company string, projects []string) (*zsbot.Contacts, error) {
	acts, err := db.CompanyActivities(ctx, company)
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		more, err := db.ProjectActivities(ctx, p, 0)
		if err != nil {
			return nil, err
		}
		acts = append(acts, more...)
	}
	c := &zsbot.Contacts{}
	seen := map[string]bool{}
	for _, a := range acts {
		if seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		switch a.Kind {
		case zsbot.KindVisit:
			c.Visits++
		case zsbot.KindReception:
			c.Receptions++
		}
		c.Last = max(c.Last, a.Date)
	}
	return c, nil
}

// companyLast returns the date of the company's latest activity, given
// the newest entry of its index.
func (db *DB) companyLast(ctx context.Context, company string, newest redis.Z) (zsbot.Date, error) {
	id, _ := newest.Member.(string)
	if a, err := db.Activity(ctx, id); err == nil && a.Company == company && a.Date == zsbot.Date(newest.Score) {
		return a.Date, nil
	} else if err != nil && zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		return 0, err
	}
	acts, err := db.CompanyActivities(ctx, company)
	if err != nil || len(acts) == 0 {
		return 0, err
	}
	return acts[len(acts)-1].Date, nil
}

// OpenTasksPage counts assignee's open tasks due by until, and those due
// before today, with ZCOUNT, and reads those at positions [from, to).
func (db *DB) OpenTasksPage(ctx context.Context, assignee string, until, today zsbot.Date, from, to int) (*zsbot.TaskPage, error) {
	index := idxAssigneeTasks(assignee)
	pipe := db.rdb.Pipeline()
	total := pipe.ZCount(ctx, db.k.index(index), "-inf", strconv.Itoa(int(until)))
	late := pipe.ZCount(ctx, db.k.index(index), "-inf", "("+strconv.Itoa(int(min(today, until+1))))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("open tasks", err)
	}
	tp := &zsbot.TaskPage{Total: int(total.Val()), Late: int(late.Val())}
	if to = min(to, tp.Total); from < to {
		ts, err := rangeRecordsAt[zsbot.Task](ctx, db, zsbot.KindTask, index, minDate, until, from, to-from)
		if err != nil {
			return nil, err
		}
		tp.Tasks = ts
	}
	return tp, nil
}

// rangeRecordsAt returns n records of kind from position skip of the part
// of index scored in [lo, hi] (oldest first), in one round trip.
func rangeRecordsAt[T any](ctx context.Context, db *DB, kind zsbot.Kind, index string, lo, hi zsbot.Date, skip, n int) ([]*T, error) {
	vals, err := rangeScript.Run(ctx, db.rdb, []string{db.k.index(index), db.k.records(kind)},
		int(lo), int(hi), "0", n, strconv.Itoa(skip)).Slice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("range "+index, err)
	}
	return decodeAll[T](kind, vals)
}

// listFamilies are the prefixes of the names of the indexes of lists.
var listFamilies = []string{"owner:s:", "task:po:", "item:po:", "activity:ck:", "activity:pk:", "activity:cpk:"}

// isListIndex reports whether the index name is one of the indexes of lists.
func isListIndex(name string) bool {
	for _, f := range listFamilies {
		if strings.HasPrefix(name, f) {
			return true
		}
	}
	return false
}

// CheckListIndexes recomputes the indexes of lists from the records and
// returns the differences from the stored ones, one line each ("" none):
// an entry missing, one too many, or one of another score. It reads every
// record of their kinds: for tests and checks, not for a command.
func (db *DB) CheckListIndexes(ctx context.Context) ([]string, error) {
	want := map[string]map[string]float64{} // index name → member → score
	for _, kind := range listKinds {
		m, err := db.rdb.HGetAll(ctx, db.k.records(kind)).Result()
		if err != nil {
			return nil, wrap("check list indexes", err)
		}
		for id, v := range m {
			r := zsbot.NewRecord(kind)
			if err := json.Unmarshal([]byte(v), r); err != nil {
				return nil, fmt.Errorf("storage: check list indexes: %s %s: %w", kind, id, err)
			}
			for _, e := range indexesOf(r) {
				if isListIndex(e.name) {
					if want[e.name] == nil {
						want[e.name] = map[string]float64{}
					}
					want[e.name][id] = float64(e.score)
				}
			}
		}
	}
	got := map[string]map[string]float64{}
	for _, f := range listFamilies {
		ks, err := db.scan(ctx, db.k.index(f)+"*")
		if err != nil {
			return nil, wrap("check list indexes", err)
		}
		for _, k := range ks {
			name := strings.TrimPrefix(k, db.k.index(""))
			zs, err := db.rdb.ZRangeWithScores(ctx, k, 0, -1).Result()
			if err != nil {
				return nil, wrap("check list indexes", err)
			}
			got[name] = map[string]float64{}
			for _, z := range zs {
				got[name][z.Member.(string)] = z.Score
			}
		}
	}
	var diff []string
	for name, ms := range want {
		for id, score := range ms {
			if s, ok := got[name][id]; !ok {
				diff = append(diff, fmt.Sprintf("%s: %s missing", name, id))
			} else if s != score {
				diff = append(diff, fmt.Sprintf("%s: %s scored %v, want %v", name, id, s, score))
			}
		}
	}
	for name, ms := range got {
		for id := range ms {
			if _, ok := want[name][id]; !ok {
				diff = append(diff, fmt.Sprintf("%s: %s too many", name, id))
			}
		}
	}
	sort.Strings(diff)
	return diff, nil
}
