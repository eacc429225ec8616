package handlers_test

import (
	"context"
	"fmt"
	"strings"
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
		{"zhangsan", "签约 P3 12亿 11月5日"},
		{"zhangsan", "增资 P3 9亿 11月20日"},
		{"zhangsan", "到位 P3 2亿 11月21日"},
		{"zhangsan", "开工 P3 12月2日"},
		{"zhangsan", "改 P3 市内"},
		{"zhangsan", "撤销"},
		{"zhangsan", "改 P3 签约日期 11月1日"},
		{"zhangsan", "改 Z1 金额 40亿"},
		{"zhangsan", "撤销"},
		{"zhangsan", "改 F1 日期 12月1日"},
		{"zhangsan", "删除 F1"},
		{"li", "合并 P3 到 P4"},
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
		first := zsbot.YearStart(p[1])
		l, err := b.db.Ledger(ctx, first, p[1])
		if err != nil {
			t.Fatal(err)
		}
		for _, unit := range []zsbot.Unit{nil, zsbot.ByOfficer, zsreport.ParkUnit(people, parks)} {
			d, err := b.db.Aggregates(ctx, unit != nil, p, [2]zsbot.Date{first, p[1]})
			if err != nil {
				t.Fatal(err)
			}
			want, got := zsbot.ComputeBy(l, p[0], p[1], unit), d.Figures(p[0], p[1], unit)
			for u, f := range want {
				if a, b := measureLine(f), measureLine(got[u]); a != b {
					t.Errorf("after %q, %v–%v, unit %q:\nrecords    %s\naggregates %s", after, p[0], p[1], u, a, b)
				}
			}
			conv := zsbot.ConvertBy(l, p[1], unit)
			for u, f := range d.Figures(first, p[1], unit) {
				w := conv[u]
				w.AsOf = p[1]
				if c := f.Conversion(); c != w {
					t.Errorf("after %q, conversion as of %v, unit %q: aggregates %+v, records %+v", after, p[1], u, c, w)
				}
			}
		}
	}
}

// measureLine shows every figure the aggregates carry.
func measureLine(f *zsbot.Figures) string {
	if f == nil {
		f = &zsbot.Figures{}
	}
	s := fmt.Sprintf("签约%d/%d 引资%d/%d 开工%d/%d 到位%d/%d 拜访%d/%d家 接待%d 推介%d 任务%d/%d 档",
		f.Signed(), f.SignedOut(), f.Agreed, f.AgreedOut, f.Started, f.StartedOut, f.Funds, f.FundsOut,
		f.Visits, f.Visited, f.Receptions, f.Promotions, f.TasksDone, f.TasksOnTime)
	for _, t := range zsbot.SizeTiers {
		s += fmt.Sprintf(" %d", f.Count(t))
	}
	return s
}

// TestStatsWithoutAggregates: a store whose aggregates are not built (an
// older zsbot's, or a restored backup of one) answers 统计 from the records,
// the same reply as from the aggregates; once built (MigrateAggregates, as
// start-up and restore do) the aggregates answer again, still the same.
func TestStatsWithoutAggregates(t *testing.T) {
	b := seed2024(t)
	ctx := t.Context()
	texts := []string{"统计 2024", "统计 2024年12月", "统计 双福 2024", "统计 各园区 2024", "统计 张三 2024年第4季度"}
	want := map[string]string{}
	for _, text := range texts {
		if want[text] = b.say("li", text); !strings.Contains(want[text], "招商统计") || !strings.Contains(want[text], "签约") {
			t.Fatalf("%s: %s", text, want[text])
		}
	}
	if err := b.db.Client().Del(ctx, "zs:{test}:aggversion").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Aggregates(ctx, false, [2]zsbot.Date{20240101, 20241231}); err != zsbot.ErrNoAggregates {
		t.Fatalf("aggregates without their version: %v, want ErrNoAggregates", err)
	}
	for _, text := range texts {
		if got := b.say("li", text); got != want[text] {
			t.Errorf("%s from the records:\n%s\nfrom the aggregates:\n%s", text, got, want[text])
		}
	}
	if built, err := b.db.MigrateAggregates(ctx); err != nil || !built {
		t.Fatalf("migrate: %v, %v", built, err)
	}
	if built, err := b.db.MigrateAggregates(ctx); err != nil || built {
		t.Fatalf("second migrate: %v, %v; want nothing to do", built, err)
	}
	for _, text := range texts {
		if got := b.say("li", text); got != want[text] {
			t.Errorf("%s after the migration:\n%s\nbefore:\n%s", text, got, want[text])
		}
	}
}
