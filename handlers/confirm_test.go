package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestConfirmHeld: an implausible amount is asked about and nothing is
// written; 确认 (是 对 确定 1) within ten minutes writes it exactly once, a
// second 确认 finds nothing waiting, and any other message drops it.
// World: P2 康硕集团 signed 20亿, P1 诺比侃 signed 51亿 (planned 30亿), P3
// 晶帆光电 in talks, planned 15亿.
func TestConfirmHeld(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"FundAboveAgreed", "", "到位 P2 25亿", 0, []string{"累计到位25亿元，超过协议引资20亿元", "是否确认？回复「确认」记录"}},
		{"Confirm", "", "确认", 1, []string{"已记录到位资金", "25亿元", "累计到位25亿元"}},
		{"ConfirmAgain", "", "确认", 0, []string{"没有等待确认"}},
		{"FundAgain", "", "到位 P2 1亿", 0, []string{"累计到位26亿元，超过协议引资20亿元"}},
		{"OtherMessageDrops", "", "查 P1", 0, []string{"P1"}},
		{"ConfirmAfterDrop", "", "确认", 0, []string{"没有等待确认"}},
		{"AskYes", "", "到位 P2 1亿 昨天", 0, []string{"是否确认"}},
		{"Yes", "", "是", 1, []string{"已记录到位资金", "12月22日"}},
		{"AskRight", "", "到位 P2 1亿", 0, []string{"是否确认"}},
		{"Right", "", "对", 1, []string{"已记录到位资金"}},
		{"AskSure", "", "到位 P2 1亿", 0, []string{"是否确认"}},
		{"Sure", "", "确定", 1, []string{"已记录到位资金"}},
		{"AskOne", "", "到位 P2 1亿", 0, []string{"是否确认"}},
		{"One", "", "1", 1, []string{"已记录到位资金", "累计到位29亿元"}},
		{"AskCancel", "", "到位 P2 1亿", 0, []string{"是否确认"}},
		{"Cancel", "", "取消", 0, []string{"已取消，未记录", "到位 P2 1亿"}},
		{"CancelAgain", "", "1", 0, []string{"没有等待"}},
		{"AskCorrected", "", "到位 P2 10亿", 0, []string{"是否确认"}},
		{"CorrectedRunsAsItself", "", "到位 P1 1亿", 1, []string{"已记录到位资金", "P1"}},
		{"SignTenTimesPlanned", "", "签约 P3 150亿", 0, []string{"签约150亿元，是计划投资15亿元的10倍", "是否确认"}},
		{"SignConfirmed", "", "确认", 1, []string{"已记录签约", "150亿元"}},
		{"SignBelowTenTimes", "wangwu", "签约 P4 99亿", 1, []string{"已记录签约", "99亿元"}},
		{"IncreaseTenTimes", "", "增资 P1 510亿", 0, []string{"增资510亿元，是现有协议引资51亿元的10倍", "是否确认"}},
		{"IncreaseDropped", "", "增资 P1 5亿", 1, []string{"已记录增资", "5亿元"}},
		{"ConfirmGone", "", "确认", 0, []string{"没有等待确认"}},
		{"RefusedIsNotAsked", "", "到位 P2 25亿 明天", 0, []string{"还没到"}},
		{"ConfirmNothing", "", "确认", 0, []string{"没有等待确认"}},
	})
	if p := b.project("P2"); p.Funds != 290000 {
		t.Errorf("P2 funds %v, want 29亿 (25 + 1 + 1 + 1 + 1)", p.Funds)
	}
	if p := b.project("P3"); p.Amount != 1500000 || p.Stage != "签约" {
		t.Errorf("P3 %s %v, want signed 150亿", p.Stage, p.Amount)
	}
	if p := b.project("P1"); p.Amount != 560000 {
		t.Errorf("P1 amount %v, want 56亿 (51 + 5; the 510亿 was dropped)", p.Amount)
	}
}

