package handlers_test

import (
	"reflect"
	"testing"
)

// recordsWorld is world with a record of every kind on 23 December: F1 (到位
// 10亿 on P2), Z1 (增资 4亿 on P1), A1 (a visit to a new company, E5 华为),
// A2 (洽谈 on P1), T1 and C1 (on P1); and P3 terminated that day.
func recordsWorld(t *testing.T) *bot {
	b := world(t)
	b.expect("zhangsan", "到位 康硕 10亿", "F1", "P2")
	b.expect("zhangsan", "增资 P1 4亿", "Z1")
	b.expect("zhangsan", "拜访 华为 深圳", "A1", "E5")
	b.expect("zhangsan", "洽谈 P1 已报价", "A2")
	b.expect("zhangsan", "任务 P1 完成土地摘牌 12月30日", "T1")
	b.expect("zhangsan", "协调 P1 用电指标", "C1")
	b.expect("zhangsan", "开工 P2 12月1日", "已记录开工")
	b.expect("zhangsan", "终止 P3 企业战略调整", "已终止")
	return b
}

// TestEditEveryRecord corrects every field of every kind of record by its
// ID; each correction is followed by the figures that depend on it (统计),
// by 撤销, and by the figures again: the undo puts every record back
// exactly as it was.
func TestEditEveryRecord(t *testing.T) {
	b := recordsWorld(t)
	for _, tc := range []struct {
		name, user, text string
		want             []string
		stats            string   // the 统计 that shows the effect ("" when none)
		after, before    []string // what it shows after the edit and after the undo
	}{
		{"PaymentAmount", "", "改 F1 金额 1亿", []string{"到位资金 F1（P2", "金额 10亿元 → 1亿元", "P2累计到位 10亿元 → 1亿元", "撤销"},
			"统计 本月", []string{"资金到位1亿元"}, []string{"资金到位10亿元"}},
		{"PaymentDate", "", "改 F1 日期 11月20日", []string{"日期 2024年12月23日 → 2024年11月20日", "到位资金统计由2024年12月改计入2024年11月"},
			"统计 2024年11月", []string{"资金到位10亿元"}, []string{"资金到位0亿元"}},
		{"IncreaseAmount", "", "改 Z1 金额 5亿", []string{"增资 Z1（P1", "金额 4亿元 → 5亿元", "P1协议引资累计 55亿元 → 56亿元"},
			"统计 本月", []string{"协议引资56亿元"}, []string{"协议引资55亿元"}},
		{"IncreaseDate", "", "改 Z1 日期 12月21日", []string{"日期 2024年12月23日 → 2024年12月21日"}, "", nil, nil},
		{"VisitDate", "", "改 A1 日期 11月10日", []string{"活动 A1：日期 2024年12月23日 → 2024年11月10日", "拜访统计由2024年12月改计入2024年11月"},
			"统计 2024年11月", []string{"拜访1次（1家）"}, []string{"拜访0次（0家）"}},
		{"VisitCity", "", "改 A1 地点 上海", []string{"地点 深圳 → 上海"}, "", nil, nil},
		{"VisitCompany", "", "改 A1 企业 诺比侃科技", []string{"企业 华为 → 诺比侃科技"}, "", nil, nil},
		{"VisitNewCompany", "", "改 A1 企业 比亚迪", []string{"企业 华为 → 比亚迪", "新建企业 E6 比亚迪"}, "", nil, nil},
		{"VisitProject", "", "改 A1 项目 P1", []string{"项目 — → P1 诺比侃", "撤销"}, "", nil, nil},
		{"Headcount", "", "改 A1 人数 3人", []string{"人数 — → 3人"}, "", nil, nil},
		{"TalkNote", "", "改 A2 内容 已签框架协议", []string{"活动 A2（P1", "内容 已报价 → 已签框架协议"}, "", nil, nil},
		{"TalkOffProject", "", "改 A2 项目 无", []string{"项目 P1 诺比侃机器视觉智能装备生产总部 → —"}, "", nil, nil},
		{"TaskText", "", "改 T1 内容 完成土地挂牌", []string{"任务 T1（P1", "内容 完成土地摘牌 → 完成土地挂牌"}, "", nil, nil},
		{"TaskDue", "", "改 T1 截止 1月10日", []string{"截止 2024年12月30日 → 2025年1月10日", "还有18天"}, "", nil, nil},
		{"TaskDueGlued", "", "改 T1 截止日期2025-01-05", []string{"→ 2025年1月5日"}, "", nil, nil},
		{"TaskAssignee", "", "改 T1 负责人 @赵六", []string{"负责人 张三 → 赵六"}, "", nil, nil},
		{"ItemText", "", "改 C1 内容 用电增容", []string{"协调事项 C1（P1", "内容 用电指标 → 用电增容"}, "", nil, nil},
		{"CompanyName", "li", "改 E5 名称 华为技术有限公司", []string{"企业 E5：名称 华为 → 华为技术有限公司"}, "查 华为技术有限公司", []string{"企业 E5 华为技术有限公司"}, []string{"企业 E5 华为\n"}},
		{"CompanyAliases", "li", "改 E5 别名 华为技术、HW", []string{"别名 — → 华为技术、HW"}, "查 E5", []string{"简称：华为技术、HW"}, []string{"企业 E5 华为"}},
		{"CompanyRegion", "li", "改 E5 地区 珠三角", []string{"地区 — → 珠三角"}, "", nil, nil},
		{"ProjectSignDate", "", "改 P1 签约日期 11月25日", []string{"签约日期 2024年12月20日 → 2024年11月25日", "签约项目统计由2024年12月改计入2024年11月"},
			"统计 2024年11月", []string{"签约项目2个"}, []string{"签约项目1个"}},
		{"ProjectStartDate", "", "改 P2 开工日期 11月2日", []string{"开工日期 2024年12月1日 → 2024年11月2日"}, "统计 本月", []string{"开工项目0个"}, []string{"开工项目1个"}},
		{"ProjectDropDate", "", "改 P3 终止日期 12月2日", []string{"终止日期 2024年12月23日 → 2024年12月2日"}, "", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			user := tc.user
			if user == "" {
				user = "zhangsan"
			}
			before := b.dump()
			n := b.auditLen()
			b.expect(user, tc.text, tc.want...)
			if b.auditLen() != n+1 {
				t.Fatalf("%q wrote %d audit entries", tc.text, b.auditLen()-n)
			}
			if reflect.DeepEqual(before, b.dump()) {
				t.Fatalf("%q changed nothing", tc.text)
			}
			if tc.stats != "" {
				b.expect(user, tc.stats, tc.after...)
			}
			b.expect(user, "撤销", "已撤销", tc.text)
			if tc.stats != "" {
				b.expect(user, tc.stats, tc.before...)
			}
			if after := b.dump(); !reflect.DeepEqual(before, after) {
				t.Errorf("撤销 of %q left the records changed", tc.text)
			}
		})
	}
}

