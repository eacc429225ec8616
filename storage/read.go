package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// get reads one record of kind by ID into a new T.
func get[T any](ctx context.Context, db *DB, kind zsbot.Kind, id string) (*T, error) {
	b, err := db.rdb.HGet(ctx, db.k.records(kind), id).Result()
	if errors.Is(err, redis.Nil) {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "未找到 %s。", id)
	} else if err != nil {
		return nil, wrap("get "+string(kind)+" "+id, err)
	}
	return decodeRecord[T](kind, id, b)
}

// decodeRecord decodes the stored JSON of the record kind/id into a new T.
func decodeRecord[T any](kind zsbot.Kind, id, raw string) (*T, error) {
	v, err := decodeJSON[T](raw)
	if err != nil {
		return nil, fmt.Errorf("storage: decode %s %s: %w", kind, id, err)
	}
	return v, nil
}

// getMany reads records of kind by ID in one HMGET, skipping missing ones
// and keeping the order of ids.
func getMany[T any](ctx context.Context, db *DB, kind zsbot.Kind, ids []string) ([]*T, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	vals, err := db.rdb.HMGet(ctx, db.k.records(kind), ids...).Result()
	if err != nil {
		return nil, wrap("get "+string(kind), err)
	}
	return decodeAll[T](kind, vals)
}

// all reads every record of kind.
func all[T any](ctx context.Context, db *DB, kind zsbot.Kind) ([]*T, error) {
	m, err := db.rdb.HGetAll(ctx, db.k.records(kind)).Result()
	if err != nil {
		return nil, wrap("all "+string(kind), err)
	}
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sortIDs(ids)
	vals := make([]any, len(ids))
	for i, id := range ids {
		vals[i] = m[id]
	}
	return decodeAll[T](kind, vals)
}

// sortIDs orders IDs like P2 < P10 (by prefix, then number), others by text.
func sortIDs(ids []string) {
	sort.Slice(ids, func(i, j int) bool { return zsbot.LessID(ids[i], ids[j]) })
}

// Person returns a registered person by WeCom userid.
func (db *DB) Person(ctx context.Context, userID string) (*zsbot.Person, error) {
	return get[zsbot.Person](ctx, db, zsbot.KindPerson, userID)
}

// People returns every registered person.
func (db *DB) People(ctx context.Context) ([]*zsbot.Person, error) {
	return all[zsbot.Person](ctx, db, zsbot.KindPerson)
}

// Project returns a project by ID.
func (db *DB) Project(ctx context.Context, id string) (*zsbot.Project, error) {
	return get[zsbot.Project](ctx, db, zsbot.KindProject, id)
}

// Projects returns the projects with the given IDs, skipping missing ones.
func (db *DB) Projects(ctx context.Context, ids []string) ([]*zsbot.Project, error) {
	return getMany[zsbot.Project](ctx, db, zsbot.KindProject, ids)
}

// Company returns a company by ID.
func (db *DB) Company(ctx context.Context, id string) (*zsbot.Company, error) {
	return get[zsbot.Company](ctx, db, zsbot.KindCompany, id)
}

// Task returns a task by ID.
func (db *DB) Task(ctx context.Context, id string) (*zsbot.Task, error) {
	return get[zsbot.Task](ctx, db, zsbot.KindTask, id)
}

// Item returns a coordination item by ID.
func (db *DB) Item(ctx context.Context, id string) (*zsbot.Item, error) {
	return get[zsbot.Item](ctx, db, zsbot.KindItem, id)
}

// Activity returns an activity by ID.
func (db *DB) Activity(ctx context.Context, id string) (*zsbot.Activity, error) {
	return get[zsbot.Activity](ctx, db, zsbot.KindActivity, id)
}

// Payment returns a payment by ID.
func (db *DB) Payment(ctx context.Context, id string) (*zsbot.Payment, error) {
	return get[zsbot.Payment](ctx, db, zsbot.KindPayment, id)
}

// Increase returns an 增资 by ID.
func (db *DB) Increase(ctx context.Context, id string) (*zsbot.Increase, error) {
	return get[zsbot.Increase](ctx, db, zsbot.KindIncrease, id)
}

// Group returns a notice group by name.
func (db *DB) Group(ctx context.Context, name string) (*zsbot.Group, error) {
	return get[zsbot.Group](ctx, db, zsbot.KindGroup, name)
}

// Groups returns every notice group.
func (db *DB) Groups(ctx context.Context) ([]*zsbot.Group, error) {
	return all[zsbot.Group](ctx, db, zsbot.KindGroup)
}

// Parks returns the bureau's list of parks.
func (db *DB) Parks(ctx context.Context) ([]*zsbot.Park, error) {
	return all[zsbot.Park](ctx, db, zsbot.KindPark)
}

// Targets returns the targets of year.
// It reads the year's from their index once the aggregates' migration
// (which fills that index for older targets) has run, else every target.
func (db *DB) Targets(ctx context.Context, wanted int) ([]*zsbot.Target, error) {
	year := wanted
	pipe := db.rdb.Pipeline()
	version := pipe.Get(ctx, db.k.aggVersion())
	// One round trip: the script goes whole (a pipeline cannot fall back
	// from EVALSHA); it is a few hundred bytes.
	ofYear := rangeScript.Eval(ctx, pipe, []string{db.k.index(idxTargets()), db.k.records(zsbot.KindTarget)}, year, year, "0", -1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("targets", err)
	}
	var ts []*zsbot.Target
	var err error
	if version.Val() == AggLayout {
		vals, _ := ofYear.Slice()
		if ts, err = decodeAll[zsbot.Target](zsbot.KindTarget, vals); err == nil {
			slices.SortFunc(ts, func(a, b *zsbot.Target) int { return strings.Compare(a.RecordID(), b.RecordID()) })
		}
	} else {
		ts, err = all[zsbot.Target](ctx, db, zsbot.KindTarget)
	}
	if err != nil {
		return nil, err
	}
	out := ts[:0]
	for _, t := range ts {
		if t.Year == wanted {
			out = append(out, t)
		}
	}
	return out, nil
}

