package handlers_test

import (
	"testing"

	"zsbot"
)

func TestVisitAndReceive(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Visit", "", "拜访 诺比侃 成都 昨天 洽谈二期用地", 1, []string{"拜访 A1", "诺比侃科技", "2024年12月22日", "成都", "P1", "洽谈二期用地"}},
		{"VisitDateAtEnd", "", "拜访 晶帆光电 深圳 技术交流 12.20", 1, []string{"2024年12月20日", "深圳", "P3", "技术交流"}},
		{"VisitCityOption", "", "visit 京东方 城市:北京", 1, []string{"北京", "新建企业 E5 京东方"}},
		{"VisitGluedVerb", "", "拜访了诺比侃 上海", 1, []string{"拜访 A4", "诺比侃科技", "上海"}},
		{"VisitGluedVerbYixia", "", "拜访了一下诺比侃 上海", 1, []string{"诺比侃科技", "上海"}},
		{"ReceiveCount", "", "接待 中冶赛迪 5人 11月3日 考察珞璜园区", 1, []string{"接待", "5人", "2024年11月3日", "考察珞璜园区", "新建企业 E6 中冶赛迪"}},
		{"ReceiveChineseCount", "", "receive 诺比侃 八人 前天", 1, []string{"8人", "2024年12月21日"}},
		{"ReceiveCountOption", "", "接待 诺比侃 人数:12", 1, []string{"12人"}},
		{"ErrNoCompany", "", "拜访", 0, []string{"请写明企业", "例如：拜访"}},
		{"ErrFutureDate", "", "拜访 诺比侃 明天", 0, []string{"还没到"}},
		{"ErrJustAheadDate", "", "拜访 诺比侃 12月28日", 0, []string{"还没到", "2023年12月28日"}},
		{"ErrImpossibleDate", "", "接待 诺比侃 2月30日", 0, []string{"不存在"}},
		{"ErrBadCountOption", "", "接待 诺比侃 人数:很多", 0, []string{"人数要写成数字"}},
		{"ShortNameIsExact", "", "拜访 康硕 上海", 1, []string{"康硕集团", "P2"}},
		{"ErrAmbiguousCompany", "", "拜访 硕 上海", 0, []string{"与已有的2个企业或项目相近", "1. E2 康硕集团", "2. E4 康硕电子", "新建"}},
		{"PickCompany", "", "2", 1, []string{"拜访", "康硕电子", "P4"}},
	})
	d := b.dump()
	if a := d.Activities[0]; a.Kind != zsbot.KindVisit || a.Company != "E1" || a.Project != "P1" || a.City != "成都" || a.Date != 20241222 {
		t.Errorf("first visit = %+v", a)
	}
	if p := b.project("P1"); p.FollowedOn != 20241223 {
		t.Errorf("P1 followed on %v, want 2024-12-23", p.FollowedOn)
	}
}

func TestPromotion(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Spec", "", "推介 长三角地区推介会 上海 4月18日 30家企业", 1, []string{"推介 A1", "长三角地区推介会", "2024年4月18日", "上海", "30家企业"}},
		{"Alias", "", "promote 粤港澳大湾区专场 深圳 上周五", 1, []string{"推介 A2", "2024年12月20日", "深圳"}},
		{"WithProject", "", "推介 新材料产业推介会 项目:晶帆光电 成都", 1, []string{"推介 A3", "P3"}},
		{"ErrNoTitle", "", "推介", 0, []string{"请写明活动名称"}},
		{"ErrUnknownProject", "", "推介 推介会 项目:不存在的项目", 0, []string{"未找到项目"}},
	})
	d := b.dump()
	if a := d.Activities[0]; a.Kind != zsbot.KindPromotion || a.Note != "长三角地区推介会 30家企业" || a.City != "上海" || a.Company != "" {
		t.Errorf("promotion = %+v", a)
	}
}

func TestTalkAndReview(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Talk", "", "洽谈 诺比侃 已完成土地预审", 1, []string{"洽谈 A1", "P1", "已完成土地预审", "最近跟进已更新"}},
		{"TalkKeepsPunctuation", "", "talk 晶帆光电 对方要求:电价优惠，土地价格、配套政策 待定", 1, []string{"对方要求:电价优惠，土地价格、配套政策 待定"}},
		{"TalkDateFirst", "", "洽谈 P3 昨天 视频会谈", 1, []string{"2024年12月22日", "视频会谈"}},
		{"TalkDateInMiddleIsText", "", "洽谈 P3 约定 12月30日 签约", 1, []string{"约定 12月30日 签约", "2024年12月23日"}},
		{"TalkCompanyWithoutProject", "", "拜访 京东方 北京", 1, []string{"新建企业 E5 京东方"}},
		{"TalkCompanyOnly", "", "洽谈 京东方 初步接触", 1, []string{"京东方", "初步接触"}},
		{"Review", "", "研判 诺比侃 同意推进", 1, []string{"研判 A", "P1", "同意推进"}},
		{"ReviewAlias", "", "review P3 暂缓，待市场明朗", 1, []string{"暂缓，待市场明朗"}},
		{"ErrNoNote", "", "洽谈 诺比侃", 0, []string{"请写明洽谈进展", "例如：洽谈 诺比侃 已完成土地预审"}},
		{"ErrNoReviewNote", "", "研判 P1", 0, []string{"请写明研判意见"}},
		{"ErrUnknown", "", "洽谈 华为 初步接触", 0, []string{"未找到项目「华为」"}},
		{"ErrUnknownID", "", "洽谈 P99 初步接触", 0, []string{"未找到"}},
		{"ErrAmbiguous", "", "洽谈 康硕 已报价", 0, []string{"匹配到2个项目", "P2", "P4"}},
		{"Pick", "", "1", 1, []string{"洽谈", "P2 康硕集团西南总部基地", "已报价"}},
	})
	if p := b.project("P3"); p.FollowedOn != 20241223 {
		t.Errorf("P3 followed on %v", p.FollowedOn)
	}
	for _, a := range b.dump().Activities {
		if a.Note == "对方要求:电价优惠，土地价格、配套政策 待定" && a.Kind == zsbot.KindTalk && a.Project == "P3" {
			return
		}
	}
	t.Error("the talk note was not stored as typed")
}
