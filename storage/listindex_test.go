package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// listHistory makes random histories of the records the indexes of lists
// are made of (issue 18), applied through Apply: projects created, handed
// to another officer (改 负责人), moved on a stage or 终止; tasks set,
// completed and reopened; items raised and resolved; visits, receptions
// and other activities recorded and moved to another company, project or
// kind; records deleted (删除); the last change undone (撤销, the reverse
// put); projects merged (合并: every task, item and activity of one moved
// to the other, which then goes) and companies merged (every activity
// moved).
type listHistory struct {
	t    testing.TB
	db   *storage.DB
	rng  *rand.Rand
	live map[string]zsbot.Record // by ID
	ids  []string                // every ID made, live or not
	last []zsbot.Put             // the last change, for an undo
	next int
}

var (
	listOfficers  = []string{"u1", "u2", "u3"}
	listCompanies = []string{"", "E1", "E2", "E3", "E4"}
	listStages    = []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageStarted, zsbot.StageOperating, zsbot.StageDropped}
	listKinds     = []zsbot.ActivityKind{zsbot.KindVisit, zsbot.KindVisit, zsbot.KindReception, zsbot.KindPromotion, zsbot.KindTalk}
)

func newListHistory(t testing.TB, db *storage.DB, seed uint64) *listHistory {
	return &listHistory{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 18)), live: map[string]zsbot.Record{}}
}

