package handlers_test

import "testing"

// TestShowByID shows each kind of record an officer sees an ID of; a
// missing ID is refused with an example and writes nothing.
func TestShowByID(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 产业:智能装备", "P1", "E1")
	b.expect("zhangsan", "任务 诺比侃 完成土地摘牌 12月25日 @张三", "T1")
	b.expect("zhangsan", "协调 诺比侃 用电指标需区里协调", "C1")
	b.expect("zhangsan", "拜访 诺比侃 成都 12月20日 洽谈", "A1")
	b.expect("zhangsan", "签约 诺比侃 51亿 12月20日", "已记录签约")
	b.expect("zhangsan", "到位 P1 3亿 12月22日", "F1")
	b.expect("li", "增资 P1 5亿 12月23日", "Z1")
	writes := b.auditLen()
	for _, c := range []struct {
		text string
		want []string
	}{
		{"查 T1", []string{"任务 T1", "完成土地摘牌", "P1 诺比侃机器视觉智能装备生产总部", "2024年12月25日", "负责人：张三", "未完成", "登记：张三，2024年12月23日"}},
		{"查 t1", []string{"任务 T1"}},
		{"查 C1", []string{"协调事项 C1", "用电指标", "P1 诺比侃", "未解决", "登记：张三"}},
		{"查 E1", []string{"企业 E1 诺比侃", "P1 诺比侃机器视觉智能装备生产总部（签约）", "拜访1次，接待0次", "最近联系：2024年12月20日"}},
		{"查 T99", []string{"未找到 T99", "例如：查 T1"}},
		{"查 C9", []string{"未找到 C9"}},
		{"查 E7", []string{"未找到 E7"}},
		{"查 A1", []string{"拜访 A1，2024年12月20日", "企业：E1 诺比侃", "项目：P1 诺比侃", "地点：成都", "备注：洽谈", "登记：张三"}},
		{"查 F1", []string{"到位资金 F1：3亿元，2024年12月22日", "项目：P1 诺比侃", "登记：张三"}},
		{"查 Z1", []string{"增资 Z1：5亿元，2024年12月23日", "项目：P1 诺比侃", "登记：李四"}},
		{"查 A9", []string{"未找到 A9", "例如：查 A1"}},
		{"查 F9", []string{"未找到 F9"}},
		{"查 Z9", []string{"未找到 Z9"}},
	} {
		b.expect("zhangsan", c.text, c.want...)
	}
	if n := b.auditLen(); n != writes {
		t.Fatalf("查 wrote %d audit entries", n-writes)
	}
	b.expect("zhangsan", "完成 T1", "已完成任务 T1")
	b.expect("zhangsan", "查 T1", "已完成（2024年12月23日）")
}

// TestShowCompany shows a company named by a word that names several of
// its projects, counting its projects' activities; a word naming a single
// project still shows that project's card.
func TestShowCompany(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 康硕集团西南总部基地 企业:康硕集团", "P1")
	b.expect("zhangsan", "新项目 康硕集团研发中心 企业:康硕集团", "P2")
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃", "P3")
	b.expect("zhangsan", "接待 康硕集团研发中心 5人 12月10日 考察", "A")
	b.expect("zhangsan", "拜访 康硕集团西南总部基地 12月18日", "A")
	b.expect("zhangsan", "查 P1", "拜访")
	b.expect("zhangsan", "查 P2", "接待 5人 考察") // a reception's head count on the card
	b.expect("zhangsan", "查 康硕集团", "企业 E1 康硕集团", "P1 康硕集团西南总部基地（在谈）", "P2 康硕集团研发中心", "拜访1次，接待1次", "最近联系：2024年12月18日")
	b.expect("zhangsan", "拜访 中冶赛迪 重庆 12月1日", "E3")
	b.expect("zhangsan", "查 中冶赛迪", "企业 E3 中冶赛迪", "项目：无", "拜访1次，接待0次", "最近联系：2024年12月1日")
	b.expect("zhangsan", "拜访 康硕集团 成都 12月19日", "A")
	b.expect("zhangsan", "查 E1", "拜访2次，接待1次", "最近联系：2024年12月19日")
	b.expect("zhangsan", "查 诺比侃", "P3 诺比侃机器视觉智能装备生产总部", "阶段：在谈")
	// A company's exact name wins over a part of another company's project.
	b.expect("zhangsan", "新项目 中冶赛迪数字城市基地 企业:重庆市设计院", "P4")
	b.expect("zhangsan", "查 中冶赛迪", "企业 E3 中冶赛迪")
	b.expect("zhangsan", "查 中冶赛迪数字", "P4 中冶赛迪数字城市基地")
}

// TestDoneBareNumber asks which task a bare number means and closes it on
// the answer 1.
func TestDoneBareNumber(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃", "P1")
	b.expect("zhangsan", "任务 诺比侃 完成土地摘牌 12月25日 @张三", "T1")
	writes := b.auditLen()
	b.expect("zhangsan", "完成 1", "是指 T1 吗？回复 1 确认")
	if n := b.auditLen(); n != writes {
		t.Fatalf("完成 1 wrote %d audit entries before the answer", n-writes)
	}
	b.expect("zhangsan", "1", "已完成任务 T1", "完成土地摘牌")
	b.expect("zhangsan", "查 T1", "已完成")
	b.expect("zhangsan", "完成7", "是指 T7 吗")
	b.expect("zhangsan", "1", "未找到任务 T7")
}
