package storage_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
)

// claimFor claims delivery id for a unit run by inst (nil for none),
// failing the test unless this call owns it.
func claimFor(tb testing.TB, db *storage.DB, id string, inst *storage.Instance) *storage.Unit {
	tb.Helper()
	u, prev, err := db.Begin(context.Background(), storage.Claim{Delivery: id, TTL: time.Hour, User: "zhangsan", Instance: inst})
	if err != nil || prev != nil || u == nil {
		tb.Fatalf("Begin(%s) = %v, %+v, %v; want ours", id, u, prev, err)
	}
	return u
}

// retry is WeCom's retry of delivery id, handled by inst: the Unit when it
// took the claim over, else the record it found.
func retry(tb testing.TB, db *storage.DB, id string, inst *storage.Instance) (*storage.Unit, *storage.Delivery) {
	tb.Helper()
	u, prev, err := db.Begin(context.Background(), storage.Claim{Delivery: id, TTL: time.Hour, User: "zhangsan", Instance: inst})
	if err != nil {
		tb.Fatalf("retry of %s: %v", id, err)
	}
	return u, prev
}

// registered returns a registered Instance named name.
func registered(tb testing.TB, db *storage.DB, name string, ttl time.Duration) *storage.Instance {
	tb.Helper()
	in := db.Instance(name, ttl)
	if err := in.Register(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return in
}

// auditedOnce fails unless delivery id has exactly one audit entry.
func auditedOnce(tb testing.TB, db *storage.DB, id string) {
	tb.Helper()
	n, err := db.AuditedDeliveries(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if n[id] != 1 {
		tb.Fatalf("%s has %d audit entries, want 1", id, n[id])
	}
}

func TestTakeover(t *testing.T) { eachTopology(t, testTakeover) }

func testTakeover(t *testing.T, top topology) {
	db := top.mustDB(t)
	ctx := context.Background()
	p := newProject("P1", 20241220)
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: p}, {After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true}}}})
	other := registered(t, db, "other/:8081", time.Minute) // the instance WeCom's retries reach

	t.Run("RestartedOwner", func(t *testing.T) {
		a := registered(t, db, "host/:8080", time.Minute)
		u1 := claimFor(t, db, "m:restart", a)
		if _, err := u1.Apply(ctx, visit("zhangsan", "A900", nil)); err != nil {
			t.Fatal(err)
		}
		// The process is killed; its successor starts under the same name.
		b := registered(t, db, "host/:8080", time.Minute)
		u2, prev := retry(t, db, "m:restart", b)
		if u2 == nil || u2.TookOver() != "host/:8080" {
			t.Fatalf("retry after a restart = %v, %+v; want the claim taken over from host/:8080", u2, prev)
		}
		if _, err := u2.Apply(ctx, visit("zhangsan", "A900", nil)); err != nil {
			t.Fatal(err)
		}
		if err := u2.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		// The first unit, were it still running, can write nothing.
		if err := u1.Commit(ctx, storage.Delivery{Reply: "已记录 A900", Passive: true}, time.Now()); !errors.Is(err, storage.ErrInstanceLapsed) || zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
			t.Fatalf("Commit of the unit whose claim was taken over: %v, want ErrInstanceLapsed (EUNAVAILABLE)", err)
		}
		// Finishing it exactly as the retry did is taken for done (ZSDONE):
		// still nothing written.
		if err := u1.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now()); err != nil {
			t.Fatalf("Commit of the same outcome: %v", err)
		}
		if err := u1.Release(ctx); err != nil {
			t.Fatal(err)
		}
		auditedOnce(t, db, "m:restart")
		if d, err := db.GetDelivery(ctx, "m:restart"); err != nil || !d.Done || d.Reply != "已记录" {
			t.Fatalf("record %+v, %v", d, err)
		}
	})

	t.Run("ExpiredOwner", func(t *testing.T) {
		a := registered(t, db, "gone/:8080", 300*time.Millisecond)
		claimFor(t, db, "m:expired", a)
		if u, _ := retry(t, db, "m:expired", other); u != nil {
			t.Fatal("the claim of a live instance was taken over")
		}
		time.Sleep(500 * time.Millisecond) // no refresh: the entry expires
		u, prev := retry(t, db, "m:expired", other)
		if u == nil || u.TookOver() != "gone/:8080" {
			t.Fatalf("retry after the owner's entry expired = %v, %+v; want it taken over", u, prev)
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "ok", Passive: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ClosedOwner", func(t *testing.T) {
		a := registered(t, db, "stopped/:8080", time.Minute)
		claimFor(t, db, "m:closed", a)
		if err := a.Close(ctx); err != nil {
			t.Fatal(err)
		}
		if u, prev := retry(t, db, "m:closed", other); u == nil {
			t.Fatalf("retry after a clean stop = %+v; want the claim taken over", prev)
		}
		if u, _, err := db.Begin(ctx, storage.Claim{Delivery: "m:after-close", TTL: time.Hour, Instance: a}); err != nil || u == nil {
			t.Fatalf("Begin with a closed instance: %v", err)
		} else if d, _ := db.GetDelivery(ctx, "m:after-close"); d.Inst != "" {
			t.Fatalf("a claim after Close names the instance: %+v", d)
		}
	})

	t.Run("SlowOwnerKept", func(t *testing.T) {
		a := registered(t, db, "slow/:8080", time.Second)
		runCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { a.Run(runCtx, nil) })
		u1 := claimFor(t, db, "m:slow", a)
		if _, err := u1.Apply(ctx, visit("zhangsan", "A901", nil)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2500 * time.Millisecond) // past two TTLs: the refreshes keep it live
		if u, prev := retry(t, db, "m:slow", other); u != nil || prev == nil || prev.Done {
			t.Fatalf("retry while the owner runs = %v, %+v; want its pending claim", u, prev)
		}
		if err := u1.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now()); err != nil {
			t.Fatalf("Commit of the slow but live unit: %v", err)
		}
		stop()
		wg.Wait()
		auditedOnce(t, db, "m:slow")
	})

	t.Run("DeadOwnerThatWrote", func(t *testing.T) {
		a := registered(t, db, "wrote/:8080", time.Minute)
		u1 := claimFor(t, db, "m:wrote", a)
		if _, err := u1.Apply(ctx, visit("zhangsan", "A902", nil)); err != nil {
			t.Fatal(err)
		}
		if _, err := u1.Project(ctx, "P1"); err != nil { // a read settles the held change
			t.Fatal(err)
		}
		if _, err := db.Client().HGet(ctx, "zs:{test}:rec:activity", "A902").Result(); err != nil {
			t.Fatalf("the settled change is not written: %v", err)
		}
		registered(t, db, "wrote/:8080", time.Minute) // restarted
		u, prev := retry(t, db, "m:wrote", other)
		if u != nil || prev == nil || prev.Done || prev.Wrote != 1 {
			t.Fatalf("retry of a dead unit that wrote = %v, %+v; want its pending claim, marked", u, prev)
		}
		if err := u1.Commit(ctx, storage.Delivery{Reply: "已记录"}, time.Now()); !errors.Is(err, storage.ErrInstanceLapsed) {
			t.Fatalf("Commit after the instance lapsed: %v", err)
		}
		if err := u1.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if d, _ := db.GetDelivery(ctx, "m:wrote"); d == nil || d.Done || d.Wrote != 1 {
			t.Fatalf("the claim of a unit that wrote was released: %+v", d)
		}
	})

	t.Run("DeadOwnerThatQueued", func(t *testing.T) {
		// A command's messages are queued by its commit: one that died
		// before it sent nothing, and its retry sends them once.
		queued := func() int64 { return db.Client().ZCard(ctx, "zs:{test}:outbox:queue").Val() }
		before := queued()
		a := registered(t, db, "queued/:8080", time.Minute)
		u := claimFor(t, db, "m:queued", a)
		msg := &zsbot.Outgoing{Channel: zsbot.ChannelRobot, To: []string{"room"}, Format: zsbot.FormatText, Text: "通报"}
		if err := u.Enqueue(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != before {
			t.Fatalf("the message was queued before the commit: %d → %d", before, n)
		}
		if err := a.Close(ctx); err != nil {
			t.Fatal(err)
		}
		u, prev := retry(t, db, "m:queued", other)
		if u == nil || prev != nil {
			t.Fatalf("retry of a dead unit that queued a message = %v, %+v; want it taken over", u, prev)
		}
		if err := u.Enqueue(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "已发送", Passive: true}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if n := queued(); n != before+1 {
			t.Fatalf("after the retry's commit %d messages queued, want %d", n-before, 1)
		}
	})

	t.Run("DeadOwnerThatUndid", func(t *testing.T) {
		entry := mustApply(t, db, visit("zhangsan", "A903", nil))
		a := registered(t, db, "undid/:8080", time.Minute)
		u := claimFor(t, db, "m:undid", a)
		undo := &zsbot.Change{UndoOf: entry, Audit: zsbot.Audit{Who: "zhangsan", Raw: "撤销", Undoes: entry}}
		if _, err := u.Apply(ctx, undo); err != nil {
			t.Fatal(err)
		}
		registered(t, db, "undid/:8080", time.Minute)
		if u, prev := retry(t, db, "m:undid", other); u != nil || prev == nil || prev.Wrote != 1 {
			t.Fatalf("retry of a dead unit that undid = %v, %+v; want its pending claim, marked", u, prev)
		}
	})

	t.Run("LapsedUnitWritesNothing", func(t *testing.T) {
		a := registered(t, db, "lapsed/:8080", time.Minute)
		u1 := claimFor(t, db, "m:lapsed", a)
		if _, err := u1.Apply(ctx, visit("zhangsan", "A904", nil)); err != nil {
			t.Fatal(err)
		}
		db.Client().Del(ctx, "zs:{test}:live:lapsed/:8080") // cut off from Redis past the TTL
		if _, err := u1.Project(ctx, "P1"); !errors.Is(err, storage.ErrInstanceLapsed) {
			t.Fatalf("a read settling the change of a lapsed unit: %v, want ErrInstanceLapsed", err)
		}
		queuedBefore := db.Client().ZCard(ctx, "zs:{test}:outbox:queue").Val()
		msg := &zsbot.Outgoing{Channel: zsbot.ChannelRobot, To: []string{"room"}, Format: zsbot.FormatText, Text: "通报"}
		if err := u1.Enqueue(ctx, msg); err != nil {
			t.Fatal(err)
		}
		if err := u1.Commit(ctx, storage.Delivery{Reply: "已发送"}, time.Now()); !errors.Is(err, storage.ErrInstanceLapsed) {
			t.Fatalf("a lapsed unit committed: %v", err)
		}
		if n := db.Client().ZCard(ctx, "zs:{test}:outbox:queue").Val(); n != queuedBefore {
			t.Fatalf("a lapsed unit queued %d messages", n-queuedBefore)
		}
		if n, _ := db.Client().HExists(ctx, "zs:{test}:rec:activity", "A904").Result(); n {
			t.Fatal("a lapsed unit wrote its change")
		}
		if err := u1.Release(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetDelivery(ctx, "m:lapsed"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Fatalf("the lapsed unit's claim, which wrote nothing, was not released: %v", err)
		}
	})

	t.Run("OldRecordKept", func(t *testing.T) {
		db.Client().Set(ctx, "zs:{test}:dlv:m:old", `{"owner":"OLDUNIT"}`, time.Hour)
		if u, prev := retry(t, db, "m:old", other); u != nil || prev == nil || prev.Owner != "OLDUNIT" {
			t.Fatalf("retry of a claim naming no instance = %v, %+v; want it kept", u, prev)
		}
		if _, err := db.Client().Get(ctx, "zs:{test}:dlv:m:old").Result(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ConcurrentTakeovers", func(t *testing.T) {
		a := registered(t, db, "raced/:8080", time.Minute)
		claimFor(t, db, "m:raced", a)
		registered(t, db, "raced/:8080", time.Minute)
		units := make([]*storage.Unit, 16)
		won := race(16, func(i int) bool {
			u, _, err := db.Begin(ctx, storage.Claim{Delivery: "m:raced", TTL: time.Hour, Instance: other})
			if err != nil {
				t.Error(err)
			}
			units[i] = u
			return u != nil
		})
		if len(won) != 1 {
			t.Fatalf("%d of 16 concurrent retries took the claim over, want exactly 1", len(won))
		}
		if err := units[won[0]].Commit(ctx, storage.Delivery{Reply: "ok"}, time.Now()); err != nil {
			t.Fatal(err)
		}
	})
}

// TestInstanceRefresh: Refresh keeps the entry; after a lapse it registers
// a new incarnation, and under a name of its own when another process has
// registered as the same instance.
func TestInstanceRefresh(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	ctx := context.Background()
	key := "zs:{test}:live:twin/:8080"
	a := db.Instance("twin/:8080", time.Second)
	if lapsed, err := a.Refresh(ctx); err != nil || lapsed != "" { // registers
		t.Fatalf("first Refresh = %q, %v", lapsed, err)
	}
	inc := db.Client().HGet(ctx, key, "inc").Val()
	if ttl := db.Client().PTTL(ctx, key).Val(); ttl <= 0 || ttl > time.Second {
		t.Fatalf("TTL of the entry %v", ttl)
	}
	db.Client().PExpire(ctx, key, 100*time.Millisecond)
	if lapsed, err := a.Refresh(ctx); err != nil || lapsed != "" {
		t.Fatalf("Refresh = %q, %v", lapsed, err)
	}
	if ttl := db.Client().PTTL(ctx, key).Val(); ttl < 500*time.Millisecond || db.Client().HGet(ctx, key, "inc").Val() != inc {
		t.Fatalf("after Refresh: TTL %v, the same incarnation", ttl)
	}
	db.Client().Del(ctx, key)
	if lapsed, err := a.Refresh(ctx); err != nil || lapsed == "" || a.Name() != "twin/:8080" {
		t.Fatalf("Refresh after the entry expired = %q, %v (%s); want a lapse, the same name", lapsed, err, a.Name())
	}
	if now := db.Client().HGet(ctx, key, "inc").Val(); now == "" || now == inc {
		t.Fatalf("no new incarnation after the lapse: %q", now)
	}
	b := registered(t, db, "twin/:8080", time.Second) // a twin with the same host name and address
	if lapsed, err := a.Refresh(ctx); err != nil || lapsed == "" || a.Name() == "twin/:8080" {
		t.Fatalf("Refresh with a twin = %q, %v (%s); want a name of its own", lapsed, err, a.Name())
	}
	if lapsed, err := b.Refresh(ctx); err != nil || lapsed != "" {
		t.Fatalf("the twin lost its name: %q, %v", lapsed, err)
	}
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := db.Client().Exists(ctx, "zs:{test}:live:"+a.Name()).Val(); n != 0 {
		t.Fatal("Close left the entry")
	}
	if err := a.Close(ctx); err != nil { // twice is fine
		t.Fatal(err)
	}
}

// TestUnitWithInstanceRoundTrips: a write claimed with an Instance costs
// what it costs without: the claim and the commit, one script each.
func TestUnitWithInstanceRoundTrips(t *testing.T) {
	t.Parallel()
	db := mustDB(t)
	ctx := context.Background()
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Role: zsbot.RoleOfficer, Active: true}}}})
	a := registered(t, db, "trips/:8080", time.Minute)
	claimFor(t, db, "m:warm", a) // load the scripts
	var trips atomic.Int64
	db.Client().AddHook(countHook{&trips})
	u := claimFor(t, db, "m:trips", a)
	if _, err := u.Apply(ctx, visit("zhangsan", "A1", nil)); err != nil {
		t.Fatal(err)
	}
	if err := u.Commit(ctx, storage.Delivery{Reply: "已记录", Passive: true}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if n := trips.Load(); n != 2 {
		t.Fatalf("claim and commit made %d round trips, want 2", n)
	}
}

// countHook counts round trips.
type countHook struct{ n *atomic.Int64 }

func (h countHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h countHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h countHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error { h.n.Add(1); return next(ctx, cmds) }
}

// TestTakeoverEmbedded: the claim's script takes a dead instance's claim
// over on the embedded store (miniredis's Lua) too, and keeps a live one's.
func TestTakeoverEmbedded(t *testing.T) {
	t.Parallel()
	e, err := storage.OpenEmbedded(context.Background(), t.TempDir(), "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	db := e.DB
	a := registered(t, db, "host/:8080", time.Minute)
	claimFor(t, db, "m:1", a)
	if u, prev := retry(t, db, "m:1", a); u != nil || prev == nil || prev.Inst != "host/:8080" {
		t.Fatalf("retry while the owner lives = %v, %+v; want its claim kept", u, prev)
	}
	b := registered(t, db, "host/:8080", time.Minute) // restarted
	if u, prev := retry(t, db, "m:1", b); u == nil || u.TookOver() != "host/:8080" {
		t.Fatalf("retry after a restart = %v, %+v; want the claim taken over", u, prev)
	}
}
