package handlers_test

import (
	"strings"
	"testing"

	"zsbot"
)

func TestUndoStepByStep(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "拜访 京东方 北京", "新建企业", "E5")
	b.expect("zhangsan", "新项目 京东方第6代AMOLED生产线 企业:京东方 465亿", "P5")
	b.expect("zhangsan", "签约 P5 465亿 昨天", "已记录签约")
	b.expect("zhangsan", "任务 P5 环评批复 月底", "T1")
	b.expect("wangwu", "洽谈 P4 已报价", "洽谈")
	b.run(t, []step{
		{"Task", "", "撤销", 1, []string{"已撤销", "任务 P5 环评批复 月底", "再发「撤销」将撤回：「签约 P5 465亿 昨天」"}},
		{"Signing", "", "undo", 1, []string{"签约 P5 465亿 昨天"}},
		{"OthersUndoIsTheirOwn", "wangwu", "撤销", 1, []string{"洽谈 P4 已报价"}},
		{"NewProject", "", "撤回", 1, []string{"新项目 京东方第6代AMOLED生产线"}},
		{"VisitWithNewCompany", "", "撤销", 1, []string{"拜访 京东方 北京"}},
		{"EarlierThan24Hours", "", "撤销", 0, []string{"签约 P1 51亿", "超过24小时"}},
		{"ErrWordsAfter", "", "撤销 P1", 0, []string{"不用写内容"}},
	})
	d := b.dump()
	if len(d.Tasks) != 0 || len(d.Projects) != 4 || len(d.Companies) != 4 || len(d.Activities) != 0 {
		t.Fatalf("after undo: %d tasks, %d projects, %d companies, %d activities",
			len(d.Tasks), len(d.Projects), len(d.Companies), len(d.Activities))
	}
	if p := b.project("P4"); p.FollowedOn != 20241101 {
		t.Errorf("P4 after undoing the talk = %+v", p)
	}
	l, err := b.db.Ledger(t.Context(), 20241201, 20241231)
	if err != nil || len(l.Signed) != 1 || l.Signed[0] != "P1" {
		t.Errorf("signed index after undo = %v, %v", l.Signed, err)
	}
	// Removed records leave no name behind: the names are free again.
	b.expect("zhangsan", "查 京东方第6代AMOLED生产线", "未找到项目")
	b.expect("zhangsan", "新项目 京东方第6代AMOLED生产线 企业:京东方", "P6", "新建企业 E6")
	b.expect("zhangsan", "查 P4", "P4")
}

func TestUndoRefusals(t *testing.T) {
	b := newBot(t)
	b.expect("admin", "人员 添加 zhangsan 张三 双福园区 招商员", "已登记")
	b.run(t, []step{
		{"NothingYet", "", "撤销", 0, []string{"没有可撤销的操作"}},
		{"Unregistered", "stranger", "撤销", 0, []string{"还不是登记用户"}},
	})
	b = world(t)
	b.expect("zhangsan", "洽谈 P3 已报价", "洽谈")
	b.expect("li", "改 P3 产业 新型显示", "已修改")
	b.expect("zhangsan", "签约 P3 15亿", "已记录签约")
	b.expect("li", "改 P3 金额 16亿", "已修改")
	b.run(t, []step{
		{"ChangedSince", "", "撤销", 0, []string{"不能撤销「签约 P3 15亿」", "之后又被修改过", "历史 P3"}},
		{"LeaderUndoesOwn", "li", "撤销", 1, []string{"改 P3 金额 16亿"}},
		{"NowItWorks", "", "撤销", 1, []string{"签约 P3 15亿"}},
	})
	if p := b.project("P3"); p.Stage != zsbot.StageTalking || !p.SignedOn.IsZero() || p.Amount != 0 || p.Industry != "新型显示" {
		t.Errorf("P3 after undoing its signing = %+v", p)
	}
	if l, _ := b.db.Ledger(t.Context(), 20241223, 20241223); len(l.Signed) != 0 {
		t.Errorf("signed index keeps %v after undo", l.Signed)
	}
	b.at("2024-12-24T10:30")
	b.run(t, []step{
		{"TooOld", "", "撤销", 0, []string{"超过24小时", "洽谈 P3 已报价", "改"}},
	})
}

