package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestClaimAndQueue checks the atomic claim of a notice's occurrence with
// its messages, on a single server and on a Cluster.
func TestClaimAndQueue(t *testing.T) { eachTopology(t, testClaimAndQueue) }

func testClaimAndQueue(t *testing.T, top topology) {
	ctx := context.Background()
	db := top.mustDB(t)
	at := time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC)
	const occ = "2024-12-16T09:10:00"
	queued := func(t *testing.T) []*storage.OutboxItem {
		t.Helper()
		items, err := db.Outbox(nil).Head(ctx, 1000)
		if err != nil {
			t.Fatal(err)
		}
		return items
	}
	t.Run("OnceAmongMany", func(t *testing.T) {
		won := race(16, func(i int) bool {
			ok, err := db.ClaimAndQueue(ctx, "half-monthly", occ, time.Hour, at,
				note("a", fmt.Sprintf("caller %d, 1 of 2", i)), note("b", fmt.Sprintf("caller %d, 2 of 2", i)))
			if err != nil {
				t.Error(err)
			}
			return ok
		})
		if len(won) != 1 {
			t.Fatalf("%d callers won, want 1", len(won))
		}
		w := won[0]
		items := queued(t)
		if len(items) != 2 || items[0].Msg.Text != fmt.Sprintf("caller %d, 1 of 2", w) ||
			items[1].Msg.Text != fmt.Sprintf("caller %d, 2 of 2", w) || !items[0].Enqueued.Equal(at) {
			t.Fatalf("queued %d items (%+v); want the winner's (caller %d) two, in order", len(items), items, w)
		}
		if ttl := db.Client().TTL(ctx, "zs:{test}:claim:half-monthly:"+occ).Val(); ttl <= 59*time.Minute || ttl > time.Hour {
			t.Fatalf("claim TTL %v, want an hour", ttl)
		}
	})
	t.Run("SecondCallQueuesNothing", func(t *testing.T) {
		ok, err := db.ClaimAndQueue(ctx, "half-monthly", occ, time.Hour, at, note("a", "again"))
		if ok || err != nil {
			t.Fatalf("second call = %v, %v; want false", ok, err)
		}
		if items := queued(t); len(items) != 2 {
			t.Fatalf("%d items queued after the second call, want still 2", len(items))
		}
	})
	t.Run("HeldByClaim", func(t *testing.T) {
		if ok, err := db.Claim(ctx, "monthly", occ, time.Hour); !ok || err != nil {
			t.Fatalf("Claim = %v, %v", ok, err)
		}
		if ok, err := db.ClaimAndQueue(ctx, "monthly", occ, time.Hour, at, note("a", "m")); ok || err != nil {
			t.Fatalf("ClaimAndQueue of an occurrence Claim took = %v, %v; want false", ok, err)
		}
		if err := db.Release(ctx, "monthly", occ); err != nil {
			t.Fatal(err)
		}
		if ok, err := db.ClaimAndQueue(ctx, "monthly", occ, time.Hour, at, note("a", "m")); !ok || err != nil {
			t.Fatalf("ClaimAndQueue after Release = %v, %v; want true", ok, err)
		}
		if ok, err := db.Claim(ctx, "monthly", occ, time.Hour); ok || err != nil {
			t.Fatalf("Claim of an occurrence ClaimAndQueue took = %v, %v; want false", ok, err)
		}
	})
	t.Run("InvalidClaimsNothing", func(t *testing.T) {
		before := len(queued(t))
		_, err := db.ClaimAndQueue(ctx, "quarterly", occ, time.Hour, at, note("a", "fine"), note("a", ""))
		if zsbot.ErrorCode(err) != zsbot.EINVALID {
			t.Fatalf("a message without text: %v, want EINVALID", err)
		}
		if n := len(queued(t)); n != before {
			t.Fatalf("%d items queued by an invalid call", n-before)
		}
		if ok, err := db.ClaimAndQueue(ctx, "quarterly", occ, time.Hour, at, note("a", "fine")); !ok || err != nil {
			t.Fatalf("the invalid call held the claim: %v, %v", ok, err)
		}
	})
	t.Run("NoMessagesOnlyClaims", func(t *testing.T) {
		before := len(queued(t))
		for i, want := range []bool{true, false} {
			if ok, err := db.ClaimAndQueue(ctx, "overdue", occ, time.Hour, at); ok != want || err != nil {
				t.Fatalf("call %d = %v, %v; want %v", i, ok, err, want)
			}
		}
		if n := len(queued(t)); n != before {
			t.Fatalf("%d items queued without messages", n-before)
		}
	})
	t.Run("OutboxStampsItsClock", func(t *testing.T) {
		later := at.Add(time.Hour)
		ok, err := db.Outbox(func() time.Time { return later }).ClaimAndEnqueue(ctx, "personal", occ, time.Hour, note("a", "p"))
		if !ok || err != nil {
			t.Fatalf("ClaimAndEnqueue = %v, %v", ok, err)
		}
		items := queued(t)
		if last := items[len(items)-1]; last.Msg.Text != "p" || !last.Enqueued.Equal(later) {
			t.Fatalf("last item %+v, want p enqueued at %v", last, later)
		}
	})
	t.Run("Expires", func(t *testing.T) {
		ok, _ := db.ClaimAndQueue(ctx, "overdue", "x", 50*time.Millisecond, at)
		time.Sleep(120 * time.Millisecond)
		again, err := db.ClaimAndQueue(ctx, "overdue", "x", time.Hour, at)
		if !ok || !again || err != nil {
			t.Fatalf("first %v, after TTL %v, %v", ok, again, err)
		}
	})
}

