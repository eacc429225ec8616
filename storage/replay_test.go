package storage

import (
	"context"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage/redistest"
)

// go-redis sends a command again when its connection fails before the
// answer arrives (a Redis restart): the first run may have happened. These
// tests run Begin's and Commit's scripts twice, as such a retry does, and
// check that the second run neither steals the claim nor writes twice.

func TestBeginReplay(t *testing.T) {
	db := New(redistest.Start(t).Client(t), "t")
	ctx := context.Background()
	c := Claim{Delivery: "m:1", TTL: time.Hour, User: "zhangsan", Reserve: zsbot.KindActivity}
	if _, prev, err := db.begin(ctx, c, "OWNER"); err != nil || prev != nil {
		t.Fatalf("first run: %+v, %v", prev, err)
	}
	u, prev, err := db.begin(ctx, c, "OWNER")
	if err != nil || prev != nil || u == nil || u.dir == nil {
		t.Fatalf("second run of the same claim = %v, %+v, %v; want the claim, still ours", u, prev, err)
	}
	if _, prev, _ := db.begin(ctx, c, "OTHER"); prev == nil {
		t.Fatal("another unit took a claimed delivery")
	}
}

func TestCommitReplay(t *testing.T) {
	db := New(redistest.Start(t).Client(t), "t")
	ctx := context.Background()
	u, _, err := db.begin(ctx, Claim{Delivery: "m:1", TTL: time.Hour}, "OWNER")
	if err != nil {
		t.Fatal(err)
	}
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", Raw: "拜访"}}
	c.Add(nil, &zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20241216})
	end := u.ending(true)
	end.value = mustJSON(Delivery{Done: true, Reply: "已记录"})
	for run := range 2 {
		if _, err := db.applyWith(ctx, c, end); err != nil {
			t.Fatalf("run %d: %v", run+1, err)
		}
	}
	if n := db.rdb.XLen(ctx, db.k.audit()).Val(); n != 1 {
		t.Fatalf("%d audit entries after the script ran twice, want 1", n)
	}
}
