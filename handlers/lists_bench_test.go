package handlers_test

import (
	"context"
	"fmt"
	"testing"

	"zsbot"
)

// BenchmarkMine measures 我的 (issue 18: lists that stay short) for an
// officer with 11 projects in talks, 2 signed and a history of 0, 1,000 or
// 10,000 projects 终止, each message through the production path (Begin,
// the Mux, Commit); "help" is 帮助 on the same bureau, a message that
// reads no record (the path's own cost), and "fullread" the read 我的 made
// before, every project the officer ever owned (DB.OwnedProjects), for
// comparison. BENCHMARKS.md ("Lists") has the numbers:
//
//	go test ./handlers -run '^$' -bench 'Mine$' -benchtime 200x
func BenchmarkMine(b *testing.B) {
	for _, closed := range []int{0, 1000, 10000} {
		bot := world(b)
		ctx := context.Background()
		var recs []zsbot.Record
		for i := range closed {
			recs = append(recs, &zsbot.Project{ID: fmt.Sprintf("P%d", 100000+i), Name: fmt.Sprintf("旧项目%d", i), Owner: "zhangsan",
				Stage: zsbot.StageDropped, CreatedOn: 20150101, DroppedOn: 20160101})
		}
		for i := range 10 {
			recs = append(recs, &zsbot.Project{ID: fmt.Sprintf("P%d", 100+i), Name: fmt.Sprintf("在谈项目%d", i), Owner: "zhangsan",
				Stage: zsbot.StageTalking, CreatedOn: 20241201, FollowedOn: 20241201})
		}
		if err := bot.db.Load(ctx, recs); err != nil {
			b.Fatal(err)
		}
		if _, err := bot.db.BuildListIndexes(ctx); err != nil {
			b.Fatal(err)
		}
		want := fmt.Sprintf("您负责的项目%d个", closed+13)
		b.Run(fmt.Sprintf("closed%d", closed), func(b *testing.B) {
			for b.Loop() {
				bot.expect("zhangsan", "我的", want)
			}
		})
		b.Run(fmt.Sprintf("closed%d/help", closed), func(b *testing.B) {
			for b.Loop() {
				bot.expect("zhangsan", "帮助", "我的")
			}
		})
		b.Run(fmt.Sprintf("closed%d/fullread", closed), func(b *testing.B) {
			for b.Loop() {
				if ps, err := bot.db.OwnedProjects(ctx, "zhangsan"); err != nil || len(ps) != closed+13 {
					b.Fatal(len(ps), err)
				}
			}
		})
	}
}