func TestEditRecordRefusals(t *testing.T) {
	b := recordsWorld(t)
	b.run(t, []step{
		{"PaymentsListed", "", "改 P2 到位 1亿", 0, []string{"请按编号改，例如：改 F1 金额 1亿", "F1 10亿元 2024年12月23日"}},
		{"IncreasesListed", "", "改 P1 增资 5亿", 0, []string{"改 Z1 金额 5亿", "Z1 4亿元"}},
		{"VisitsListed", "", "改 P1 拜访 3月10日", 0, []string{"改 A2 日期", "A2 洽谈"}},
		{"TasksListed", "", "改 P1 任务 1月10日", 0, []string{"改 T1 截止", "T1 完成土地摘牌"}},
		{"NoPayments", "", "改 P1 到位 1亿", 0, []string{"没有到位资金记录"}},
		{"UnknownField", "", "改 F1 颜色 红", 0, []string{"不能改「颜色」", "金额 日期"}},
		{"NotFound", "", "改 F9 金额 1亿", 0, []string{"未找到到位资金 F9"}},
		{"UnknownPrefix", "", "改 X3 金额 1亿", 0, []string{"不认识编号 X3"}},
		{"NoValue", "", "改 F1 金额", 0, []string{"请写明金额的新值"}},
		{"BadAmount", "", "改 F1 金额 很多", 0, []string{"金额 很多 看不懂"}},
		{"FutureDate", "", "改 A1 日期 明天", 0, []string{"还没到"}},
		{"IncreaseBeforeSigning", "", "改 Z1 日期 12月1日", 0, []string{"早于P1的签约日期"}},
		{"DueBeforeCreation", "", "改 T1 截止 2024-11-01", 0, []string{"早于任务登记日"}},
		{"Unchanged", "", "改 A1 地点 深圳", 0, []string{"本来就是深圳", "没有修改"}},
		{"OtherParkOfficer", "wangwu", "改 F1 金额 2亿", 0, []string{"只有负责人张三、双福园区的人员、领导和管理员可以修改 P2"}},
		{"NotTheRecorder", "wangwu", "改 A1 地点 北京", 0, []string{"只有登记人张三、领导和管理员可以修改 A1"}},
		{"CompanyOfOthersProjects", "wangwu", "改 E2 地区 成渝", 0, []string{"只有领导和管理员"}},
		{"CompanyNameTaken", "li", "改 E5 名称 康硕集团", 0, []string{"已有企业「康硕集团」（E2）", "合并 E5 到 E2"}},
		{"AliasTaken", "li", "改 E5 别名 康硕", 0, []string{"已有企业", "E2"}},
		{"StageOrder", "", "改 P2 开工日期 10月1日", 0, []string{"阶段日期顺序不对"}},
		{"NotDropped", "", "改 P1 终止日期 12月1日", 0, []string{"还没有终止"}},
		{"SameParkOfficer", "zhaoliu", "改 F1 金额 9亿", 1, []string{"金额 10亿元 → 9亿元"}},
		{"Drop", "", "终止 P2 资金问题", 1, nil},
		{"DropBeforeStart", "", "改 P2 终止日期 11月15日", 0, []string{"阶段日期顺序不对", "开工12月1日", "终止11月15日"}},
	})
}

