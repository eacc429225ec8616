package handlers_test

import (
	"strings"
	"testing"
)

func TestTask(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Spec", "", "任务 诺比侃 完成土地摘牌 12月15日 @张三", 1, []string{"任务 T1", "P1", "完成土地摘牌", "负责人张三", "2025年12月15日"}},
		{"DefaultAssigneeIsSender", "", "任务 诺比侃 环评批复 下周五", 1, []string{"T2", "负责人张三", "2025年1月3日", "还有11天"}},
		{"ByUserID", "", "task P2 办理施工许可 月底前 @wangwu", 1, []string{"T3", "负责人王五", "2024年12月31日", "还有8天"}},
		{"DeadlineFirst", "", "任务 晶帆光电 12月31日前 报送可研报告 @赵六", 1, []string{"T4", "报送可研报告", "赵六"}},
		{"MentionGlued", "", "任务 晶帆光电 上门回访 12.25@王五", 1, []string{"T5", "上门回访", "王五", "2024年12月25日"}},
		{"AssigneeOption", "", "任务 晶帆光电 准备招商政策 截止:1月10日 负责人:赵六", 1, []string{"T6", "赵六", "2025年1月10日"}},
		{"Today", "", "任务 P1 签约仪式筹备 今天", 1, []string{"今天到期"}},
		{"ErrNoDate", "", "任务 诺比侃 完成土地摘牌", 0, []string{"请写明截止日期", "例如：任务 诺比侃"}},
		{"ErrNoText", "", "任务 诺比侃 12月15日", 0, []string{"请写明任务内容"}},
		{"ErrUnknownPerson", "", "任务 诺比侃 土地摘牌 12月31日 @钱七", 0, []string{"未找到人员「钱七」"}},
		{"ErrImpossibleDate", "", "任务 诺比侃 土地摘牌 2月30日", 0, []string{"不存在"}},
		{"ErrUnknownProject", "", "任务 华为 土地摘牌 12月31日", 0, []string{"未找到项目"}},
		{"ErrAmbiguous", "", "任务 康硕 报送材料 12月31日", 0, []string{"匹配到2个项目"}},
		{"ErrPickOtherPark", "", "2", 0, []string{"只有负责人王五、珞璜园区的人员、领导和管理员可以给项目布置任务 P4"}},
		{"AmbiguousAgain", "", "任务 康硕 报送材料 12月31日", 0, []string{"匹配到2个项目"}},
		{"Pick", "", "1", 1, []string{"P2 康硕集团西南总部基地", "报送材料"}},
	})
	d := b.dump()
	if t1 := d.Tasks[0]; t1.Due != 20251215 || t1.Assignee != "zhangsan" || t1.Project != "P1" || t1.CreatedOn != 20241223 {
		t.Errorf("T1 = %+v", t1)
	}
	if t5 := d.Tasks[4]; t5.Text != "上门回访" || t5.Assignee != "wangwu" {
		t.Errorf("T5 = %+v", t5)
	}
}

func TestDone(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "任务 诺比侃 完成土地摘牌 2024年12月20日 @张三", "T1", "已逾期3天")
	b.expect("zhangsan", "任务 诺比侃 环评批复 12月31日", "T2")
	b.expect("zhangsan", "任务 晶帆光电 报送可研 12月31日", "T3")
	b.run(t, []step{
		{"Spec", "", "完成 T1", 1, []string{"已完成任务 T1", "完成土地摘牌", "逾期3天完成"}},
		{"ErrTwice", "", "done T1", 0, []string{"T1 已于2024年12月23日完成"}},
		{"ErrUnknownID", "", "完成 T99", 0, []string{"未找到任务 T99"}},
		{"ErrWrongKind", "", "完成 C1", 0, []string{"不是任务编号"}},
		{"ErrEmpty", "", "完成", 0, []string{"请写明任务编号"}},
		{"ByProjectSoleTask", "", "完成 晶帆光电", 1, []string{"T3", "按期完成"}},
		{"GluedLowerCase", "", "完成t2 昨天", 1, []string{"T2", "2024年12月22日"}},
	})
	b.expect("zhangsan", "任务 诺比侃 甲事项 12月31日", "T4")
	b.expect("zhangsan", "任务 诺比侃 乙事项 12月31日", "T5")
	b.run(t, []step{
		{"ErrSeveralOpen", "", "完成 诺比侃", 0, []string{"有2项未完成的任务", "T4 甲事项", "T5 乙事项", "完成 T4"}},
		{"ByProjectAndText", "", "完成 诺比侃 乙事项", 1, []string{"T5"}},
	})
	if tk, _ := b.db.Task(t.Context(), "T1"); tk.DoneOn != 20241223 {
		t.Errorf("T1 = %+v", tk)
	}
}

func TestIssueAndResolve(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Spec", "", "协调 诺比侃 用电指标需区里协调", 1, []string{"协调事项 C1", "P1", "用电指标需区里协调", "解决 C1"}},
		{"Alias", "", "issue P3 环评审批进度慢，需生态环境局支持", 1, []string{"C2", "环评审批进度慢，需生态环境局支持"}},
		{"ErrNoText", "", "协调 诺比侃", 0, []string{"请写明需协调的问题"}},
		{"ErrUnknown", "", "协调 华为 用地", 0, []string{"未找到项目"}},
		{"Resolve", "", "解决 C1 已落实", 1, []string{"已解决协调事项 C1", "结果：已落实"}},
		{"ErrResolveTwice", "", "resolve C1", 0, []string{"已于2024年12月23日解决"}},
		{"ErrResolveUnknown", "", "解决 C9", 0, []string{"未找到协调事项 C9"}},
		{"ErrWrongKind", "", "解决 T1", 0, []string{"不是协调事项编号"}},
		{"ResolveByProject", "", "解决 晶帆光电 生态环境局已开绿色通道", 1, []string{"C2", "生态环境局已开绿色通道"}},
	})
	d := b.dump()
	if it := d.Items[0]; it.ResolvedOn != 20241223 || it.Resolution != "已落实" || it.OpenedOn != 20241223 {
		t.Errorf("C1 = %+v", it)
	}
}

func TestMine(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "任务 诺比侃 逾期的事 2024-12-20", "T1")
	b.expect("zhangsan", "任务 诺比侃 本周的事 12月27日", "T2")
	b.expect("zhangsan", "任务 诺比侃 远期的事 2025-03-01", "T3")
	b.expect("zhangsan", "任务 诺比侃 别人的事 12月27日 @王五", "T4")
	b.run(t, []step{
		{"All", "", "我的", 0, []string{"逾期1项，7天内到期1项", "T1 逾期的事", "已逾期3天", "T2 本周的事", "项目3个", "在谈1", "签约2", "P3", "P1"}},
		{"TasksOnly", "", "mine 任务", 0, []string{"T1", "T2"}},
		{"ProjectsOnly", "wangwu", "我的 项目", 0, []string{"项目1个", "P4 康硕电子产业园"}},
		{"Nothing", "li", "我的", 0, []string{"没有逾期", "名下还没有项目"}},
		{"ErrWhat", "", "我的 钱", 0, []string{"只能写 任务 或 项目"}},
	})
	reply := b.say("zhangsan", "我的")
	for _, no := range []string{"T3", "T4"} {
		if strings.Contains(reply, no) {
			t.Errorf("我的 lists %s:\n%s", no, reply)
		}
	}
	b.at("2025-01-30T09:00")
	b.expect("zhangsan", "我的 项目", "P3", "天未跟进")
}
