package handlers_test

import "testing"

// TestColloquial sends messages the way officers type them in a hurry:
// verbs glued to names, dates first, counts glued to company names, fillers.
func TestColloquial(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"DateFirst", "", "昨天 拜访 诺比侃 成都", 1, []string{"拜访", "诺比侃科技", "2024年12月22日", "成都"}},
		{"DateGluedToVerb", "", "前天拜访比亚迪 深圳 电池项目", 1, []string{"拜访", "比亚迪", "2024年12月21日", "深圳", "新建企业"}},
		{"DelegationGlued", "", "接待 长安汽车一行8人 考察双福园区", 1, []string{"长安汽车", "8人", "考察双福园区"}},
		{"DelegationWord", "", "接待 京东方 一行5人", 1, []string{"京东方", "5人"}},
		{"HeadcountMing", "", "receive 华为 共6名 参观", 1, []string{"6人"}},
		{"FundsLongVerb", "", "到位资金 P1 2亿", 1, []string{"到位资金 F1", "2亿元"}},
		{"TaskDateGlued", "", "任务 诺比侃 12月31日前完成土地摘牌 @王五", 1, []string{"T1", "「完成土地摘牌」", "2024年12月31日", "王五"}},
		{"TaskBareName", "", "任务 诺比侃 报送可研 月底 赵六", 1, []string{"T2", "「报送可研」", "赵六"}},
		{"TaskOwnerWord", "", "任务 诺比侃 对接电力公司 本周五 负责人王五", 1, []string{"T3", "王五", "2024年12月27日"}},
		{"TaskUnknownNameIsText", "", "任务 诺比侃 对接钱七 月底", 1, []string{"T4", "「对接钱七」", "负责人张三"}},
		{"ErrDoneTwoIDs", "", "完成 T1 T2", 0, []string{"一次写一个编号"}},
		{"ErrDoneListIDs", "", "完成 T1、T2", 0, []string{"一次写一个编号"}},
		{"UndoFiller", "", "撤销上一条", 1, []string{"已撤销", "对接钱七"}},
		{"ColonAfterVerb", "", "签约：晶帆光电 15亿 昨天", 1, []string{"已记录签约", "P3"}},
		{"FullWidth", "", "增资　Ｐ１　３亿", 1, []string{"增资 Z1", "3亿元"}},
		{"EnglishUpper", "", "SHOW P1", 0, []string{"P1 诺比侃"}},
	})
}
