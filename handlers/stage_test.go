package handlers_test

import (
	"testing"

	"zsbot"
)

func TestIncrease(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Spec", "", "增资 康硕 5亿", 1, []string{"增资 Z1", "P2", "5亿元", "协议引资累计25亿元", "签约项目数不变"}},
		{"AliasDated", "", "increase P1 3000万 昨天", 1, []string{"增资 Z2", "3000万元", "2024年12月22日", "51.3亿元"}},
		{"BareNumber", "", "增资 P1 2", 1, []string{"按 2 亿元记录", "53.3亿元"}},
		{"ChineseNumeral", "", "增资 P1 一点五亿", 1, []string{"1.5亿元", "54.8亿元"}},
		{"ErrUnsigned", "", "增资 晶帆光电 5亿", 0, []string{"P3", "在谈", "增资只记已签约的项目", "签约 P3"}},
		{"ErrNoAmount", "", "增资 康硕", 0, []string{"缺少金额", "例如：增资 康硕 5亿"}},
		{"ErrTooLarge", "", "增资 康硕 1200亿", 0, []string{"1200亿元", "超过1000亿元"}},
		{"ErrBeforeSigning", "", "增资 康硕 5亿 2024-10-01", 0, []string{"早于签约日期"}},
		{"ErrExtraWord", "", "增资 康硕 5亿 追加", 0, []string{"看不懂「追加」"}},
		{"ErrOption", "", "增资 康硕 5亿 园区:双福", 0, []string{"不带选项"}},
	})
	p := b.project("P1")
	if p.Signed != 51*zsbot.Yi || p.Amount != 548000 || p.SignedOn != 20241220 {
		t.Errorf("P1 after 增资: signed %v amount %v on %v", p.Signed, p.Amount, p.SignedOn)
	}
	d := b.dump()
	if len(d.Increases) != 4 || d.Increases[1].Date != 20241222 || d.Increases[1].Amount != 3000 {
		t.Errorf("increases = %+v", d.Increases)
	}
}

func TestFundsAndStages(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Funds", "", "到位 康硕 3.5亿 11月30日", 1, []string{"到位资金 F1", "3.5亿元", "2024年11月30日", "累计到位3.5亿元"}},
		{"FundsAlias", "", "fund P2 3,000万", 1, []string{"3000万元", "累计到位3.8亿元"}},
		{"ErrFundsUnsigned", "", "到位 晶帆光电 1亿", 0, []string{"到位只记已签约的项目"}},
		{"ErrOperateUnsigned", "", "投产 晶帆光电", 0, []string{"还未签约", "不能投产"}},
		{"ErrStartUnsigned", "", "开工 晶帆光电 3月1日", 0, []string{"还未签约", "不能开工"}},
		{"Start", "", "开工 康硕 12月1日", 1, []string{"已记录开工", "2024年12月1日"}},
		{"ErrStartTwice", "", "start P2", 0, []string{"已于2024年12月1日开工"}},
		{"ErrOperateBeforeStart", "", "投产 康硕 11月20日", 0, []string{"早于开工日期"}},
		{"Operate", "", "投产 康硕", 1, []string{"已记录投产", "2024年12月23日"}},
		{"ErrOperateTwice", "", "operate P2", 0, []string{"已于2024年12月23日投产"}},
		{"OperateWithoutStart", "", "投产 诺比侃 今天", 1, []string{"已记录投产", "此前未记开工", "改 P1 开工日期"}},
		{"ErrStartBeforeSigning", "", "开工 P1", 0, []string{"已于2024年12月23日开工"}},
	})
	p := b.project("P1")
	if p.Stage != zsbot.StageOperating || p.StartedOn != 20241223 || p.OperatingOn != 20241223 {
		t.Errorf("P1 = %+v", p)
	}
	if p := b.project("P2"); p.Funds != 38000 || p.Stage != zsbot.StageOperating {
		t.Errorf("P2 = %+v", p)
	}
}

func TestDrop(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"ErrNoReason", "", "终止 晶帆光电", 0, []string{"请写明终止原因", "例如：终止"}},
		{"ErrNotOwnerOtherPark", "wangwu", "终止 晶帆光电 企业战略调整", 0, []string{"只有负责人张三", "领导和管理员", "终止 P3"}},
		{"ErrEmpty", "", "drop", 0, []string{"请写明项目和终止原因"}},
		{"SameParkOfficer", "zhaoliu", "终止 晶帆光电 企业战略调整，转投东南亚", 1, []string{"已终止项目 P3", "原为在谈", "企业战略调整，转投东南亚"}},
		{"ErrTwice", "", "终止 P3 又一次", 0, []string{"已于2024年12月23日终止"}},
		{"Leader", "li", "终止 P4 资金链断裂 上周五", 1, []string{"P4", "2024年12月20日", "资金链断裂"}},
		{"SignedProject", "", "终止 诺比侃 用地未落实", 1, []string{"原为签约"}},
		{"ErrSignDropped", "", "签约 P3 5亿", 0, []string{"已终止"}},
		{"ErrTaskOnDropped", "", "任务 P3 回访 月底", 0, []string{"已终止"}},
	})
	p := b.project("P4")
	if p.Stage != zsbot.StageDropped || p.DroppedOn != 20241220 || p.DropReason != "资金链断裂" {
		t.Errorf("P4 = %+v", p)
	}
	if p := b.project("P1"); p.SignedOn != 20241220 || p.Amount != 51*zsbot.Yi {
		t.Errorf("dropping lost P1's signing: %+v", p)
	}
}