func TestHistory(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "洽谈 诺比侃 已完成土地预审", "洽谈")
	b.at("2024-12-23T15:45")
	b.expect("li", "改 诺比侃 金额 55亿", "已修改")
	b.expect("li", "撤销", "已撤销")
	b.run(t, []step{
		{"Spec", "", "历史 诺比侃", 0, []string{"P1 诺比侃机器视觉智能装备生产总部 的操作记录"}},
		{"Alias", "wangwu", "history P1", 0, []string{"李四：撤销"}},
		{"ErrEmpty", "", "历史", 0, []string{"请写明项目", "例如：历史 诺比侃"}},
		{"ErrUnknown", "", "历史 华为", 0, []string{"未找到项目"}},
	})
	got := b.say("zhangsan", "历史 P1")
	want := []string{
		"12月23日 15:45 李四：撤销",
		"12月23日 15:45 李四：改 诺比侃 金额 55亿〔已撤销〕",
		"12月23日 10:00 张三：洽谈 诺比侃 已完成土地预审",
		"12月20日 16:30 张三：签约 P1 51亿",
		"11月1日 09:00 张三：新项目 诺比侃机器视觉智能装备生产总部",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(got[at:], w)
		if i < 0 {
			t.Fatalf("历史 lacks %q after byte %d, or out of order:\n%s", w, at, got)
		}
		at += i + len(w)
	}
}

// TestUndoFieldLevel replays issue 14's first bullet: a wrong payment, then
// a leader's change of another field of the same project, then 撤销: the
// payment goes, the leader's change stands.
func TestUndoFieldLevel(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "到位 康硕 10亿", "F1", "P2")
	b.expect("li", "改 P2 产业 汽车零部件", "已修改")
	b.expect("li", "统计 本月", "资金到位10亿元")
	b.run(t, []step{
		{"OtherFieldStands", "", "撤销", 1, []string{"已撤销", "到位 康硕 10亿"}},
	})
	if p := b.project("P2"); p.Funds != 0 || p.Industry != "汽车零部件" {
		t.Errorf("P2 after the undo = %+v", p)
	}
	b.expect("li", "统计 本月", "资金到位0亿元")
	b.expect("zhangsan", "查 F1", "未找到")

	// Payments add up: undoing one takes its amount off what others added since.
	b.expect("zhangsan", "到位 P2 10亿", "F2")
	b.expect("zhaoliu", "到位 P2 5亿", "F3", "累计到位15亿元")
	b.run(t, []step{{"TotalsTakeBack", "", "撤销", 1, []string{"已撤销", "到位 P2 10亿"}}})
	if p := b.project("P2"); p.Funds != 5*zsbot.Yi {
		t.Errorf("P2's funds after the undo = %s, want 5亿元", p.Funds)
	}
	b.expect("li", "统计 本月", "资金到位5亿元")

	// The same field changed since is a real conflict.
	b.expect("zhangsan", "改 P3 产业 新材料", "已修改")
	b.expect("li", "改 P3 产业 新型显示", "已修改")
	b.run(t, []step{
		{"SameField", "", "撤销", 0, []string{"不能撤销「改 P3 产业 新材料」", "P3的产业之后又被修改过", "历史 P3"}},
	})
	if p := b.project("P3"); p.Industry != "新型显示" {
		t.Errorf("P3 after a refused undo = %+v", p)
	}
}