// TestConfirmKeptTenMinutes: the held command lives in Redis with the
// pending choice's 10-minute TTL, and the audit keeps the command as
// confirmed, not 「确认」.
func TestConfirmKeptTenMinutes(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "到位 康硕集团 25亿", "是否确认")
	ttl, err := b.db.Client().PTTL(context.Background(), "zs:{test}:pick:zhangsan").Result()
	if err != nil || ttl <= 9*time.Minute || ttl > 10*time.Minute {
		t.Fatalf("held command's TTL %v, %v; want 10 minutes", ttl, err)
	}
	b.expect("zhangsan", "确认", "已记录到位资金")
	log, err := b.db.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if raw := log[len(log)-1].Raw; raw != "到位 康硕集团 25亿" {
		t.Errorf("audit keeps %q, want the confirmed command", raw)
	}
	// Another officer's 确认 does not run it.
	b.expect("zhangsan", "到位 P2 1亿", "是否确认")
	b.expect("wangwu", "确认", "没有等待确认")
	b.expect("zhangsan", "确认", "已记录到位资金", "累计到位26亿元")
}

// TestLeapDayAndYearNote: 2月29日 typed in March 2025 is refused (2025 has
// none), never moved to 2024; a yearless date more than six months back
// is stored with the year said.
func TestLeapDayAndYearNote(t *testing.T) {
	b := world(t)
	b.at("2025-03-20T10:00")
	b.run(t, []step{
		{"LeapDay", "", "拜访 诺比侃 成都 2月29日", 0, []string{"2025年没有2月29日"}},
		{"LeapDayInNote", "", "接待 中冶赛迪 5人 2月29日 考察", 0, []string{"2025年没有2月29日"}},
		{"LeapDayWithYear", "", "拜访 诺比侃 成都 2024年2月29日", 1, []string{"已记录拜访", "2024年2月29日"}},
		{"YearNote", "", "拜访 诺比侃 成都 9月1日", 1, []string{"2024年9月1日", "按2024年计"}},
		{"NoNoteWithinSixMonths", "", "拜访 诺比侃 成都 10月1日", 1, []string{"2024年10月1日"}},
	})
	if got := b.say("zhangsan", "拜访 诺比侃 成都 10月1日"); strings.Contains(got, "按2024年计") {
		t.Errorf("a date within six months is noted: %q", got)
	}
}

// TestPickForms: 第2个, 2号, 2., ２, (2), （2）, 第二个 pick the second of a
// list; a number outside it shows the list again and keeps waiting.
func TestPickForms(t *testing.T) {
	b := world(t)
	for _, form := range []string{"2", "第2个", "2号", "2.", "２", "(2)", "（2）", "第二个", "2、"} {
		n := b.auditLen()
		// P4 is wangwu's (珞璜园区): he may write on it, zhangsan may not.
		b.expect("wangwu", "洽谈 康硕 "+form+"的回复", "匹配到2个项目", "1. P2", "2. P4")
		b.expect("wangwu", form, "已记录洽谈", "P4")
		if got := b.auditLen() - n; got != 1 {
			t.Errorf("%q: wrote %d entries, want 1", form, got)
		}
	}
	b.run(t, []step{
		{"PickList", "", "洽谈 康硕 对方来电", 0, []string{"匹配到2个项目", "2. P4"}},
		{"ErrPickOthersPark", "", "2", 0, []string{"只有负责人王五、珞璜园区的人员、领导和管理员可以记洽谈 P4"}},
		{"List", "", "洽谈 康硕 对方来电", 0, []string{"匹配到2个项目"}},
		{"OutOfRange", "", "3", 0, []string{"没有第3个", "1. P2", "2. P4"}},
		{"Zero", "", "第0个", 0, []string{"没有第0个", "1. P2"}},
		{"StillWaiting", "", "第1个", 1, []string{"已记录洽谈", "P2"}},
		{"Gone", "", "1", 0, []string{"没有等待"}},
		{"SlipOutOfRange", "", "签月 P3 15亿", 0, []string{"是不是要「签约」"}},
		{"SlipTwo", "", "2", 0, []string{"没有第2个", "是不是要「签约」"}},
		{"SlipYes", "", "是", 1, []string{"已记录签约", "P3"}},
		{"DoneNumber", "", "完成 9", 0, []string{"是指 T9 吗"}},
		{"DoneCancel", "", "不是", 0, []string{"已取消"}},
	})
}

