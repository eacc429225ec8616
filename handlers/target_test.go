package handlers_test

import (
	"context"
	"strings"
	"testing"

	"zsbot"
)

func TestTargetSet(t *testing.T) {
	b := registered(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name, text   string
		want         string
		metric       string
		value        int64
		wantReplyHas string
	}{
		{"Tier", "目标 2025 50亿级项目 2", "已设定2025年目标：50亿级项目 2个", "50亿级项目", 2, ""},
		{"TierSynonym", "目标 2025 10亿级 20", "10亿级项目 20个", "10亿级项目", 20, ""},
		{"Money", "目标 2025 到位资金 300亿", "资金到位 300亿元", "资金到位", 300 * int64(zsbot.Yi), ""},
		{"Rate", "目标 2025 转化率 50%", "签约落地转化率 50%", "签约落地转化率", 50, ""},
		{"Update", "目标 2025 转化率 55%", "已更新2025年目标", "签约落地转化率", 55, ""},
		{"CountWithUnit", "目标 2025 拜访 300家", "拜访 300家", "拜访", 300, ""},
		{"Weight", "目标 2025 权重 签约 40", "考核权重 签约项目 40分", zsbot.WeightPrefix + "签约项目", 40, ""},
		{"FullWidth", "目标　２０２５　接待批次　４００", "接待 400批次", "接待", 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b.expect("admin", tc.text, tc.want, "撤销")
			ts, err := b.db.Targets(ctx, 2025)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, x := range ts {
				found = found || x.Metric == tc.metric && x.Value == tc.value
			}
			if !found {
				t.Fatalf("targets %+v lack %s = %d", ts, tc.metric, tc.value)
			}
		})
	}
	b.expect("admin", "目标 2025 转化率 删除", "已删除2025年目标「签约落地转化率」")
	b.expect("admin", "目标 2025", "2025年目标（尚未开始）：\n50亿级项目：2个\n10亿级项目：20个\n资金到位：300亿元", "季度考核权重：签约项目40")
	b.expect("admin", "目标 2024", "2024年还没有设定目标")
}

func TestTargetRefusals(t *testing.T) {
	b := registered(t)
	n := b.auditLen()
	for _, tc := range []struct{ name, user, text, want string }{
		{"NotAdmin", "zhangsan", "目标 2025 签约项目 120", "只限领导和管理员"}, // issue 17: leaders read 目标
		{"OfficerReads", "zhangsan", "目标 2025", "只限领导和管理员"},
		{"LeaderPark", "li", "目标 2025 双福园区 签约项目 30", "只限管理员"},
		{"LeaderWeight", "li", "目标 2025 权重 签约 40", "只限管理员"},
		{"LeaderDelete", "li", "目标 2025 签约项目 删除", "只限管理员"},
		{"Leader", "li", "目标 2025 签约项目 120", "只限管理员"},
		{"UnknownMetric", "admin", "目标 2025 利润 5亿", "不认识的指标"},
		{"FractionalRate", "admin", "目标 2025 转化率 50.5%", "整数百分比"},
		{"RateTooHigh", "admin", "目标 2025 转化率 150%", "整数百分比"},
		{"BadCount", "admin", "目标 2025 签约项目 很多", "正整数"},
		{"BadMoney", "admin", "目标 2025 资金到位 三百亿亿", "例如"},
		{"MissingValue", "admin", "目标 2025 签约项目", "例如"},
		{"BadWeight", "admin", "目标 2025 权重 签约 200", "0到100"},
		{"RateWeight", "admin", "目标 2025 权重 转化率 10", "不能计分"},
		{"DeleteAbsent", "admin", "目标 2025 开工项目 删除", "没有设定"},
	} {
		t.Run(tc.name, func(t *testing.T) { b.expect(tc.user, tc.text, tc.want) })
	}
	if b.auditLen() != n {
		t.Fatalf("refused targets wrote %d audit entries", b.auditLen()-n)
	}
}

func TestTargetProgressOnSeedYear(t *testing.T) {
	b := seed2024(t)
	for _, text := range []string{"目标 2024 签约项目 120", "目标 2024 50亿级项目 2", "目标 2024 10亿级项目 20", "目标 2024 到位资金 300亿", "目标 2024 转化率 50%"} {
		b.expect("admin", text, "已设定")
	}
	b.expect("admin", "目标 2024", "2024年目标（截至12月31日，时间进度100.0%）",
		"签约项目：121/120个，完成100.8%\n", "50亿级项目：4/2个，完成200.0%\n", "10亿级项目：10/20个，完成50.0%（滞后）",
		"签约落地转化率：29.8%/目标50%（滞后）", "资金到位：167.7亿元/300亿元，完成55.9%（滞后）")
	b.expect("li", "统计 2024", "2024年目标进度（时间进度100.0%）", "10亿级项目：10/20个，完成50.0%（滞后）")
}

func TestTargetLeadersAndParks(t *testing.T) {
	b := seed2024(t)
	for _, text := range []string{"目标 2024 签约项目 120", "目标 2024 拜访 200", "目标 2024 双福 签约项目 50", "目标 2024 双福园区 资金到位 100亿", "目标 2024 珞璜园区 签约项目 80"} {
		b.expect("admin", text, "已设定")
	}
	b.expect("admin", "目标 2024 双福园区 签约项目 60", "已更新2024年目标：双福园区 签约项目 60个")
	b.expect("li", "目标 2024", "2024年目标（截至12月31日，时间进度100.0%）", "签约项目：121/120个，完成100.8%",
		"拜访（按企业家数）：4/200家，完成2.0%（共拜访5次）（滞后）",
		"双福园区：\n　签约项目：61/60个，完成101.7%\n　资金到位：72亿元/100亿元，完成72.0%（滞后）",
		"珞璜园区：\n　签约项目：60/80个，完成75.0%（滞后）", "季度考核权重")
	b.expect("li", "目标 2024 珞璜", "珞璜园区 2024年目标", "签约项目：60/80个，完成75.0%（滞后）")
	got := b.expect("li", "统计 双福园区 2024", "双福园区 2024年招商统计", "2024年目标进度", "签约项目：61/60个", "资金到位：72亿元/100亿元")
	if strings.Contains(got, "121/120") {
		t.Fatalf("a park's 统计 shows the bureau's targets:\n%s", got)
	}
	b.expect("li", "统计 2024", "签约项目：121/120个", "拜访（按企业家数）：4/200家")
	b.expect("admin", "目标 2024 珞璜园区 签约项目 删除", "已删除2024年目标「珞璜园区 签约项目」")
	b.expect("li", "目标 2024 珞璜", "还没有设定珞璜园区的目标")
}
