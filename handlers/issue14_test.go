package handlers_test

import (
	"testing"

	"zsbot"
)

// TestIssue14Corrections replays the first three bullets of issue 14 as
// an officer, a leader and an admin would type them.
func TestIssue14Corrections(t *testing.T) {
	b := world(t)
	// 1. A wrong payment (10亿 meant 1亿), then a leader's unrelated change.
	b.expect("zhangsan", "到位 康硕集团西南总部基地 10亿", "F1")
	b.expect("zhangsan", "拜访 康硕集团 重庆", "A1")
	b.expect("li", "改 康硕集团西南总部基地 产业 总部经济", "已修改")
	b.run(t, []step{
		{"PaymentByName", "", "改 康硕集团西南总部基地 到位 1亿", 0, []string{"请按编号改，例如：改 F1 金额 1亿", "F1 10亿元"}},
		{"PaymentByID", "", "改 F1 金额 1亿", 1, []string{"金额 10亿元 → 1亿元", "累计到位 10亿元 → 1亿元"}},
		{"VisitDate", "", "改 A1 日期 12月10日", 1, []string{"日期 2024年12月23日 → 2024年12月10日"}},
		{"AdminToo", "admin", "改 F1 金额 2亿", 1, []string{"金额 1亿元 → 2亿元"}},
		{"UndoTheAdmins", "admin", "撤销", 1, []string{"改 F1 金额 2亿"}},
	})
	b.expect("li", "统计 本月", "资金到位1亿元", "拜访1次（1家）")
	b.expect("li", "历史 P2", "admin：撤销", "admin：改 F1 金额 2亿〔已撤销〕", "张三：改 A1 日期 12月10日", "张三：改 F1 金额 1亿", "李四：改 康硕集团西南总部基地 产业")
	if p := b.project("P2"); p.Funds != zsbot.Yi || p.Industry != "总部经济" {
		t.Errorf("P2 = %+v", p)
	}

	// 2. A junk company, a duplicate, renamed, merged and deleted.
	b.expect("zhangsan", "拜访 恒瑞 上海", "E5")
	// 江苏恒瑞医药 is near 恒瑞: the bot asks first (issue 13), the
	// officer answers 新建, and the duplicate is made to be merged below.
	b.expect("zhangsan", "拜访 江苏恒瑞医药 连云港", "是 E5 恒瑞 吗？", "新建")
	b.expect("zhangsan", "新建", "E6")
	b.expect("zhangsan", "拜访 测试企业 成都", "E7")
	b.expect("li", "统计 本月", "拜访4次（4家）")
	b.run(t, []step{
		{"Rename", "li", "改 E5 名称 恒瑞医药", 1, []string{"企业 E5：名称 恒瑞 → 恒瑞医药"}},
		{"Merge", "li", "合并 E6 到 E5", 1, []string{"活动1条", "「江苏恒瑞医药」成为 E5 的简称"}},
		{"DeleteJunkVisit", "", "删除 A4", 1, []string{"已删除活动 A4"}},
		{"DeleteJunk", "", "删除 E7", 1, []string{"已删除企业 E7（测试企业）"}},
	})
	b.expect("li", "统计 本月", "拜访3次（2家）")
	b.expect("li", "查 E5", "企业 E5 恒瑞医药", "简称：江苏恒瑞医药")

	// 3. Another park's officer may not correct, delete or merge a
	// project's records; the owner may correct what others wrote on it.
	// 王五 (珞璜园区) may not write on P1 at all (the one access rule);
	// 赵六, an officer of P1's park, may.
	b.run(t, []step{{"OtherParkPayment", "wangwu", "到位 P1 900亿", 0, []string{"只有负责人张三、双福园区的人员、领导和管理员可以记到位 P1"}}})
	b.expect("zhaoliu", "到位 P1 900亿", "是否确认")
	b.expect("zhaoliu", "确认", "F2")
	b.run(t, []step{
		{"OtherParkEdit", "wangwu", "改 F1 金额 9亿", 0, []string{"只有负责人张三、双福园区的人员、领导和管理员可以修改 P2"}},
		{"OtherParkDelete", "wangwu", "删除 F1", 0, []string{"可以删除 P2"}},
		{"OtherParkMerge", "wangwu", "合并 P4 到 P2", 0, []string{"可以合并 P2"}},
		{"OwnerDeletesOthersWrite", "", "删除 F2", 1, []string{"已删除到位资金 F2", "P1累计到位 900亿元 → 0万元"}},
	})
}
