package handlers_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"zsbot/handlers"
)

// TestParksClosedList: with a list of parks, every park typed resolves to
// a listed one by name or short name, or is refused with the list and
// nothing written.
func TestParksClosedList(t *testing.T) {
	b := newBot(t)
	b.run(t, []step{
		{"NoListFreeText", "admin", "人员 添加 wangwu 王五 火星 招商员", 1, []string{"火星"}},
		{"Add", "admin", "园区 添加 双福园区", 1, []string{"已添加园区 双福园区（双福）"}},
		{"AddShortNames", "admin", "园区 添加 珞璜园区 珞璜 luohuang", 1, []string{"珞璜园区（珞璜、luohuang）", "双福园区（双福）"}},
		{"ErrAddTwice", "admin", "园区 添加 双福", 0, []string{"与已有的园区 双福园区 重名"}},
		{"ErrNotAdmin", "wangwu", "园区 添加 白沙园区", 0, []string{"只限管理员"}},
		{"List", "admin", "园区 列表", 0, []string{"园区2个：双福园区（双福）、珞璜园区（珞璜、luohuang）"}},
		{"StaffByShortName", "admin", "人员 添加 zhangwei 张伟 珞璜 招商员", 1, []string{"张伟（zhangwei，珞璜园区，招商员）"}},
		{"StaffByLooseName", "admin", "人员 添加 zhangsan 张三 双福工业园区 招商员", 1, []string{"双福园区，招商员"}},
		{"ErrStaffUnlisted", "admin", "人员 添加 x 某人 火星 招商员", 0, []string{"没有「火星」这个园区", "园区有：双福园区（双福）、珞璜园区（珞璜、luohuang）"}},
		{"LeaderSection", "admin", "人员 添加 li 李四 招商科 领导", 1, []string{"招商科"}},
		{"NewProjectOption", "zhangsan", "新项目 诺比侃机器视觉 企业:诺比侃 园区:luohuang", 1, []string{"珞璜园区"}},
		{"ErrNewProjectUnlisted", "zhangsan", "新项目 某项目 企业:诺比侃 园区:火星", 0, []string{"没有「火星」这个园区"}},
		{"NewProjectSenderPark", "zhangsan", "新项目 晶帆光电芯片 企业:晶帆光电", 1, []string{"双福园区"}},
		{"EditPark", "li", "改 P2 园区 珞璜", 1, []string{"园区 双福园区 → 珞璜园区"}},
		{"ErrEditUnlisted", "li", "改 P2 园区 火星", 0, []string{"没有「火星」这个园区"}},
		{"ErrGroupUnlisted", "admin", "群 添加 火星群 " + robotKey + " 火星", 0, []string{"没有「火星」这个园区"}},
		{"GroupShortName", "admin", "群 添加 珞璜群 " + robotKey + " 珞璜", 1, []string{"珞璜园区"}},
		{"Rename", "admin", "园区 改名 珞璜 珞璜新区", 1, []string{"已将园区 珞璜园区 改名为 珞璜新区（珞璜园区、珞璜、luohuang）", "4条"}},
	})
	if p := b.project("P1"); p.Park != "珞璜新区" {
		t.Errorf("P1 park = %q after the rename", p.Park)
	}
	b.expect("admin", "人员 列表", "zhangwei 张伟 珞璜新区")
	b.expect("admin", "群 列表", "珞璜新区")
	b.expect("admin", "撤销", "已撤销")
	if p := b.project("P1"); p.Park != "珞璜园区" {
		t.Errorf("P1 park = %q after undoing the rename", p.Park)
	}
	b.expect("admin", "园区 列表", "园区2个：双福园区（双福）、珞璜园区（珞璜、luohuang）")
	b.expect("admin", "人员 列表", "zhangwei 张伟 珞璜园区")
	b.expect("admin", "群 列表", "珞璜园区")
	// A park added is not taken off the list while a record names it.
	b.run(t, []step{
		{"AddAgain", "admin", "园区 添加 白沙园区", 1, []string{"已添加园区 白沙园区（白沙）"}},
		{"EditToNewPark", "li", "改 P2 园区 白沙", 1, []string{"→ 白沙园区"}},
		{"ErrUndoParkInUse", "admin", "撤销", 0, []string{"白沙园区 之后又被其他记录引用：P2"}},
		{"UndoEdit", "li", "撤销", 1, []string{"已撤销"}},
		{"UndoParkAdd", "admin", "撤销", 1, []string{"已撤销", "园区 添加 白沙园区"}},
		{"ListAfterUndo", "admin", "园区 列表", 0, []string{"园区2个：双福园区（双福）、珞璜园区（珞璜、luohuang）"}},
	})
}

