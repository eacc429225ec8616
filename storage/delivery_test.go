package storage_test

import (
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestDelivery takes one delivery's once-only record through the
// production path: Begin claims it, a second Begin finds it pending,
// Release forgets it, and Commit finishes it for the unit's TTL with the
// late reply queued in the same script.
func TestDelivery(t *testing.T) {
	db := transportDB(t)
	ctx := t.Context()
	claim := storage.Claim{Delivery: "m:1", TTL: time.Hour}
	u, prev, err := db.Begin(ctx, claim)
	if u == nil || prev != nil || err != nil {
		t.Fatalf("first claim = %v, %+v, %v; want ours", u, prev, err)
	}
	if u2, prev, err := db.Begin(ctx, claim); err != nil || u2 != nil || prev == nil || prev.Done {
		t.Fatalf("second claim = %v, %+v, %v; want pending", u2, prev, err)
	}
	if err := u.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.GetDelivery(ctx, "m:1"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("after release: %v", err)
	}
	if u, prev, err = db.Begin(ctx, claim); u == nil || prev != nil || err != nil {
		t.Fatalf("claim after release = %v, %+v, %v; want ours", u, prev, err)
	}
	later := note("zhangsan", "已记录")
	if err := u.Commit(ctx, storage.Delivery{Reply: "已记录"}, time.Now(), later); err != nil {
		t.Fatal(err)
	}
	d, err := db.GetDelivery(ctx, "m:1")
	if err != nil || !d.Done || d.Reply != "已记录" || d.Passive {
		t.Fatalf("GetDelivery = %+v, %v", d, err)
	}
	if ttl := db.Client().TTL(ctx, "zs:{t}:dlv:m:1").Val(); ttl < 59*time.Minute {
		t.Fatalf("record TTL %v, want about an hour", ttl)
	}
	if depth, _, _ := db.Outbox(nil).Stats(ctx); depth != 1 {
		t.Fatalf("the late reply is not queued (depth %d)", depth)
	}
}

func TestTransportUnavailable(t *testing.T) {
	s := redistest.Start(t)
	db := storage.New(s.Client(t), "t")
	s.Kill()
	_, _, err := db.Begin(t.Context(), storage.Claim{Delivery: "m:1", TTL: time.Hour})
	if zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
		t.Fatalf("Begin with Redis down: %v", err)
	}
	err = db.Outbox(nil).Enqueue(t.Context(), note("a", "1"))
	if zsbot.ErrorCode(err) != zsbot.EUNAVAILABLE {
		t.Fatalf("Enqueue with Redis down: %v", err)
	}
}

func TestTokenCache(t *testing.T) {
	db := transportDB(t)
	c := db.TokenCache(time.Second)
	if v := c.Get("app"); v != nil || c.IsExist("app") {
		t.Fatalf("empty cache: %v", v)
	}
	if err := c.Set("app", "tok-1", time.Hour); err != nil {
		t.Fatal(err)
	}
	if v := c.Get("app"); v != "tok-1" || !c.IsExist("app") {
		t.Fatalf("Get = %v", v)
	}
	if ttl := db.Client().TTL(t.Context(), "zs:{t}:token:app").Val(); ttl <= 59*time.Minute {
		t.Fatalf("TTL %v", ttl)
	}
	other := db.TokenCache(time.Second) // another instance shares the token
	if v := other.Get("app"); v != "tok-1" {
		t.Fatalf("other instance Get = %v", v)
	}
	if err := c.Forget(); err != nil || other.Get("app") != nil {
		t.Fatal("Forget did not drop the token for every instance")
	}
	c.Set("app", "tok-2", 0)
	if err := c.Delete("app"); err != nil || c.IsExist("app") {
		t.Fatalf("Delete: %v", err)
	}
}
