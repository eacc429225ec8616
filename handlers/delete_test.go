package handlers_test

import (
	"reflect"
	"testing"
)

// TestDelete removes records created by mistake, each followed by the
// figures that depend on it and by 撤销, which puts it back exactly.
func TestDelete(t *testing.T) {
	b := recordsWorld(t)
	for _, tc := range []struct {
		name, text    string
		want          []string
		stats         string
		after, before []string
	}{
		{"Visit", "删除 A1", []string{"已删除活动 A1（拜访 2024年12月23日）"}, "统计 本月", []string{"拜访0次（0家）"}, []string{"拜访1次（1家）"}},
		{"Talk", "删除 A2", []string{"已删除活动 A2"}, "", nil, nil},
		{"Payment", "删除 F1", []string{"已删除到位资金 F1", "P2累计到位 10亿元 → 0万元"}, "统计 本月", []string{"资金到位0亿元"}, []string{"资金到位10亿元"}},
		{"Increase", "删除 Z1", []string{"已删除增资 Z1", "P1协议引资累计 55亿元 → 51亿元"}, "统计 本月", []string{"协议引资51亿元"}, []string{"协议引资55亿元"}},
		{"Task", "删除 T1", []string{"已删除任务 T1（P1 完成土地摘牌）"}, "我的", []string{"没有逾期或7天内到期的任务"}, []string{"T1"}},
		{"Item", "delete C1", []string{"已删除协调事项 C1"}, "查 C1", []string{"未找到"}, []string{"用电指标"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := b.dump()
			n := b.auditLen()
			b.expect("zhangsan", tc.text, append(tc.want, "撤销")...)
			if b.auditLen() != n+1 {
				t.Fatalf("%q wrote %d audit entries", tc.text, b.auditLen()-n)
			}
			if tc.stats != "" {
				b.expect("zhangsan", tc.stats, tc.after...)
			}
			b.expect("zhangsan", "撤销", "已撤销", tc.text)
			if tc.stats != "" {
				b.expect("zhangsan", tc.stats, tc.before...)
			}
			if !reflect.DeepEqual(before, b.dump()) {
				t.Errorf("撤销 of %q left the records changed", tc.text)
			}
		})
	}
	b.run(t, []step{
		{"ProjectWithRecords", "", "删除 P1", 0, []string{"不能删除项目 P1", "有4条记录关联它", "A2", "Z1", "T1", "C1"}},
		{"CompanyWithProject", "li", "删除 E2", 0, []string{"不能删除企业 E2", "P2"}},
		{"CompanyWithVisit", "", "删除 E5", 0, []string{"不能删除企业 E5", "A1"}},
		{"OtherParkOfficer", "zhangsan", "删除 P4", 0, []string{"只有负责人王五"}},
		{"NotAnID", "", "删除 诺比侃", 0, []string{"不是记录编号"}},
		{"TwoIDs", "", "删除 A1 A2", 0, []string{"请写明一个编号"}},
		{"Missing", "", "删除 T9", 0, []string{"未找到任务 T9"}},
		{"Person", "", "删除 X1", 0, []string{"不是记录编号"}},
		{"VisitThenCompany", "", "删除 A1", 1, nil},
		{"CompanyNowFree", "", "删除 E5", 1, []string{"已删除企业 E5（华为）"}},
		{"ProjectWithout", "wangwu", "删除 P4", 1, []string{"已删除项目 P4（康硕电子产业园，在谈）"}},
	})
	b.expect("zhangsan", "查 华为", "未找到")
	b.expect("wangwu", "撤销", "已撤销", "删除 P4")
	b.expect("zhangsan", "查 P4", "康硕电子产业园")
}