// TestMigrateParks: ZSBOT_PARKS seeds the list once; people, projects and
// groups that name a listed park by a short name are rewritten to it, and
// the migration is logged; a second start changes nothing.
func TestMigrateParks(t *testing.T) {
	b := newBot(t)
	b.expect("admin", "人员 添加 zhangsan 张三 双福 招商员", "双福")
	b.expect("admin", "人员 添加 zhangwei 张伟 珞璜 招商员", "珞璜")
	b.expect("admin", "人员 添加 wangwu 王五 珞璜园区 招商员", "珞璜园区")
	b.expect("admin", "人员 添加 li 李四 招商科 领导", "招商科")
	b.expect("zhangwei", "新项目 诺比侃机器视觉 企业:诺比侃", "P1", "珞璜")
	b.expect("admin", "群 添加 珞璜群 "+robotKey+" 珞璜", "已登记")
	var log strings.Builder
	logger := slog.New(slog.NewTextHandler(&log, nil))
	ctx := context.Background()
	seed := []string{"双福园区", "德感园区", "珞璜园区", "白沙园区"}
	n := b.auditLen()
	if err := handlers.MigrateParks(ctx, b.db, seed, b.now, logger); err != nil {
		t.Fatal(err)
	}
	if b.auditLen() != n+1 {
		t.Errorf("the migration wrote %d audit entries, want 1", b.auditLen()-n)
	}
	for _, want := range []string{"seeded from ZSBOT_PARKS", "park=白沙园区", "migrated records", "park=珞璜园区 records=3", "userid=li park=招商科"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, log.String())
		}
	}
	b.expect("admin", "园区 列表", "园区4个：双福园区（双福）、德感园区（德感）、珞璜园区（珞璜）、白沙园区（白沙）")
	b.expect("admin", "人员 列表", "zhangsan 张三 双福园区", "zhangwei 张伟 珞璜园区", "li 李四 招商科")
	b.expect("admin", "群 列表", "珞璜园区")
	if p := b.project("P1"); p.Park != "珞璜园区" {
		t.Errorf("P1 park = %q", p.Park)
	}
	if err := handlers.MigrateParks(ctx, b.db, []string{"别的园区"}, b.now, logger); err != nil {
		t.Fatal(err)
	}
	if b.auditLen() != n+1 {
		t.Error("a second start wrote again")
	}
}

// TestQuarterlyCountsListedParks replays issue 14: an officer registered
// as of 「珞璜」 beside 「珞璜园区」 adds no row of its own to the 季度考核,
// with a list of parks (migrated at start) or without one, so the per-park
// targets are shared by the two real parks: 双福园区 scores as it does
// without him.
func TestQuarterlyCountsListedParks(t *testing.T) {
	score := func(zhangwei, list bool) string {
		b := newBot(t)
		b.expect("admin", "人员 添加 zhangsan 张三 双福园区 招商员", "已登记")
		b.expect("admin", "人员 添加 wangwu 王五 珞璜园区 招商员", "已登记")
		b.expect("admin", "人员 添加 li 李四 招商科 领导", "已登记")
		if zhangwei {
			b.expect("admin", "人员 添加 zhangwei 张伟 珞璜 招商员", "珞璜")
		}
		if list {
			if err := handlers.MigrateParks(context.Background(), b.db, []string{"双福园区", "珞璜园区"}, b.now, slog.New(slog.DiscardHandler)); err != nil {
				t.Fatal(err)
			}
		}
		b.expect("admin", "目标 2024 签约项目 8", "已")
		b.expect("admin", "目标 2024 协议引资 80亿", "已")
		b.expect("zhangsan", "新项目 诺比侃机器视觉 企业:诺比侃", "P1")
		b.expect("zhangsan", "签约 P1 10亿 2024-08-01", "已记录签约")
		b.expect("wangwu", "新项目 晶帆光电芯片 企业:晶帆光电", "P2")
		b.expect("wangwu", "签约 P2 5亿 2024-08-02", "已记录签约")
		got := b.expect("li", "通报 预览 季度", "园区排名", "双福园区", "珞璜园区")
		// 通报 预览 answers plain text (issue 15): a park's row is
		// 「1. 双福园区 60.0分：…」.
		rows := regexp.MustCompile(`(?m)^\d+\. \S+园区 [\d.]+分：`).FindAllString(got, -1)
		if regexp.MustCompile(`\d\. 珞璜 `).MatchString(got) || len(rows) != 2 {
			t.Errorf("a park not on the list is ranked:\n%s", got)
		}
		return regexp.MustCompile(`双福园区 [\d.]+分`).FindString(got)
	}
	two := score(false, false)
	if two != "双福园区 60.0分" {
		t.Errorf("双福园区 scores %q with two parks", two)
	}
	for _, list := range []bool{false, true} {
		if got := score(true, list); got != two {
			t.Errorf("双福园区 scores %q with 张伟 of 「珞璜」 (list %v), %q without", got, list, two)
		}
	}
}

// TestStatsEveryListedPark: 统计 各园区 has a row for every listed park,
// one with no officer and no record too (the tester's 珞璜园区 left out
// after its only officer left).
func TestStatsEveryListedPark(t *testing.T) {
	b := world(t)
	for _, p := range []string{"双福园区", "珞璜园区", "白沙园区"} {
		b.expect("admin", "园区 添加 "+p, "已添加园区 "+p)
	}
	got := b.expect("li", "统计 各园区 本年", "双福园区：签约2个", "白沙园区：签约0个/0亿元", "全区合计")
	if strings.Index(got, "白沙园区") < strings.Index(got, "双福园区") {
		t.Errorf("a park with nothing is listed before one with signings:\n%s", got)
	}
}
