package storage_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

func mustApply(tb testing.TB, db *storage.DB, c *zsbot.Change) string {
	tb.Helper()
	id, err := db.Apply(context.Background(), c)
	if err != nil {
		tb.Fatalf("apply: %v", err)
	}
	return id
}

func newProject(id string, signed zsbot.Date) *zsbot.Project {
	return &zsbot.Project{ID: id, Name: "项目" + id, Owner: "zhangsan", Stage: zsbot.StageSigned,
		CreatedOn: 20240101, SignedOn: signed, Amount: 51 * zsbot.Yi, Signed: 51 * zsbot.Yi, OutOfCity: true}
}

func TestApply(t *testing.T) { eachTopology(t, testApply) }

func testApply(t *testing.T, top topology) {
	ctx := context.Background()
	db := top.mustDB(t)
	p := newProject("P1", 20241220)
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "签约 P1 51亿", Project: "P1"}}
	c.Add(nil, p)
	mustApply(t, db, c)

	t.Run("Read", func(t *testing.T) {
		got, err := db.Project(ctx, "P1")
		if err != nil || got.Amount != 51*zsbot.Yi || got.SignedOn != 20241220 {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
	t.Run("NotFound", func(t *testing.T) {
		_, err := db.Project(ctx, "P9")
		if zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Fatalf("err = %v, want ENOTFOUND", err)
		}
	})
	t.Run("ConflictWritesNothing", func(t *testing.T) {
		// The second put's Before is stale: the whole change must be refused,
		// including the first put (a new company) and the audit entry.
		stale := *p
		stale.Amount = 1
		after := *p
		after.Stage = zsbot.StageStarted
		after.StartedOn = 20250301
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", Raw: "开工"}}
		c.Add(nil, &zsbot.Company{ID: "E1", Name: "诺比侃"})
		c.Add(&stale, &after)
		_, err := db.Apply(ctx, c)
		if zsbot.ErrorCode(err) != zsbot.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
		if _, err := db.Company(ctx, "E1"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Fatalf("company written despite conflict: %v", err)
		}
		l, _ := db.Ledger(ctx, 20250101, 20251231)
		if len(l.Started) != 0 {
			t.Fatalf("index written despite conflict: %v", l.Started)
		}
		log, _ := db.AuditLog(ctx)
		if len(log) != 1 {
			t.Fatalf("audit entries = %d, want 1", len(log))
		}
	})
	t.Run("CreateTwiceConflicts", func(t *testing.T) {
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan"}}
		c.Add(nil, newProject("P1", 20241221))
		if _, err := db.Apply(ctx, c); zsbot.ErrorCode(err) != zsbot.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
	})
	t.Run("IndexesMoveWithTheRecord", func(t *testing.T) {
		before, _ := db.Project(ctx, "P1")
		after := *before
		after.SignedOn = 20250105
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", Raw: "改 P1 签约日期 2025-01-05"}}
		c.Add(before, &after)
		mustApply(t, db, c)
		l24, _ := db.Ledger(ctx, 20240101, 20241231)
		l25, _ := db.Ledger(ctx, 20250101, 20251231)
		if len(l24.Signed) != 0 || len(l25.Signed) != 1 || l25.Projects["P1"].SignedOn != 20250105 {
			t.Fatalf("2024 %v, 2025 %v", l24.Signed, l25.Signed)
		}
	})
	t.Run("UndoRevertsAndPops", func(t *testing.T) {
		last, err := db.LastUndoable(ctx, "zhangsan")
		if err != nil || last.Raw != "改 P1 签约日期 2025-01-05" {
			t.Fatalf("last undoable = %+v, %v", last, err)
		}
		cur, _ := db.Project(ctx, "P1")
		var prev zsbot.Project
		if err := jsonDecode(last.Changes[0].Before, &prev); err != nil {
			t.Fatal(err)
		}
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", Raw: "撤销", Undoes: last.ID}, UndoOf: last.ID}
		c.Add(cur, &prev)
		mustApply(t, db, c)
		got, _ := db.Project(ctx, "P1")
		if got.SignedOn != 20241220 {
			t.Fatalf("after undo signed on %v", got.SignedOn)
		}
		// The same undo cannot be applied twice.
		if _, err := db.Apply(ctx, c); zsbot.ErrorCode(err) != zsbot.ECONFLICT {
			t.Fatalf("second undo: %v", err)
		}
		next, err := db.LastUndoable(ctx, "zhangsan")
		if err != nil || next.Raw != "签约 P1 51亿" {
			t.Fatalf("next undoable = %+v, %v", next, err)
		}
		h, err := db.History(ctx, "P1", 10)
		if err != nil || len(h.Entries) != 3 || h.Total != 3 || h.Entries[0].Raw != "撤销" {
			t.Fatalf("history = %+v, %v", h, err)
		}
	})
}

func TestLedgerPeriod(t *testing.T) { eachTopology(t, testLedgerPeriod) }

func testLedgerPeriod(t *testing.T, top topology) {
	ctx := context.Background()
	db := top.mustDB(t)
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "u"}}
	for i, d := range []zsbot.Date{20231231, 20240101, 20240315, 20241231, 20250101} {
		id := fmt.Sprintf("P%d", i+1)
		c.Add(nil, newProject(id, d))
		c.Add(nil, &zsbot.Payment{ID: fmt.Sprintf("F%d", i+1), Project: id, Date: d, Amount: zsbot.Yi})
		c.Add(nil, &zsbot.Activity{ID: fmt.Sprintf("A%d", i+1), Kind: zsbot.KindVisit, Date: d, By: "u"})
	}
	mustApply(t, db, c)
	l, err := db.Ledger(ctx, 20240101, 20241231)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Signed) != 3 || len(l.Payments) != 3 || len(l.Activities) != 3 {
		t.Fatalf("signed %v payments %d activities %d, want 3 each", l.Signed, len(l.Payments), len(l.Activities))
	}
	for _, p := range l.Payments {
		if l.Projects[p.Project] == nil {
			t.Fatalf("payment %s refers to a project missing from the ledger", p.ID)
		}
	}
}

func TestNextIDConcurrent(t *testing.T) { eachTopology(t, testNextIDConcurrent) }

func testNextIDConcurrent(t *testing.T, top topology) {
	db := top.mustDB(t)
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				id, err := db.NextID(context.Background(), zsbot.KindTask)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(seen) != 400 || !seen["T1"] || !seen["T400"] {
		t.Fatalf("got %d ids", len(seen))
	}
}

func TestUnavailable(t *testing.T) { eachTopology(t, testUnavailable) }

func testUnavailable(t *testing.T, top topology) {
	d := top.start(t)
	db := d.db(t, "test")
	d.kill()
	_, err := db.Project(context.Background(), "P1")
	if zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
		t.Fatalf("err = %v (code %q), want EUNAVAILABLE", err, zsbot.ErrorCode(err))
	}
}
