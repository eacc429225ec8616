package handlers_test

import (
	"strings"
	"testing"
)

// TestNames finds projects by ID, full name, short name and substring,
// ignoring company suffixes and case.
func TestNames(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"ID", "", "查 P3", 0, []string{"P3 晶帆光电LCOS光阀芯片总部"}},
		{"IDLowerFullWidth", "", "查 ｐ３", 0, []string{"P3 晶帆光电"}},
		{"FullName", "", "查 康硕集团西南总部基地", 0, []string{"P2 康硕集团西南总部基地"}},
		{"CompanyShortName", "", "查 诺比侃", 0, []string{"P1 诺比侃"}},
		{"CompanyFullLegalName", "", "查 诺比侃科技有限公司", 0, []string{"P1 诺比侃"}},
		{"Substring", "", "查 机器视觉", 0, []string{"P1 诺比侃"}},
		{"Case", "", "查 lcos", 0, []string{"P3 晶帆光电"}},
		{"Glued", "", "查P2", 0, []string{"P2 康硕集团"}},
		{"NotFoundClosest", "", "查 诺比坎", 0, []string{"未找到项目「诺比坎」", "最接近的有", "诺比侃"}},
		{"NotFoundID", "", "查 P99", 0, []string{"未找到 P99"}},
		{"Ambiguous", "", "查 康硕", 0, []string{"匹配到2个项目", "1. P2", "2. P4", "回复序号"}},
		{"OutOfRangeShowsListAgain", "", "3", 0, []string{"没有第3个", "1. P2", "2. P4"}},
		{"StillWaiting", "", "2", 0, []string{"P4 康硕电子产业园"}},
	})
}

// TestPickEveryVerb checks that every verb naming a project offers the
// numbered list for an ambiguous name, writes nothing, and that a reply of
// just the number carries the command out on the chosen project.
func TestPickEveryVerb(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "任务 P2 报送材料 12月31日", "T1")
	b.expect("zhangsan", "协调 P2 用地指标", "C1")
	for _, tc := range []struct {
		name, text, pick string
		want             []string
	}{
		{"Talk", "洽谈 康硕 已报价", "2", []string{"洽谈", "P4 康硕电子产业园"}},
		{"Review", "研判 康硕 同意推进", "1", []string{"研判", "P2 康硕集团"}},
		{"Task", "任务 康硕 补充材料 月底", "2", []string{"T2", "P4"}},
		{"Done", "完成 康硕", "1", []string{"已完成任务 T1"}},
		{"Issue", "协调 康硕 电力增容", "2", []string{"C2", "P4"}},
		{"Resolve", "解决 康硕 已落实", "1", []string{"已解决协调事项 C1"}},
		{"Show", "查 康硕", "2", []string{"P4 康硕电子产业园", "阶段：在谈"}},
		{"History", "历史 康硕", "1", []string{"P2 康硕集团西南总部基地 的操作记录"}},
		{"Edit", "改 康硕 产业 汽车零部件", "1", []string{"已修改 P2", "汽车零部件"}},
		{"VisitByProjectName", "拜访 康硕电子产业园 上海", "", []string{"P4"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := b.auditLen()
			if tc.pick != "" {
				b.expect("zhangsan", tc.text, "匹配到2个项目")
				if b.auditLen() != n {
					t.Fatalf("%s wrote before the choice", tc.text)
				}
				tc.text = tc.pick
			}
			b.expect("zhangsan", tc.text, tc.want...)
			if b.auditLen() == n && !strings.HasPrefix(tc.name, "Show") && tc.name != "History" {
				t.Errorf("the pick wrote nothing")
			}
		})
	}
	// The stage commands need no choice when one match is in the right stage.
	b.run(t, []step{
		{"IncreaseSigned", "", "增资 康硕 5亿", 1, []string{"P2"}},
		{"FundsSigned", "", "到位 康硕 1亿", 1, []string{"P2"}},
		{"StartSigned", "", "开工 康硕", 1, []string{"P2"}},
		{"Drop", "", "终止 康硕 企业战略调整", 0, []string{"匹配到2个项目"}},
		{"DropPick", "", "1", 1, []string{"已终止项目 P2"}},
		{"DroppedStepsAside", "", "洽谈 康硕 重新接触", 1, []string{"P4"}},
	})
	// The audit keeps the command as resolved, not the bare number.
	if got := b.say("zhangsan", "历史 P2"); !strings.Contains(got, "终止 P2 企业战略调整") {
		t.Errorf("history shows the pick as typed:\n%s", got)
	}
}
