package handlers_test

import (
	"testing"

	"zsbot"
)

func TestEdit(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "增资 P1 4亿", "协议引资累计55亿元")
	b.run(t, []step{
		{"SignedAmount", "", "改 诺比侃 金额 55亿", 1, []string{"已修改 P1", "金额 51亿元 → 55亿元", "协议引资累计59亿元", "撤销"}},
		{"ParkByID", "", "改 P2 园区 双福", 1, []string{"园区 双福园区 → 双福"}},
		{"OptionForm", "", "edit P3 计划金额:18亿", 1, []string{"计划金额 15亿元 → 18亿元"}},
		{"GluedValue", "", "改 P3 产业为新型显示", 1, []string{"产业 — → 新型显示"}},
		{"ChangeTo", "", "修改 P3 来源 改为 以商招商", 1, []string{"来源 — → 以商招商"}},
		{"UnsignedAmountIsPlanned", "", "改 P3 金额 20亿", 1, []string{"计划金额 18亿元 → 20亿元", "项目未签约"}},
		{"BareAmount", "", "改 P3 计划金额 21", 1, []string{"按 21 亿元记录"}},
		{"Name", "", "改 P3 名称 晶帆光电LCOS芯片总部", 1, []string{"名称 晶帆光电LCOS光阀芯片总部 → 晶帆光电LCOS芯片总部"}},
		{"Company", "", "改 P3 企业 京东方科技集团", 1, []string{"企业 晶帆光电 → 京东方科技集团", "新建企业 E5 京东方科技集团"}},
		{"CompanyShortName", "wangwu", "改 P4 企业 康硕", 1, []string{"企业 康硕电子 → 康硕集团"}},
		{"Owner", "", "改 P3 负责人 @赵六", 1, []string{"负责人 张三 → 赵六"}},
		{"InCity", "", "改 P2 市内", 1, []string{"市内外 市外项目 → 市内项目"}},
		{"SignDate", "", "改 P2 签约日期 2024-10-28", 1, []string{"签约日期 2024年11月1日 → 2024年10月28日"}},
		{"Unchanged", "", "改 P2 市内", 0, []string{"本来就是市内项目", "没有修改"}},
		{"ErrUnknownField", "", "改 P2 颜色 红", 0, []string{"不能改「颜色」", "可改的字段", "例如：改 诺比侃 金额 55亿"}},
		{"ErrNoValue", "", "改 P2 园区", 0, []string{"请写明园区的新值"}},
		{"ErrValueAfterFlag", "", "改 P2 市外 否", 0, []string{"不用写值"}},
		{"ErrNoField", "", "改 P2", 0, []string{"请写明要改的字段和新值"}},
		{"ErrEmpty", "", "改", 0, []string{"请写明项目、字段和新值"}},
		{"ErrTwoOptions", "", "改 P2 园区:双福 产业:汽车", 0, []string{"一次只能改一项"}},
		{"ErrBadAmount", "", "改 P1 金额 很多", 0, []string{"金额 很多 看不懂"}},
		{"ErrDuplicateName", "", "改 P2 名称 诺比侃机器视觉智能装备生产总部", 0, []string{"已有项目叫", "P1"}},
		{"ErrStartDateNotStarted", "", "改 P2 开工日期 12月1日", 0, []string{"还没有开工"}},
		{"ErrSignDateFuture", "", "改 P1 签约日期 明天", 0, []string{"还没到"}},
		{"ErrUnknownOwner", "", "改 P1 负责人 @钱七", 0, []string{"未找到人员"}},
		{"ErrOtherParkOfficer", "wangwu", "改 P1 金额 60亿", 0, []string{"只有负责人张三、双福园区的人员、领导和管理员可以修改 P1"}},
		{"SameParkOfficer", "zhaoliu", "改 P1 产业 高端装备", 1, []string{"产业 智能装备 → 高端装备"}},
		{"Leader", "li", "改 P4 园区 珞璜", 1, []string{"园区 珞璜园区 → 珞璜"}},
		{"ErrLeaderOnlyMayNotStart", "wangwu", "改 P3 园区 珞璜", 0, []string{"只有负责人赵六"}},
	})
	p := b.project("P1")
	if p.Signed != 55*zsbot.Yi || p.Amount != 59*zsbot.Yi || p.Industry != "高端装备" {
		t.Errorf("P1 = %+v", p)
	}
	p = b.project("P3")
	if p.Owner != "zhaoliu" || p.Planned != 21*zsbot.Yi || p.Company != "E5" || p.Name != "晶帆光电LCOS芯片总部" {
		t.Errorf("P3 = %+v", p)
	}
	if p := b.project("P2"); p.OutOfCity || p.SignedOn != 20241028 {
		t.Errorf("P2 = %+v", p)
	}
	b.expect("zhangsan", "查 晶帆光电LCOS芯片总部", "P3", "京东方科技集团", "赵六")
}