// Names returns every project and company in the compact form used to
// resolve names, in one round trip (a Unit answers from the directory
// Begin brought up to date). Callers must not modify the slices.
func (db *DB) Names(ctx context.Context) (projects, companies []zsbot.NameRef, err error) {
	pipe := db.rdb.Pipeline()
	p := pipe.HGetAll(ctx, db.k.names(zsbot.KindProject))
	c := pipe.HGetAll(ctx, db.k.names(zsbot.KindCompany))
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, nil, wrap("names", err)
	}
	if projects, err = nameRefs(p.Val()); err != nil {
		return nil, nil, err
	}
	companies, err = nameRefs(c.Val())
	return projects, companies, err
}

func nameRefs(m map[string]string) ([]zsbot.NameRef, error) {
	out := make([]zsbot.NameRef, 0, len(m))
	for id, v := range m {
		var r nameRef
		if err := json.Unmarshal([]byte(v), &r); err != nil {
			return nil, fmt.Errorf("storage: decode name %s: %w", id, err)
		}
		out = append(out, zsbot.NameRef{ID: id, Name: r.Name, Aliases: r.Aliases, Company: r.Company, Stage: r.Stage})
	}
	sort.Slice(out, func(i, j int) bool { return zsbot.LessID(out[i].ID, out[j].ID) })
	return out, nil
}

// rangeRecords returns the records of kind whose index entries are scored
// in [from, to], in score order (newest first when rev), at most limit (0:
// all), in one round trip.
func rangeRecords[T any](ctx context.Context, db *DB, kind zsbot.Kind, index string, from, to zsbot.Date, rev bool, limit int) ([]*T, error) {
	order, count := "0", -1
	if rev {
		order = "1"
	}
	if limit > 0 {
		count = limit
	}
	vals, err := rangeScript.Run(ctx, db.rdb, []string{db.k.index(index), db.k.records(kind)},
		int(from), int(to), order, count).Slice()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("range "+index, err)
	}
	return decodeAll[T](kind, vals)
}

const (
	minDate zsbot.Date = 0
	maxDate zsbot.Date = 99991231
)

// ProjectActivities returns a project's latest n activities, newest first.
func (db *DB) ProjectActivities(ctx context.Context, project string, n int) ([]*zsbot.Activity, error) {
	return rangeRecords[zsbot.Activity](ctx, db, zsbot.KindActivity, idxProjectActivities(project), minDate, maxDate, true, n)
}

// ProjectPayments returns a project's payments by date.
func (db *DB) ProjectPayments(ctx context.Context, project string) ([]*zsbot.Payment, error) {
	return rangeRecords[zsbot.Payment](ctx, db, zsbot.KindPayment, idxProjectPayments(project), minDate, maxDate, false, 0)
}

// ProjectIncreases returns a project's 增资 by date, from their index by
// project; a store whose aggregates are not built yet (the migration that
// fills that index has not run) is searched through every 增资.
func (db *DB) ProjectIncreases(ctx context.Context, project string) ([]*zsbot.Increase, error) {
	v, err := db.rdb.Get(ctx, db.k.aggVersion()).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, wrap("project increases", err)
	}
	if v == AggLayout {
		return rangeRecords[zsbot.Increase](ctx, db, zsbot.KindIncrease, idxProjectIncreases(project), minDate, maxDate, false, 0)
	}
	all, err := rangeRecords[zsbot.Increase](ctx, db, zsbot.KindIncrease, idxIncrease(), minDate, maxDate, false, 0)
	if err != nil {
		return nil, err
	}
	var out []*zsbot.Increase
	for _, z := range all {
		if z.Project == project {
			out = append(out, z)
		}
	}
	return out, nil
}

// ProjectTasks returns a project's tasks by due date.
func (db *DB) ProjectTasks(ctx context.Context, project string) ([]*zsbot.Task, error) {
	return rangeRecords[zsbot.Task](ctx, db, zsbot.KindTask, idxProjectTasks(project), minDate, maxDate, false, 0)
}

// ProjectItems returns a project's coordination items by opening date.
func (db *DB) ProjectItems(ctx context.Context, project string) ([]*zsbot.Item, error) {
	return rangeRecords[zsbot.Item](ctx, db, zsbot.KindItem, idxProjectItems(project), minDate, maxDate, false, 0)
}

// OwnedProjects returns the projects owned by userID, oldest first.
func (db *DB) OwnedProjects(ctx context.Context, userID string) ([]*zsbot.Project, error) {
	return rangeRecords[zsbot.Project](ctx, db, zsbot.KindProject, idxOwner(userID), minDate, maxDate, false, 0)
}

// OpenTasks returns open tasks due on or before until, by due date; an empty
// assignee means everyone's.
func (db *DB) OpenTasks(ctx context.Context, assignee string, until zsbot.Date) ([]*zsbot.Task, error) {
	index := idxOpenTasks()
	if assignee != "" {
		index = idxAssigneeTasks(assignee)
	}
	return rangeRecords[zsbot.Task](ctx, db, zsbot.KindTask, index, minDate, until, false, 0)
}

// OpenItems returns every open coordination item, oldest first.
func (db *DB) OpenItems(ctx context.Context) ([]*zsbot.Item, error) {
	return rangeRecords[zsbot.Item](ctx, db, zsbot.KindItem, idxOpenItems(), minDate, maxDate, false, 0)
}