// TestHistoryPages: 历史 gives the true total and pages through it.
func TestHistoryPages(t *testing.T) {
	b := world(t)
	for i := 1; i <= 23; i++ {
		b.expect("zhangsan", fmt.Sprintf("洽谈 P3 第%d次沟通", i), "已记录洽谈")
	}
	b.expect("zhangsan", "撤销", "撤回")
	// 23 洽谈, the undo, and 新项目: 25 entries.
	first := b.expect("zhangsan", "历史 P3", "共25条", "第1/3页", "1. ", "张三：撤销", "历史 P3 第2页")
	if strings.Contains(first, "11. ") {
		t.Errorf("page 1 shows more than 10 entries:\n%s", first)
	}
	second := b.expect("zhangsan", "历史 晶帆光电 第2页", "共25条", "第2/3页", "11. ", "20. ", "历史 P3 第3页")
	if strings.Contains(second, "21. ") || strings.Contains(second, "\n10. ") {
		t.Errorf("page 2 shows entries of other pages:\n%s", second)
	}
	third := b.expect("zhangsan", "历史 P3 第三页", "第3/3页", "21. ", "25. ", "新项目 晶帆光电")
	if strings.Contains(third, "第4页") {
		t.Errorf("the last page offers another:\n%s", third)
	}
	b.expect("zhangsan", "历史 P3 第4页", "共25条，只有3页")
	b.expect("zhangsan", "历史 P3 第x页", "页码")
	// The undone entry is marked wherever its page is.
	b.expect("zhangsan", "历史 P3", "第23次沟通〔已撤销〕")
	b.expect("zhangsan", "历史 P4", "共1条", "新项目 康硕电子")
}

// TestMineCountsAll: 我的 counts every project it lists, 终止 ones too,
// and pages through the rest instead of cutting them.
func TestMineCountsAll(t *testing.T) {
	b := world(t)
	for i := 1; i <= 14; i++ {
		b.expect("zhangsan", fmt.Sprintf("新项目 测试项目%02d号 企业:测试企业%02d 1亿", i, i), "已登记")
	}
	b.expect("zhangsan", "终止 测试项目01号 企业战略调整", "终止")
	for i := 1; i <= 7; i++ {
		b.expect("zhangsan", fmt.Sprintf("任务 P3 第%d项工作 12月%d日", i, i+23), "已登记任务")
	}
	// 17 projects (P1 P2 P3 and 14 new, one of them 终止), 7 tasks.
	all := b.expect("zhangsan", "我的", "您的任务7项", "第1/2页", "我的 任务 第2页", "您负责的项目17个", "终止1", "第1/3页", "我的 项目 第2页")
	seen := map[string]bool{}
	pages := []string{all, b.say("zhangsan", "我的 项目 第2页"), b.say("zhangsan", "我的 项目 第三页")}
	for _, page := range pages {
		for _, l := range strings.Split(page, "\n") {
			if strings.HasPrefix(l, "· P") {
				id, _, _ := strings.Cut(strings.TrimPrefix(l, "· "), " ")
				if seen[id] {
					t.Errorf("%s listed twice", id)
				}
				seen[id] = true
			}
		}
	}
	if len(seen) != 17 {
		t.Errorf("the pages list %d projects, want all 17:\n%s", len(seen), strings.Join(pages, "\n----\n"))
	}
	if !strings.Contains(pages[2], "测试项目01号 终止") {
		t.Errorf("the 终止 project is not on the last page:\n%s", pages[2])
	}
	b.expect("zhangsan", "我的 任务 第2页", "第2/2页", "第7项工作")
	b.expect("zhangsan", "我的 项目 第4页", "只有3页")
	b.expect("zhangsan", "我的 第2页", "写明 任务 或 项目")
}