func (h *listHistory) day() zsbot.Date {
	return zsbot.NewDate(2023, time.January, 1).AddDays(h.rng.IntN(3 * 365))
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// of returns the live records of the prefix's kind, by ID.
func (h *listHistory) of(prefix byte) []zsbot.Record {
	var out []zsbot.Record
	for _, id := range h.ids {
		if r, ok := h.live[id]; ok && id[0] == prefix {
			out = append(out, r)
		}
	}
	return out
}

func (h *listHistory) project() string {
	ps := h.of('P')
	if len(ps) == 0 || h.rng.IntN(5) == 0 {
		return ""
	}
	return pick(h.rng, ps).RecordID()
}

func (h *listHistory) newID(prefix string) string {
	h.next++
	return fmt.Sprintf("%s%d", prefix, h.next)
}

// apply writes puts and keeps them for an undo.
func (h *listHistory) apply(puts []zsbot.Put) {
	h.t.Helper()
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", When: time.Unix(1, 0), Raw: "t"}, Puts: puts}
	if _, err := h.db.Apply(context.Background(), c); err != nil {
		h.t.Fatalf("apply %+v: %v", puts, err)
	}
	for _, p := range puts {
		if p.After == nil {
			delete(h.live, p.Before.RecordID())
		} else {
			if p.Before == nil && !slices.Contains(h.ids, p.After.RecordID()) {
				h.ids = append(h.ids, p.After.RecordID())
			}
			h.live[p.After.RecordID()] = p.After
		}
	}
	h.last = puts
}

// clone copies a record through JSON.
func clone[T any](r *T) *T {
	b, _ := json.Marshal(r)
	var out T
	json.Unmarshal(b, &out)
	return &out
}

// step applies one random change.
func (h *listHistory) step() {
	switch n := h.rng.IntN(100); {
	case n < 12 || len(h.of('P')) < 3:
		p := &zsbot.Project{ID: h.newID("P"), Name: "项目", Owner: pick(h.rng, listOfficers), Company: pick(h.rng, listCompanies),
			Stage: zsbot.StageTalking, CreatedOn: h.day()}
		h.apply([]zsbot.Put{{After: p}})
	case n < 24: // 改 负责人, a stage, 终止
		before := pick(h.rng, h.of('P')).(*zsbot.Project)
		after := clone(before)
		switch h.rng.IntN(3) {
		case 0:
			after.Owner = pick(h.rng, listOfficers)
		case 1:
			after.Stage = pick(h.rng, listStages)
			after.SignedOn = h.day()
		default:
			after.Stage, after.DroppedOn = zsbot.StageDropped, h.day()
		}
		if h.rng.IntN(4) == 0 {
			after.Company = pick(h.rng, listCompanies)
		}
		h.apply([]zsbot.Put{{Before: before, After: after}})
	case n < 36:
		if p := h.project(); p != "" {
			h.apply([]zsbot.Put{{After: &zsbot.Task{ID: h.newID("T"), Project: p, Text: "t", Due: h.day(), Assignee: pick(h.rng, listOfficers), CreatedOn: 20230101}}})
		}
	case n < 44: // 完成, or reopened
		if ts := h.of('T'); len(ts) > 0 {
			before := pick(h.rng, ts).(*zsbot.Task)
			after := clone(before)
			if after.DoneOn.IsZero() {
				after.DoneOn = h.day()
			} else {
				after.DoneOn = 0
			}
			h.apply([]zsbot.Put{{Before: before, After: after}})
		}
	case n < 50:
		if p := h.project(); p != "" {
			h.apply([]zsbot.Put{{After: &zsbot.Item{ID: h.newID("C"), Project: p, Text: "c", OpenedOn: h.day()}}})
		}
	case n < 54: // 解决
		if is := h.of('C'); len(is) > 0 {
			before := pick(h.rng, is).(*zsbot.Item)
			after := clone(before)
			after.ResolvedOn = h.day()
			h.apply([]zsbot.Put{{Before: before, After: after}})
		}
	case n < 72:
		a := &zsbot.Activity{ID: h.newID("A"), Kind: pick(h.rng, listKinds), Date: h.day(), Company: pick(h.rng, listCompanies), Project: h.project(), By: "u1"}
		h.apply([]zsbot.Put{{After: a}})
	case n < 80: // 改 an activity's company, project, kind or date
		if as := h.of('A'); len(as) > 0 {
			before := pick(h.rng, as).(*zsbot.Activity)
			after := clone(before)
			switch h.rng.IntN(4) {
			case 0:
				after.Company = pick(h.rng, listCompanies)
			case 1:
				after.Project = h.project()
			case 2:
				after.Kind = pick(h.rng, listKinds)
			default:
				after.Date = h.day()
			}
			h.apply([]zsbot.Put{{Before: before, After: after}})
		}
	case n < 86: // 删除
		var all []zsbot.Record
		for _, p := range []byte("PTCA") {
			all = append(all, h.of(p)...)
		}
		h.apply([]zsbot.Put{{Before: pick(h.rng, all)}})
	case n < 92: // 撤销
		if h.last != nil {
			undo := make([]zsbot.Put, len(h.last))
			for i, p := range h.last {
				undo[i] = zsbot.Put{Before: p.After, After: p.Before}
			}
			h.apply(undo)
			h.last = nil
		}
	case n < 96: // 合并 of projects
		ps := h.of('P')
		from, into := pick(h.rng, ps).(*zsbot.Project), pick(h.rng, ps).(*zsbot.Project)
		if from.ID == into.ID {
			return
		}
		var puts []zsbot.Put
		for _, id := range h.ids {
			switch r := h.live[id].(type) {
			case *zsbot.Task:
				if r.Project == from.ID {
					after := clone(r)
					after.Project = into.ID
					puts = append(puts, zsbot.Put{Before: r, After: after})
				}
			case *zsbot.Item:
				if r.Project == from.ID {
					after := clone(r)
					after.Project = into.ID
					puts = append(puts, zsbot.Put{Before: r, After: after})
				}
			case *zsbot.Activity:
				if r.Project == from.ID {
					after := clone(r)
					after.Project = into.ID
					puts = append(puts, zsbot.Put{Before: r, After: after})
				}
			}
		}
		h.apply(append(puts, zsbot.Put{Before: from}))
	default: // 合并 of companies
		from, into := pick(h.rng, listCompanies[1:]), pick(h.rng, listCompanies[1:])
		var puts []zsbot.Put
		for _, id := range h.ids {
			if a, ok := h.live[id].(*zsbot.Activity); ok && a.Company == from && from != into {
				after := clone(a)
				after.Company = into
				puts = append(puts, zsbot.Put{Before: a, After: after})
			}
		}
		if len(puts) > 0 {
			h.apply(puts)
		}
	}
}

// records returns the live records.
func (h *listHistory) records() []zsbot.Record {
	var out []zsbot.Record
	for _, id := range h.ids {
		if r, ok := h.live[id]; ok {
			out = append(out, r)
		}
	}
	return out
}

// checkLists fails the test when the indexes of lists differ from their
// recomputation from the records, or when what is read through them
// differs from what the full reads give (checkListReads).
func checkLists(t testing.TB, db *storage.DB, after string) {
	t.Helper()
	if d, err := db.CheckListIndexes(context.Background()); err != nil || len(d) != 0 {
		t.Fatalf("after %s: list indexes differ from the records: %q, %v", after, d, err)
	}
	checkListReads(t, db, after)
}

// checkListReads fails the test when what 我的 and 查 read through the
// indexes of lists differs from what the full reads of the records give.
func checkListReads(t testing.TB, db *storage.DB, after string) {
	t.Helper()
	ctx := context.Background()
	dump, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range listOfficers {
		all, err := db.OwnedProjects(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		var ordered []string
		counts := make([]int, len(listStages))
		for i, s := range listStages {
			for _, p := range all {
				if p.Stage == s {
					ordered = append(ordered, p.ID)
					counts[i]++
				}
			}
		}
		for from := 0; from <= len(ordered); from += 4 {
			o, err := db.OwnedPage(ctx, u, listStages, from, from+4)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range o.Projects {
				got = append(got, p.ID)
			}
			if want := ordered[from:min(from+4, len(ordered))]; o.Total != len(all) || !slices.Equal(o.ByStage, counts) || !slices.Equal(got, want) {
				t.Fatalf("after %s: %s's page from %d = %d %v %v, want %d %v %v", after, u, from, o.Total, o.ByStage, got, len(all), counts, want)
			}
		}
	}
	// 我的's tasks: an officer's open tasks due within 7 days of a day,
	// counted, the overdue ones counted, a page read.
	for _, u := range listOfficers {
		for _, today := range []zsbot.Date{20230101, 20240615, 20251231} {
			until := today.AddDays(7)
			all, err := db.OpenTasks(ctx, u, until)
			if err != nil {
				t.Fatal(err)
			}
			late := 0
			for _, t := range all {
				if t.Overdue(today) {
					late++
				}
			}
			for from := 0; from <= len(all); from += 5 {
				tp, err := db.OpenTasksPage(ctx, u, until, today, from, from+5)
				if err != nil {
					t.Fatal(err)
				}
				want := all[from:min(from+5, len(all))]
				if tp.Total != len(all) || tp.Late != late || !slices.EqualFunc(tp.Tasks, want, func(a, b *zsbot.Task) bool { return a.ID == b.ID }) {
					t.Fatalf("after %s: %s's tasks on %v from %d = %d, %d late, %d; want %d, %d late, %d", after, u, today, from, tp.Total, tp.Late, len(tp.Tasks), len(all), late, len(want))
				}
			}
		}
	}
	for _, p := range dump.Projects {
		ts, err := db.ProjectTasks(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		open, err := db.ProjectOpenTasks(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := slices.DeleteFunc(ts, func(t *zsbot.Task) bool { return !t.DoneOn.IsZero() }); !slices.EqualFunc(open, want, func(a, b *zsbot.Task) bool { return a.ID == b.ID }) {
			t.Fatalf("after %s: %s's open tasks differ", after, p.ID)
		}
		is, err := db.ProjectItems(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		openItems, err := db.ProjectOpenItems(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := slices.DeleteFunc(is, func(i *zsbot.Item) bool { return !i.ResolvedOn.IsZero() }); !slices.EqualFunc(openItems, want, func(a, b *zsbot.Item) bool { return a.ID == b.ID }) {
			t.Fatalf("after %s: %s's open items differ", after, p.ID)
		}
	}
	// A company card's counts: the activities that name the company or
	// one of its projects, each once.
	for _, co := range listCompanies[1:] {
		var ps []string
		for _, p := range dump.Projects {
			if p.Company == co {
				ps = append(ps, p.ID)
			}
		}
		var want zsbot.Contacts
		for _, a := range dump.Activities {
			if a.Date.IsZero() || (a.Company != co && !slices.Contains(ps, a.Project)) {
				continue
			}
			switch a.Kind {
			case zsbot.KindVisit:
				want.Visits++
			case zsbot.KindReception:
				want.Receptions++
			}
			want.Last = max(want.Last, a.Date)
		}
		got, err := db.CompanyContacts(ctx, co, ps)
		if err != nil || *got != want {
			t.Fatalf("after %s: %s's contacts = %+v, %v; want %+v", after, co, got, err, want)
		}
	}
}

// TestListIndexesExact is the exactness property of the indexes of lists
// (issue 18): random histories of creations, 改 of owner, stage, company
// and project, 终止, 完成, 解决, 删除, 撤销 and 合并 of projects and of
// companies, applied through Apply; after every few changes the indexes
// equal their recomputation from the records, and what 我的 and 查 read
// through them (a page of an officer's projects by stage, a page of their
// open tasks, a project's open tasks and items, a company's visits,
// receptions and last contact)
// equals what the full reads of the records give.
func TestListIndexesExact(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			db := mustDB(t)
			h := newListHistory(t, db, seed)
			for i := range 300 {
				h.step()
				if i%10 == 9 {
					checkLists(t, db, fmt.Sprintf("step %d", i))
				}
			}
		})
	}
}

// TestListIndexesLoadRestore checks the indexes of lists of a bureau made
// by Load, of one restored from a backup, and of one restored from a
// backup made before them (no entries, no mark): the first read builds
// them, exact.
func TestListIndexesLoadRestore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := mustDB(t)
	h := newListHistory(t, src, 7)
	for range 300 {
		h.step()
	}
	loaded := mustDB(t)
	if err := loaded.Load(ctx, h.records()); err != nil {
		t.Fatal(err)
	}
	checkLists(t, loaded, "Load")

	var backup bytes.Buffer
	if err := src.Backup(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	restored := mustDB(t)
	if _, err := restored.Restore(ctx, bytes.NewReader(backup.Bytes()), storage.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	checkLists(t, restored, "Restore")

	// A backup made before the indexes of lists: src without them.
	rdb := src.Client()
	keys, err := rdb.Keys(ctx, "zs:{test}:idx:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	dropped := 0
	for _, k := range keys {
		for _, f := range []string{"owner:s:", "task:po:", "item:po:", "activity:ck:", "activity:pk:", "activity:cpk:", "lists:built"} {
			if strings.HasPrefix(k, "zs:{test}:idx:"+f) {
				if err := rdb.Del(ctx, k).Err(); err != nil {
					t.Fatal(err)
				}
				dropped++
				break
			}
		}
	}
	if dropped == 0 {
		t.Fatal("no index of lists to drop: the test names the wrong keys")
	}
	backup.Reset()
	if err := src.Backup(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	// Restored over a bureau whose indexes were built and marked.
	if _, err := restored.Restore(ctx, bytes.NewReader(backup.Bytes()), storage.RestoreOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	if d, err := restored.CheckListIndexes(ctx); err != nil || len(d) == 0 {
		t.Fatalf("an old backup restored has its indexes of lists: %d differences, %v", len(d), err)
	}
	if _, err := restored.OwnedPage(ctx, "u1", listStages, 0, 8); err != nil {
		t.Fatal(err)
	}
	checkLists(t, restored, "Restore of an old backup and a read")
	if n, err := rdb.Exists(ctx, "zs:{test}:idx:lists:built").Result(); err != nil || n != 0 {
		t.Fatalf("src's mark: %d, %v", n, err)
	}
	if n, err := restored.Client().Exists(ctx, "zs:{test}:idx:lists:built").Result(); err != nil || n != 1 {
		t.Errorf("the read that built the indexes did not mark them built: %d, %v", n, err)
	}
}

// TestListIndexesBuild is the start-up backfill: records written before
// the indexes of lists (in the records hash alone) get their entries from
// BuildListIndexes while random changes are applied at the same time, on
// each topology; then the indexes equal their recomputation.
func TestListIndexesBuild(t *testing.T) {
	eachTopology(t, func(t *testing.T, top topology) {
		ctx := context.Background()
		src := mustDB(t)
		h := newListHistory(t, src, 11)
		for range 400 {
			h.step()
		}
		db := top.mustDB(t)
		for _, r := range h.records() {
			b, _ := json.Marshal(r)
			if err := db.Client().HSet(ctx, "zs:{test}:rec:"+string(r.RecordKind()), r.RecordID(), b).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if d, err := db.CheckListIndexes(ctx); err != nil || len(d) == 0 {
			t.Fatalf("records written behind Apply's back have their indexes: %d differences, %v", len(d), err)
		}
		h.db = db
		var wg sync.WaitGroup
		var built int
		var berr error
		wg.Go(func() { built, berr = db.BuildListIndexes(ctx) })
		for range 100 {
			h.step()
		}
		wg.Wait()
		if berr != nil || built == 0 {
			t.Fatalf("BuildListIndexes = %d, %v", built, berr)
		}
		checkLists(t, db, "the build")
		if n, err := db.BuildListIndexes(ctx); err != nil || n != 0 {
			t.Errorf("a second build went through %d records (%v); want none, marked", n, err)
		}
	})
}

// TestListIndexesEmbedded runs the histories on the embedded store (its
// scripts run in miniredis's Lua): exact after the changes, after a
// restart (its file loaded as a restore), and for records its file held
// from before the indexes, which the first read builds.
func TestListIndexesEmbedded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	h := newListHistory(t, e.DB, 5)
	for range 200 {
		h.step()
	}
	checkLists(t, e.DB, "the changes")
	// Records written behind Apply's back, as an older zsbot's file holds
	// them: in the records hash alone.
	old := &zsbot.Project{ID: "P900", Name: "旧项目", Owner: "u1", Stage: zsbot.StageDropped, CreatedOn: 20150101, DroppedOn: 20160101}
	b, _ := json.Marshal(old)
	if err := e.Client().HSet(ctx, "zs:{test}:rec:project", old.ID, b).Err(); err != nil {
		t.Fatal(err)
	}
	if err := e.Client().Del(ctx, "zs:{test}:idx:lists:built").Err(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	o, err := e.OwnedPage(ctx, "u1", listStages, 0, 1000)
	if err != nil || !slices.ContainsFunc(o.Projects, func(p *zsbot.Project) bool { return p.ID == "P900" }) {
		t.Fatalf("u1's projects after the restart lack the older P900: %+v, %v", o, err)
	}
	checkLists(t, e.DB, "a restart")
}

// TestListIndexesUnderOOM: a bureau whose indexes of lists are not built
// (records an older zsbot wrote) on a Redis that refuses writes (OOM)
// cannot build them; its reads still answer, from the records in full as
// before the indexes, the same as the full reads, and write nothing.
func TestListIndexesUnderOOM(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := redistest.Start(t, redistest.MemoryArgs("4mb")...)
	db := storage.New(srv.Client(t), "test")
	h := newListHistory(t, db, 3)
	for range 150 {
		h.step()
	}
	old := &zsbot.Project{ID: "P900", Name: "旧项目", Owner: "u1", Stage: zsbot.StageTalking, CreatedOn: 20150101}
	b, _ := json.Marshal(old)
	if err := db.Client().HSet(ctx, "zs:{test}:rec:project", old.ID, b).Err(); err != nil {
		t.Fatal(err)
	}
	// … with the index by owner an older zsbot kept.
	if err := db.Client().ZAdd(ctx, "zs:{test}:idx:owner:u1", redis.Z{Score: 20150101, Member: "P900"}).Err(); err != nil {
		t.Fatal(err)
	}
	// The index of activities by company, older, built (companyindex.go).
	if _, err := db.CompanyActivities(ctx, "E1"); err != nil {
		t.Fatal(err)
	}
	srv.Fill(t)
	if _, err := db.BuildListIndexes(ctx); storage.RefusalCause(err) != storage.CauseOOM {
		t.Fatalf("BuildListIndexes under OOM: %v, want refused", err)
	}
	before := snapshot(t, db)
	checkListReads(t, db, "OOM")
	o, err := db.OwnedPage(ctx, "u1", listStages, 0, 1)
	if err != nil || len(o.Projects) != 1 || o.Projects[0].ID != "P900" {
		t.Fatalf("u1's first project under OOM: %+v, %v; want the older P900", o, err)
	}
	if after := snapshot(t, db); after != before {
		t.Fatal("the reads under OOM changed the bureau's keys")
	}
	// Once memory is freed, the next read builds them.
	srv.Unfill(t)
	if _, err := db.OwnedPage(ctx, "u2", listStages, 0, 8); err != nil {
		t.Fatal(err)
	}
	checkLists(t, db, "memory freed and a read")
}
