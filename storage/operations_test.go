package storage_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
)

// exercise runs every kind of operation the store has at least once —
// record writes and reads, the session and pending choice, the once-only
// delivery record, the outbox and its lock and rate counter, the token
// cache, schedule claims, bulk load, backup and restore — and fails tb on
// the first error. On a Cluster a key outside the bureau's slot fails it
// with CROSSSLOT; under an ACL user confined to the bureau, with NOPERM.
func exercise(tb testing.TB, db *storage.DB) {
	tb.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("%s: %v", what, err)
		}
	}
	populate(tb, db, 3)
	_, err := db.NextID(ctx, zsbot.KindProject)
	must("next id", err)
	_, _, err = db.Names(ctx)
	must("names", err)
	l, err := db.Ledger(ctx, 20240101, 20241231)
	must("ledger", err)
	if len(l.Signed) != 3 || len(l.Activities) != 3 {
		tb.Fatalf("ledger: %d signed, %d activities; want 3 each", len(l.Signed), len(l.Activities))
	}
	_, err = db.History(ctx, "P1", 5)
	must("history", err)
	_, err = db.LastUndoable(ctx, "zhangsan")
	must("last undoable", err)
	_, err = db.OpenTasks(ctx, "zhangsan", 20251231)
	must("open tasks", err)
	_, err = db.ProjectActivities(ctx, "P1", 5)
	must("project activities", err)
	must("load", db.Load(ctx, []zsbot.Record{&zsbot.Item{ID: "I1", Project: "P1", Text: "用地指标", OpenedOn: 20240301}}))

	must("save pick", db.SavePick(ctx, "lisi", &zsbot.Pick{Raw: "查 项目", Word: "查", IDs: []string{"P1", "P2"}}))
	if _, pick, err := db.Session(ctx, "lisi"); err != nil || pick == nil || len(pick.IDs) != 2 {
		tb.Fatalf("session: pick %+v, %v", pick, err)
	}
	u, _, err := db.Begin(ctx, storage.Claim{Delivery: "msg-1", TTL: time.Hour, User: "lisi", Reserve: zsbot.KindActivity})
	must("claim delivery", err)
	reply := &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"lisi"}, Format: zsbot.FormatText, Text: "已记录。"}
	must("complete delivery", u.Commit(ctx, storage.Delivery{Reply: "已记录。"}, time.Now(), reply))
	if _, d, err := db.Begin(ctx, storage.Claim{Delivery: "msg-1", TTL: time.Hour}); err != nil || d == nil || !d.Done {
		tb.Fatalf("retried delivery: %+v, %v", d, err)
	}
	ob := db.Outbox(nil)
	must("enqueue", ob.Enqueue(ctx, reply))
	head, err := ob.Head(ctx, 10)
	must("outbox head", err)
	if len(head) != 2 {
		tb.Fatalf("outbox holds %d items, want 2", len(head))
	}
	head[0].Attempts++
	must("outbox save", ob.Save(ctx, head[0]))
	must("outbox remove", ob.Remove(ctx, head[0].ID))
	_, _, err = ob.Stats(ctx)
	must("outbox stats", err)
	_, err = ob.Lock(ctx, "instance-a", time.Minute)
	must("outbox lock", err)
	must("outbox unlock", ob.Unlock(ctx, "instance-a"))
	_, _, err = ob.TakeRate(ctx, []string{"app:lisi", "app:wangwu"}, time.Now(), 30, time.Minute)
	must("outbox rate", err)

	tc := db.TokenCache(time.Second)
	must("token set", tc.Set("access_token_corp", "tok", time.Hour))
	if tc.Get("access_token_corp") != "tok" {
		tb.Fatal("token cache lost the token")
	}
	if ok, err := db.Claim(ctx, "half-monthly", "2024-12-16T09:10", time.Hour); err != nil || !ok {
		tb.Fatalf("claim: %v, %v", ok, err)
	}
	must("release claim", db.Release(ctx, "half-monthly", "2024-12-16T09:10"))

	var buf bytes.Buffer
	must("backup", db.Backup(ctx, &buf))
	_, err = db.Restore(ctx, &buf, storage.RestoreOptions{Replace: true})
	must("restore", err)
	d, err := db.Export(ctx)
	must("export", err)
	if len(d.Projects) != 3 || len(d.Items) != 1 {
		tb.Fatalf("after restore: %d projects, %d items", len(d.Projects), len(d.Items))
	}
}

func TestEveryOperation(t *testing.T) { eachTopology(t, testEveryOperation) }

// testEveryOperation runs every operation and then checks where the keys
// went: on a Cluster, all of the bureau's keys share one slot, on one master.
func testEveryOperation(t *testing.T, top topology) {
	ctx := context.Background()
	db := top.mustDB(t)
	exercise(t, db)
	cc, ok := db.Client().(*redis.ClusterClient)
	if !ok {
		return
	}
	var mu sync.Mutex
	slots, nodes, keys := map[int64]bool{}, map[string]bool{}, 0
	err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
		ks, err := c.Keys(ctx, "*").Result()
		for _, k := range ks {
			slot, err := c.ClusterKeySlot(ctx, k).Result()
			if err != nil {
				return err
			}
			mu.Lock()
			slots[slot], nodes[c.Options().Addr] = true, true
			keys++
			mu.Unlock()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if keys < 20 || len(slots) != 1 || len(nodes) != 1 {
		t.Fatalf("%d keys in %d slots on %d masters; want them all in one slot", keys, len(slots), len(nodes))
	}
}