// TestClaimAndQueueKilled kills the claiming process before and after each
// of its round trips to Redis: the claim is held exactly when its messages
// are queued, so the next process either sees both or takes the
// occurrence itself, and the messages are queued once.
func TestClaimAndQueueKilled(t *testing.T) {
	ctx := context.Background()
	srv := redistest.Start(t)
	db := storage.New(srv.Client(t), "test")
	at := time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC)
	for _, after := range []bool{false, true} {
		for n := 1; ; n++ {
			occ := fmt.Sprintf("after=%v n=%d", after, n)
			hook := &redistest.KillHook{N: n, After: after}
			c := srv.Client(t)
			c.AddHook(hook)
			ok, err := storage.New(c, "test").ClaimAndQueue(ctx, "half-monthly", occ, time.Hour, at,
				note("a", occ+" 1"), note("b", occ+" 2"))
			if !hook.Killed() {
				if !ok || err != nil {
					t.Fatalf("%s: a process that was not killed: %v, %v", occ, ok, err)
				}
				if n < 3 {
					t.Fatalf("only %d round trips: the kill points are not covered", n-1)
				}
				break
			}
			if err == nil {
				t.Fatalf("%s: the killed process saw no error (ok %v)", occ, ok)
			}
			claimed := db.Client().Exists(ctx, "zs:{test}:claim:half-monthly:"+occ).Val() == 1
			count := func() int {
				items, err := db.Outbox(nil).Head(ctx, 10000)
				if err != nil {
					t.Fatal(err)
				}
				k := 0
				for _, it := range items {
					if len(it.Msg.Text) > len(occ) && it.Msg.Text[:len(occ)] == occ {
						k++
					}
				}
				return k
			}
			if got := count(); claimed && got != 2 || !claimed && got != 0 {
				t.Fatalf("%s: claim held %v with %d of its 2 messages queued", occ, claimed, got)
			}
			// The restarted process (a catch-up) takes what is left.
			ok, err = db.ClaimAndQueue(ctx, "half-monthly", occ, time.Hour, at, note("a", occ+" 1"), note("b", occ+" 2"))
			if err != nil || ok == claimed {
				t.Fatalf("%s: after the kill (claim held %v) the next process got %v, %v", occ, claimed, ok, err)
			}
			if got := count(); got != 2 {
				t.Fatalf("%s: %d messages queued in the end, want 2", occ, got)
			}
		}
	}
}

// TestClaimAndQueueEmbedded runs the claim on the embedded store (miniredis,
// `zsbot serve` without ZSBOT_REDIS_URL): once among many, and kept with its
// messages in the data file.
func TestClaimAndQueueEmbedded(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC)
	won := race(8, func(i int) bool {
		ok, err := e.ClaimAndQueue(ctx, "half-monthly", "2024-12-16T09:10:00", time.Hour, at, note("a", fmt.Sprint(i)))
		if err != nil {
			t.Error(err)
		}
		return ok
	})
	if len(won) != 1 {
		t.Fatalf("%d callers won, want 1", len(won))
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if depth, _, err := again.Outbox(nil).Stats(ctx); depth != 1 || err != nil {
		t.Fatalf("reopened: %d messages queued (%v), want 1", depth, err)
	}
	if ok, err := again.ClaimAndQueue(ctx, "half-monthly", "2024-12-16T09:10:00", time.Hour, at, note("a", "x")); ok || err != nil {
		t.Fatalf("reopened: the claim is not kept: %v, %v", ok, err)
	}
}
