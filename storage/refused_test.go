package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// snapshot returns every key of the bureau with its value.
func snapshot(tb testing.TB, db *storage.DB) string {
	tb.Helper()
	return redistest.Snapshot(tb, db.Client(), "zs:{test}:*")
}

// refused fails the test unless err is a write refusal of cause.
func refused(tb testing.TB, what string, err error, cause string) {
	tb.Helper()
	if zsbot.ErrorCode(err) != zsbot.EWRITE || storage.RefusalCause(err) != cause {
		tb.Fatalf("%s: %v (code %q, cause %q), want a write refusal (%s)", what, err, zsbot.ErrorCode(err), storage.RefusalCause(err), cause)
	}
}

// signing is a change of several records: a new company and a project's
// signing, with the audit entry, the undo stack, the history and indexes.
func signing(p *zsbot.Project) *zsbot.Change {
	after := *p
	after.Stage, after.StartedOn = zsbot.StageStarted, 20250301
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(2, 0), Raw: "开工 P1", Project: "P1"}}
	c.Add(nil, &zsbot.Company{ID: "E9", Name: "星河精工"})
	c.Add(p, &after)
	return c
}

// TestWriteRefusedOOM fills a real redis-server with noeviction until it
// refuses writes: a command's script, a claim and a unit's commit are
// refused with EWRITE (cause oom) and write nothing; reads, the session
// and a release still work; once memory is freed the same write succeeds.
func TestWriteRefusedOOM(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := redistest.Start(t, redistest.MemoryArgs("4mb")...)
	db := storage.New(srv.Client(t), "test")
	p := newProject("P1", 20241220)
	seed := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "签约 P1 51亿", Project: "P1"}}
	seed.Add(nil, p)
	seed.Add(nil, &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true})
	mustApply(t, db, seed)
	// A unit begun before memory ran out, holding its change.
	u, _, err := db.Begin(ctx, storage.Claim{Delivery: "m:zhangsan:1", TTL: time.Hour, User: "zhangsan", Reserve: zsbot.KindTask})
	if err != nil || u == nil {
		t.Fatalf("Begin: %v", err)
	}
	if _, err := u.Apply(ctx, signing(p)); err != nil {
		t.Fatalf("Apply in the unit: %v", err)
	}
	srv.Fill(t)
	before := snapshot(t, db)
	if !strings.Contains(before, "zs:{test}:rec:project ") || !strings.Contains(before, "zs:{test}:dlv:m:zhangsan:1 ") {
		t.Fatalf("the snapshot misses the bureau's keys:\n%s", before)
	}

	_, err = db.Apply(ctx, signing(p))
	refused(t, "Apply", err, storage.CauseOOM)
	if !strings.Contains(zsbot.ErrorMessage(err), "内存已满") || !strings.Contains(zsbot.ErrorMessage(err), "未记录") {
		t.Errorf("reply %q names neither the cause nor that nothing was recorded", zsbot.ErrorMessage(err))
	}
	_, _, err = db.Begin(ctx, storage.Claim{Delivery: "m:zhangsan:2", TTL: time.Hour, User: "zhangsan", Reserve: zsbot.KindProject})
	refused(t, "Begin", err, storage.CauseOOM)
	err = u.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now())
	refused(t, "Commit", err, storage.CauseOOM)
	refused(t, "ProbeWrite", db.ProbeWrite(ctx), storage.CauseOOM)
	refused(t, "Register", db.Instance("host/:8080", time.Minute).Register(ctx), storage.CauseOOM)
	if after := snapshot(t, db); after != before {
		t.Fatalf("a refused write changed the bureau's keys:\nbefore %s\nafter  %s", before, after)
	}

	if got, err := db.Project(ctx, "P1"); err != nil || got.Stage != zsbot.StageSigned {
		t.Fatalf("read under OOM: %+v, %v", got, err)
	}
	if who, _, err := db.Session(ctx, "zhangsan"); err != nil || who == nil || who.Name != "张三" {
		t.Fatalf("Session under OOM: %+v, %v", who, err)
	}
	if err := u.Release(ctx); err != nil {
		t.Fatalf("Release under OOM (deleting frees memory): %v", err)
	}
	if _, err := db.GetDelivery(ctx, "m:zhangsan:1"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("the released claim: %v, want ENOTFOUND", err)
	}

	srv.Unfill(t)
	if err := db.ProbeWrite(ctx); err != nil {
		t.Fatalf("ProbeWrite after memory was freed: %v", err)
	}
	mustApply(t, db, signing(p))
	if got, err := db.Project(ctx, "P1"); err != nil || got.Stage != zsbot.StageStarted {
		t.Fatalf("the write after memory was freed: %+v, %v", got, err)
	}
}

