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
