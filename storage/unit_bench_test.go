package storage_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// BenchmarkUnitVisit is one write as the callback makes it, against a real
// redis-server: the claim (with the session, the directory and the
// reserved ID) and the commit of an activity with its project's follow-up
// date (go test -bench UnitVisit -benchmem ./storage/).
func BenchmarkUnitVisit(b *testing.B) {
	db := mustDB(b)
	ctx := context.Background()
	p := newProject("P1", 20241220)
	mustApply(b, db, &zsbot.Change{Puts: []zsbot.Put{{After: p}, {After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Active: true}}}})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		u, prev, err := db.Begin(ctx, storage.Claim{Delivery: "m:" + strconv.Itoa(i), TTL: time.Hour, User: "zhangsan", Reserve: zsbot.KindActivity})
		if err != nil || prev != nil {
			b.Fatal(prev, err)
		}
		id, err := u.NextID(ctx, zsbot.KindActivity)
		if err != nil {
			b.Fatal(err)
		}
		cur, err := u.Project(ctx, "P1")
		if err != nil {
			b.Fatal(err)
		}
		c := visit("zhangsan", id, cur)
		c.Puts[1].After.(*zsbot.Project).FollowedOn = zsbot.Date(20250101 + i%28)
		if _, err := u.Apply(ctx, c); err != nil {
			b.Fatal(err)
		}
		if err := u.Commit(ctx, storage.Delivery{Reply: "已记录拜访 " + id, Passive: true}, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
