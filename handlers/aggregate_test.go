package handlers_test

import (
	"context"
	"testing"

	"zsbot"
	zsreport "zsbot/report"
)

// TestAggregatesFollowCommands drives the commands that write activities
// — 拜访, 接待, 推介, 改 of an activity's date, company and project, 删除,
// 撤销, 合并 of companies, a project moved to another park and handed to
// another officer — through the production path, and after each checks
// the figures' aggregates (issue 18): `figures rebuild --check` finds no
// difference, and the activity figures from the aggregates equal those of
// the records for the bureau, each park and each officer.
func TestAggregatesFollowCommands(t *testing.T) {
	b := world(t)
	steps := []struct{ user, text string }{
		{"zhangsan", "拜访 华为 深圳"},
		{"zhangsan", "接待 中冶赛迪 5人 11月3日 考察珞璜园区"},
		{"zhangsan", "推介 新材料产业推介会 项目:晶帆光电 成都"},
		{"zhaoliu", "拜访 诺比侃科技 项目:P1 重庆"},
		{"wangwu", "拜访 康硕电子 项目:P4 重庆"},
		{"zhangsan", "改 A1 日期 11月10日"},
		{"zhangsan", "改 A1 企业 诺比侃科技"},
		{"zhangsan", "改 A1 项目 P1"},
		{"zhangsan", "撤销"},
		{"li", "改 P1 园区 珞璜"},
		{"li", "改 P1 负责人 @王五"},
		{"li", "合并 E5 到 E1"},
		{"li", "撤销"},
		{"li", "合并 E1 到 E5"},
		{"zhangsan", "删除 A3"},
		{"zhangsan", "撤销"},
		{"zhangsan", "删除 A2"},
	}
	checkAggregates(t, b, "world")
	for _, s := range steps {
		n := b.auditLen()
		reply := b.say(s.user, s.text)
		if b.auditLen() != n+1 {
			t.Fatalf("%s: %q wrote %d entries, want 1: %s", s.user, s.text, b.auditLen()-n, reply)
		}
		checkAggregates(t, b, s.text)
	}
}

// checkAggregates compares the aggregates with the records.
func checkAggregates(t *testing.T, b *bot, after string) {
	t.Helper()
	ctx := context.Background()
	if d, err := b.db.RebuildAggregates(ctx, false); err != nil || len(d) != 0 {
		t.Fatalf("after %q: rebuild check: %q, %v", after, d, err)
	}
	people, err := zsreport.LoadPeople(ctx, b.db)
	if err != nil {
		t.Fatal(err)
	}
	parks, err := b.db.Parks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]zsbot.Date{{20240101, 20241231}, {20241101, 20241130}, {20241201, 20241223}, {20241103, 20241110}} {
		l, err := b.db.Ledger(ctx, p[0], p[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, unit := range []zsbot.Unit{zsbot.ByOfficer, zsreport.ParkUnit(people, parks)} {
			bureau, units, err := b.db.AggTotals(ctx, p[0], p[1], unit)
			if err != nil {
				t.Fatal(err)
			}
			want := zsbot.ComputeBy(l, p[0], p[1], unit)
			want["\x00"] = zsbot.Compute(l, p[0], p[1])
			units["\x00"] = bureau
			for u, f := range want {
				w := zsbot.AggTotals{Visits: f.Visits, Visited: f.Visited, Receptions: f.Receptions, Promotions: f.Promotions}
				var g zsbot.AggTotals
				if units[u] != nil {
					g = *units[u]
				}
				if g != w {
					t.Errorf("after %q, %v–%v, unit %q: aggregates %+v, records %+v", after, p[0], p[1], u, g, w)
				}
			}
		}
	}
}