// TestEditVisitOntoProject: 改 A 项目 puts a visit on a project whose last
// follow-up is older (the tester's crash: the project written under the
// activity's old project, none); the new project's 最近跟进 moves to the
// visit, the old project's stays, and 撤销 puts both back.
func TestEditVisitOntoProject(t *testing.T) {
	b := world(t)
	b.at("2024-12-10T10:00")
	b.expect("zhangsan", "拜访 比亚迪 深圳", "A1")
	b.expect("zhangsan", "拜访 宁德时代 宁德 项目:P3", "A2")
	b.at("2024-12-23T10:00")
	b.expect("zhangsan", "查 P2", "最近跟进：2024年11月1日")
	for _, tc := range []struct{ text, project, want string }{
		{"改 A1 项目 P2", "查 P2", "最近跟进：2024年12月10日"}, // from no project
		{"改 A2 项目 P2", "查 P3", "最近跟进：2024年12月10日"}, // from P3: P3 keeps its own
	} {
		n := b.auditLen()
		b.expect("zhangsan", tc.text, "已修改", "→ P2", "企业随项目改为 E2 康硕集团")
		if b.auditLen() != n+1 {
			t.Fatalf("%q wrote %d audit entries", tc.text, b.auditLen()-n)
		}
		b.expect("zhangsan", tc.project, tc.want)
	}
	b.expect("zhangsan", "查 P2", "最近跟进：2024年12月10日")
	b.expect("zhangsan", "撤销", "已撤销")
	b.expect("zhangsan", "撤销", "已撤销")
	b.expect("zhangsan", "查 P2", "最近跟进：2024年11月1日")
}

// TestSigningNotAfterItsMoney: 改 P 签约日期 may not move the signing past
// the project's 到位 or 增资 (the tester's 统计 of a day then showed their
// money with no signing); an earlier date, or one on their day, is fine.
func TestSigningNotAfterItsMoney(t *testing.T) {
	b := recordsWorld(t) // P1 signed 12月20日 with Z1; P2 signed 11月1日 with F1
	b.expect("zhangsan", "改 Z1 日期 12月21日", "已修改")
	b.expect("zhangsan", "改 F1 日期 11月5日", "已修改")
	n := b.auditLen()
	b.expect("zhangsan", "改 P1 签约日期 12月22日", "签约日期不能晚于增资 Z1（2024年12月21日）", "改 Z1 日期 2024年12月22日")
	b.expect("zhangsan", "改 P2 签约日期 11月20日", "签约日期不能晚于到位 F1（2024年11月5日）")
	if b.auditLen() != n {
		t.Fatalf("a refused 改 wrote %d entries", b.auditLen()-n)
	}
	b.expect("zhangsan", "改 P1 签约日期 12月21日", "已修改")
	b.expect("zhangsan", "改 P2 签约日期 10月20日", "已修改")
}