// TestUndoReferencedCreation: undoing 新项目 that others' records now refer
// to is refused with their IDs (no orphans), and goes once they are gone.
func TestUndoReferencedCreation(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "新项目 京东方第6代AMOLED生产线 企业:京东方 465亿", "P5", "E5")
	b.expect("zhaoliu", "拜访 P5 北京", "A1")
	b.expect("zhaoliu", "任务 P5 环评批复 月底", "T1")
	b.expect("zhaoliu", "协调 P5 用电", "C1")
	b.run(t, []step{
		{"Refused", "", "撤销", 0, []string{"不能撤销「新项目 京东方第6代AMOLED生产线", "P5 之后又被其他记录引用：A1 T1 C1"}},
	})
	b.expect("li", "统计 本月", "拜访1次（1家）")
	for _, want := range []string{"协调 P5 用电", "任务 P5 环评批复 月底", "拜访 P5 北京"} {
		b.expect("zhaoliu", "撤销", "已撤销", want)
	}
	b.run(t, []step{{"NowItGoes", "", "撤销", 1, []string{"已撤销", "新项目 京东方第6代AMOLED生产线"}}})
	d := b.dump()
	if len(d.Projects) != 4 || len(d.Companies) != 4 || len(d.Activities) != 0 || len(d.Tasks) != 0 || len(d.Items) != 0 {
		t.Errorf("after the undo: %d projects, %d companies, %d activities, %d tasks, %d items",
			len(d.Projects), len(d.Companies), len(d.Activities), len(d.Tasks), len(d.Items))
	}
	// A company made by a visit, then given a project by someone else.
	b.expect("zhangsan", "拜访 比亚迪 深圳", "E6")
	b.expect("zhaoliu", "新项目 比亚迪电池基地 企业:比亚迪", "P6")
	b.run(t, []step{{"CompanyReferred", "", "撤销", 0, []string{"E6 之后又被其他记录引用：P6"}}})
}

// TestUndoRechecksAccess: 撤销 is refused when the sender may no longer do
// what it undoes: an admin demoted, an officer moved to another park.
func TestUndoRechecksAccess(t *testing.T) {
	b := world(t)
	b.expect("admin", "人员 添加 boss 老王 招商科 管理员", "已登记")
	b.expect("boss", "人员 停用 wangwu", "已停用")
	b.expect("zhaoliu", "改 P1 产业 高端装备", "已修改")
	b.expect("admin", "人员 添加 boss 老王 招商科 招商员", "老王")
	b.expect("admin", "人员 添加 zhaoliu 赵六 珞璜园区 招商员", "赵六")
	b.run(t, []step{
		{"DemotedAdmin", "boss", "撤销", 0, []string{"不能撤销「人员 停用 wangwu」", "只限管理员使用"}},
		{"MovedOfficer", "zhaoliu", "撤销", 0, []string{"不能撤销「改 P1 产业 高端装备」", "只有负责人张三、双福园区的人员、领导和管理员"}},
	})
	if p := b.project("P1"); p.Industry != "高端装备" {
		t.Errorf("P1 after a refused undo = %+v", p)
	}
	b.expect("admin", "人员 添加 zhaoliu 赵六 双福园区 招商员", "赵六")
	b.expect("zhaoliu", "撤销", "已撤销", "改 P1 产业 高端装备")
}

// TestUndoAfterDelete: a record deleted or merged away since cannot have
// an earlier change undone, and the reply says so.
func TestUndoAfterDelete(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "拜访 P1 成都", "A1")
	b.expect("zhangsan", "改 A1 地点 重庆", "已修改")
	b.expect("li", "删除 A1", "已删除活动 A1")
	b.run(t, []step{{"EditOfDeleted", "", "撤销", 0, []string{"不能撤销「改 A1 地点 重庆」：A1 之后已被删除或合并"}}})
	b.expect("li", "撤销", "已撤销", "删除 A1")
	b.run(t, []step{{"EditNowUndone", "", "撤销", 1, []string{"已撤销", "改 A1 地点 重庆"}}})
	if a := b.dump().Activities; len(a) != 1 || a[0].City != "成都" {
		t.Errorf("activities after the undos = %+v", a)
	}
}
