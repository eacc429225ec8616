package storage_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// begin claims delivery id for user, failing the test unless this call
// owns it.
func begin(tb testing.TB, db *storage.DB, id, user string, reserve zsbot.Kind) *storage.Unit {
	tb.Helper()
	u, prev, err := db.Begin(context.Background(), storage.Claim{Delivery: id, TTL: time.Hour, User: user, Reserve: reserve})
	if err != nil || prev != nil || u == nil {
		tb.Fatalf("Begin(%s) = %v, %+v, %v; want ours", id, u, prev, err)
	}
	return u
}

func visit(who, id string, p *zsbot.Project) *zsbot.Change {
	c := &zsbot.Change{Audit: zsbot.Audit{Who: who, When: time.Unix(1, 0), Raw: "拜访 " + id}}
	c.Add(nil, &zsbot.Activity{ID: id, Kind: zsbot.KindVisit, Date: 20241216, By: who})
	if p != nil {
		after := *p
		after.FollowedOn = 20241216
		c.Add(p, &after)
	}
	return c
}

func TestUnit(t *testing.T) { eachTopology(t, testUnit) }

func testUnit(t *testing.T, top topology) {
	db := top.mustDB(t)
	ctx := context.Background()
	p := newProject("P1", 20241220)
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: p}, {After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true}}}})

	t.Run("CommitWritesChangeAndRecord", func(t *testing.T) {
		u := begin(t, db, "m:1", "zhangsan", zsbot.KindActivity)
		person, _, err := u.Session(ctx, "zhangsan")
		if err != nil || person == nil || person.Name != "张三" {
			t.Fatalf("Session in the unit = %+v, %v", person, err)
		}
		id, err := u.NextID(ctx, zsbot.KindActivity)
		if err != nil || id != "A1" {
			t.Fatalf("NextID in the unit = %q, %v; want the reserved A1", id, err)
		}
		if _, err := u.Apply(ctx, visit("zhangsan", id, p)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Client().HGet(ctx, "zs:{test}:rec:activity", "A1").Result(); err == nil {
			t.Fatal("Apply in a unit wrote before Commit")
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "已记录拜访 A1", Passive: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Project(ctx, "P1"); err != nil || got.FollowedOn != 20241216 {
			t.Fatalf("after Commit the project is %+v, %v", got, err)
		}
		d, err := db.GetDelivery(ctx, "m:1")
		if err != nil || !d.Done || d.Reply != "已记录拜访 A1" || !d.Passive {
			t.Fatalf("record %+v, %v", d, err)
		}
		msgs, _ := db.Client().XRange(ctx, "zs:{test}:audit", "-", "+").Result()
		if last := msgs[len(msgs)-1]; last.Values["m"] != "m:1" {
			t.Fatalf("the audit entry does not name its delivery: %v", last.Values)
		}
		if _, prev, err := db.Begin(ctx, storage.Claim{Delivery: "m:1", TTL: time.Hour}); err != nil || prev == nil || !prev.Done {
			t.Fatalf("a retry after Commit = %+v, %v; want the finished record", prev, err)
		}
	})

	t.Run("ConflictWritesNothing", func(t *testing.T) {
		u := begin(t, db, "m:2", "zhangsan", "")
		stale := *p // FollowedOn moved on since: the change must be refused
		if _, err := u.Apply(ctx, visit("zhangsan", "A100", &stale)); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "已记录"}, time.Now()); zsbot.ErrorCode(err) != zsbot.ECONFLICT {
			t.Fatalf("Commit of a stale change: %v, want ECONFLICT", err)
		}
		if _, err := db.Client().HGet(ctx, "zs:{test}:rec:activity", "A100").Result(); err == nil {
			t.Fatal("a refused change was written")
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "记录刚被他人修改，请重试。"}, time.Now()); err != nil {
			t.Fatalf("second Commit with the refusal: %v", err)
		}
		if d, _ := db.GetDelivery(ctx, "m:2"); d == nil || !d.Done || d.Reply != "记录刚被他人修改，请重试。" {
			t.Fatalf("record %+v", d)
		}
	})

	t.Run("ReleaseGivesBackAndForgets", func(t *testing.T) {
		u := begin(t, db, "m:3", "zhangsan", zsbot.KindActivity)
		if _, err := u.NextID(ctx, zsbot.KindActivity); err != nil {
			t.Fatal(err)
		}
		if err := u.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetDelivery(ctx, "m:3"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Fatalf("after Release: %v", err)
		}
		if id, _ := db.NextID(ctx, zsbot.KindActivity); id != "A2" {
			t.Fatalf("the unused reserved ID was not given back: next is %s, want A2", id)
		}
	})

	t.Run("ReleaseSparesAnotherClaim", func(t *testing.T) {
		u := begin(t, db, "m:4", "", "")
		// The claim expired and another delivery took it: releasing must not drop it.
		db.Client().Set(ctx, "zs:{test}:dlv:m:4", `{"owner":"someone-else"}`, time.Hour)
		if err := u.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if d, err := db.GetDelivery(ctx, "m:4"); err != nil || d.Owner != "someone-else" {
			t.Fatalf("another unit's claim was released: %+v, %v", d, err)
		}
	})
}

// TestReadAhead: the record a claim reads ahead answers the command's read
// of it without a round trip, absent ones too; a different record, or any
// read after the unit has written, goes to Redis and sees the write.
func TestReadAhead(t *testing.T) { eachTopology(t, testReadAhead) }

func testReadAhead(t *testing.T, top topology) {
	db := top.mustDB(t)
	ctx := context.Background()
	p1, p2 := newProject("P1", 20241220), newProject("P2", 20241220)
	p2.Name = "康硕基地"
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: p1}, {After: p2}, {After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true}}}})
	claim := func(id, readID string) *storage.Unit {
		t.Helper()
		u, prev, err := db.Begin(ctx, storage.Claim{Delivery: id, TTL: time.Hour, User: "zhangsan", Read: zsbot.KindProject, ReadID: readID})
		if err != nil || prev != nil || u == nil {
			t.Fatalf("Begin(%s) = %v, %+v, %v", id, u, prev, err)
		}
		return u
	}
	claim("m:warm", "P1") // load the script
	var trips atomic.Int64
	db.Client().AddHook(countHook{&trips})

	u := claim("m:1", "P1")
	trips.Store(0)
	got, err := u.Project(ctx, "P1")
	if err != nil || got.Name != p1.Name || trips.Load() != 0 {
		t.Fatalf("read ahead: %+v, %v after %d round trips; want P1 from the claim, none", got, err, trips.Load())
	}
	if _, err := u.Project(ctx, "P2"); err != nil || trips.Load() != 1 {
		t.Fatalf("another project: %v after %d round trips; want one read", err, trips.Load())
	}
	// A write of another command, then this unit writes and reads again.
	changed := *got
	changed.Planned = 7
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{Before: got, After: &changed}}})
	if _, err := u.Apply(ctx, visit("zhangsan", "A1", nil)); err != nil {
		t.Fatal(err)
	}
	if again, err := u.Project(ctx, "P1"); err != nil || again.Planned != 7 {
		t.Fatalf("P1 read after the unit wrote: %+v, %v; want it from Redis, with the other write", again, err)
	}
	if err := u.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now()); err != nil {
		t.Fatal(err)
	}

	u = claim("m:2", "P99")
	trips.Store(0)
	if _, err := u.Project(ctx, "P99"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND || trips.Load() != 0 {
		t.Fatalf("absent project read ahead: %v after %d round trips; want ENOTFOUND from the claim", err, trips.Load())
	}
}