// TestWriteRefusedReplica makes the server a read-only replica (of a
// second server holding the same data) and then lets min-replicas-to-write
// refuse writes: each refusal has its cause, writes nothing, and the
// session is still read.
func TestWriteRefusedReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv, other := redistest.Start(t), redistest.Start(t)
	rdb, orb := srv.Client(t), other.Client(t)
	db := storage.New(rdb, "test")
	seed := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "人员 添加"}}
	seed.Add(nil, &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true})
	seed.Add(nil, newProject("P1", 20241220))
	mustApply(t, db, seed)
	if err := db.SavePick(ctx, "zhangsan", &zsbot.Pick{Raw: "查 星河", Word: "星河", IDs: []string{"P1", "P2"}}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, db)

	// other copies srv, then srv follows other: same data, read-only.
	host, port, _ := strings.Cut(srv.Addr, ":")
	if err := orb.ReplicaOf(ctx, host, port).Err(); err != nil {
		t.Fatal(err)
	}
	waitLink(t, orb)
	orb.ReplicaOf(ctx, "NO", "ONE")
	host, port, _ = strings.Cut(other.Addr, ":")
	if err := rdb.ReplicaOf(ctx, host, port).Err(); err != nil {
		t.Fatal(err)
	}
	waitLink(t, rdb)
	_, err := db.Apply(ctx, signing(newProject("P1", 20241220)))
	refused(t, "Apply on a replica", err, storage.CauseReadOnly)
	_, _, err = db.Begin(ctx, storage.Claim{Delivery: "m:zhangsan:3", TTL: time.Hour, User: "zhangsan"})
	refused(t, "Begin on a replica", err, storage.CauseReadOnly)
	refused(t, "ProbeWrite on a replica", db.ProbeWrite(ctx), storage.CauseReadOnly)
	if who, pick, err := db.Session(ctx, "zhangsan"); err != nil || who == nil || pick != nil {
		t.Fatalf("Session on a replica: %+v, %+v, %v; want the sender, no choice taken", who, pick, err)
	}
	if after := snapshot(t, db); after != before {
		t.Fatalf("the replica's keys changed:\nbefore %s\nafter  %s", before, after)
	}

	rdb.ReplicaOf(ctx, "NO", "ONE")
	if err := rdb.ConfigSet(ctx, "min-replicas-to-write", "1").Err(); err != nil {
		t.Fatal(err)
	}
	refused(t, "ProbeWrite without replicas", db.ProbeWrite(ctx), storage.CauseNoReplicas)
	rdb.ConfigSet(ctx, "min-replicas-to-write", "0")
	if err := db.ProbeWrite(ctx); err != nil {
		t.Fatalf("ProbeWrite on the master again: %v", err)
	}
}

// waitLink waits until the replica behind rdb has synced with its master.
func waitLink(t *testing.T, rdb *redis.Client) {
	t.Helper()
	waitUntil(t, 10*time.Second, "the replica's sync", func() bool {
		info, _ := rdb.Info(context.Background(), "replication").Result()
		return strings.Contains(info, "master_link_status:up")
	})
}
