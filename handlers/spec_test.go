package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"zsbot"
)

// TestSpecExamples sends every example of SPEC §3 for the verbs of the
// command language (the figures verbs have their own tests) and checks what
// each row says it does.
func TestSpecExamples(t *testing.T) {
	b := registered(t)
	b.at("2024-01-05T09:00")
	for _, cmd := range []string{
		"新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃科技 产业:智能装备",
		"新项目 康硕集团西南总部基地 企业:康硕",
		"新项目 晶帆光电LCOS光阀芯片总部 企业:晶帆光电",
		"新项目 某项目",
	} {
		b.expect("zhangsan", cmd, "已登记项目")
	}
	b.at("2024-12-23T10:00")
	b.run(t, []step{
		{"Help", "", "帮助", 0, []string{"招商助手指令", "签约", "撤销", "历史"}},
		{"HelpVerb", "", "帮助 签约", 0, []string{"用法：签约 <项目> <协议金额> [日期]", "例如：签约 诺比侃 51亿 12月20日"}},
		{"New", "", "新项目 中科纳米新材料西南智造基地 企业:京纳清科 30亿 产业:新材料 园区:珞璜", 1, []string{"P5", "在谈", "市外", "30亿元", "珞璜", "新建企业"}},
		{"Visit", "", "拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目", 1, []string{"拜访", "2024年12月22日", "成都", "P1"}},
		{"Receive", "", "接待 中冶赛迪 5人 11月3日 考察珞璜园区", 1, []string{"接待", "5人", "2024年11月3日", "新建企业"}},
		{"Promote", "", "推介 长三角地区推介会 上海 4月18日 30家企业", 1, []string{"推介", "上海", "2024年4月18日"}},
		{"Talk", "", "洽谈 诺比侃 已完成土地预审", 1, []string{"洽谈", "P1", "已完成土地预审"}},
		{"Review", "", "研判 诺比侃 同意推进", 1, []string{"研判", "同意推进"}},
		{"Sign", "", "签约 诺比侃 51亿 12月20日", 1, []string{"已记录签约", "51亿元", "2024年12月20日"}},
		{"SignTwice", "", "签约 诺比侃 51亿 12月20日", 0, []string{"不能重复签约", "增资"}},
		{"SignKangshuo", "", "签约 康硕 20亿 11月1日", 1, []string{"已记录签约"}},
		{"Increase", "", "增资 康硕 5亿", 1, []string{"增资", "25亿元", "签约项目数不变"}},
		{"StartUnsigned", "", "开工 晶帆光电 3月1日", 0, []string{"还未签约"}},
		{"SignJingfan", "", "签约 晶帆光电 15亿 2024-01-10", 1, []string{"已记录签约"}},
		{"Start", "", "开工 晶帆光电 3月1日", 1, []string{"已记录开工", "2024年3月1日"}},
		{"Operate", "", "投产 晶帆光电", 1, []string{"已记录投产"}},
		{"Funds", "", "到位 康硕 3.5亿 11月30日", 1, []string{"3.5亿元", "2024年11月30日"}},
		{"Drop", "", "终止 某项目 企业战略调整", 1, []string{"已终止", "企业战略调整"}},
		{"Task", "", "任务 诺比侃 完成土地摘牌 12月15日 @张三", 1, []string{"任务 T1", "张三"}},
		{"Done", "", "完成 T1", 1, []string{"已完成任务 T1"}},
		{"Issue", "", "协调 诺比侃 用电指标需区里协调", 1, []string{"协调事项 C1"}},
		{"Resolve", "", "解决 C1 已落实", 1, []string{"已解决协调事项 C1"}},
		{"ShowName", "", "查 诺比侃", 0, []string{"P1", "签约", "51亿元", "张三", "最近活动", "拜访"}},
		{"ShowID", "", "查 P2", 0, []string{"P2 康硕集团西南总部基地", "25亿元"}},
		{"Mine", "", "我的", 0, []string{"您负责的项目", "P1"}},
		{"Edit", "", "改 诺比侃 金额 55亿", 1, []string{"55亿元"}},
		{"EditByID", "", "改 P2 园区 双福", 1, []string{"园区", "双福"}},
		{"Undo", "", "撤销", 1, []string{"已撤销", "改 P2 园区 双福"}},
		{"History", "", "历史 诺比侃", 0, []string{"改 诺比侃 金额 55亿", "签约 诺比侃 51亿 12月20日"}},
		{"StaffAdd", "admin", "人员 添加 wangwu 王五 双福园区 招商员", 1, []string{"已登记 王五"}},
		{"StaffList", "admin", "人员 列表", 0, []string{"wangwu 王五"}},
		{"StaffDisable", "admin", "人员 停用 wangwu", 1, []string{"已停用 王五"}},
	})
	p := b.project("P1")
	if p.Stage != zsbot.StageSigned || p.Signed != 55*zsbot.Yi || p.SignedOn != 20241220 || p.FollowedOn != 20241223 {
		t.Errorf("P1 = %+v", p)
	}
	if p := b.project("P2"); p.Amount != 25*zsbot.Yi || p.Funds != 35000 || p.Park != "双福园区" {
		t.Errorf("P2 = %+v", p)
	}
	if p := b.project("P3"); p.Stage != zsbot.StageOperating || p.StartedOn != 20240301 || p.OperatingOn != 20241223 {
		t.Errorf("P3 = %+v", p)
	}
	if p := b.project("P4"); p.Stage != zsbot.StageDropped || p.DropReason != "企业战略调整" {
		t.Errorf("P4 = %+v", p)
	}
}

// TestSpecAmounts records every amount form of SPEC §3 and the issue as a
// payment and checks the stored 万元.
func TestSpecAmounts(t *testing.T) {
	b := world(t)
	// Room for every payment below, which together pass P1's 51亿: a 到位
	// above the agreed amount asks first (TestConfirmHeld).
	b.expect("zhangsan", "增资 P1 450亿", "已记录增资")
	for i, tc := range []struct {
		word string
		wan  zsbot.Money
		bare bool
	}{
		{"51亿", 510000, false}, {"51亿元", 510000, false}, {"5.5亿", 55000, false}, {"3000万", 3000, false},
		{"3000万元", 3000, false}, {"五十一亿", 510000, false}, {"一点五亿", 15000, false}, {"三千万", 3000, false},
		{"两亿", 20000, false}, {"十五亿", 150000, false}, {"五千万", 5000, false}, {"51", 510000, true},
		{"3.5", 35000, true}, {"0.35亿", 3500, false}, {"1亿2000万", 12000, false}, {"５１亿", 510000, false},
	} {
		t.Run(tc.word, func(t *testing.T) {
			reply := b.say("zhangsan", "到位 P1 "+tc.word)
			want := fmt.Sprintf("F%d", i+1)
			if !strings.Contains(reply, want) || !strings.Contains(reply, tc.wan.String()) || strings.Contains(reply, "按 ") != tc.bare {
				t.Errorf("到位 P1 %s → %q; want %s, %s, bare note %v", tc.word, reply, want, tc.wan, tc.bare)
			}
			if tc.bare && !strings.Contains(reply, "按 "+tc.wan.Yi()+" 亿元记录") {
				t.Errorf("到位 P1 %s → %q lacks the 亿元 note", tc.word, reply)
			}
		})
	}
	b.run(t, []step{
		{"ErrAbove1000Yi", "", "到位 P1 1001亿", 0, []string{"1001亿元", "超过1000亿元"}},
		{"ErrBareAbove1000Yi", "", "到位 P1 3000", 0, []string{"按亿元算超过1000亿元", "3000万"}},
		{"ErrTooPrecise", "", "到位 P1 3.123456亿", 0, []string{"只需精确到万元"}},
		{"ErrZero", "", "到位 P1 0亿", 0, []string{"大于0"}},
	})
}

// TestSpecDates reads every date form of SPEC §3 and the issue, on Monday
// 23 December 2024: as the day of a visit (the nearest in the past) and as
// a task's deadline (the nearest in the future, today included).
func TestSpecDates(t *testing.T) {
	b := world(t)
	for _, tc := range []struct {
		word         string
		past, future zsbot.Date // 0: refused
	}{
		{"今天", 20241223, 20241223}, {"昨天", 20241222, 20241222}, {"前天", 20241221, 20241221},
		{"明天", 0, 20241224}, {"后天", 0, 20241225},
		{"3月15日", 20240315, 20250315}, {"3月15号", 20240315, 20250315}, {"3.15", 20240315, 20250315},
		{"3/15", 20240315, 20250315}, {"2024-03-15", 20240315, 20240315}, {"2024年3月15日", 20240315, 20240315},
		{"2024/3/15", 20240315, 20240315}, {"三月十五日", 20240315, 20250315},
		{"15日", 20241215, 20250115}, {"31号", 20241031, 20241231},
		{"本周五", 0, 20241227}, {"下周五", 0, 20250103}, {"下周一", 0, 20241230}, {"上周五", 20241220, 20241220},
		{"周五", 20241220, 20241227}, {"星期五", 20241220, 20241227}, {"周一", 20241223, 20241223},
		{"月底", 0, 20241231}, {"12.31", 0, 20241231}, {"12月20日", 20241220, 20251220},
		{"2月30日", 0, 0}, {"13月1日", 0, 0}, {"2024-02-30", 0, 0},
	} {
		t.Run(tc.word, func(t *testing.T) {
			for _, c := range []struct {
				text string
				want zsbot.Date
			}{{"拜访 诺比侃 " + tc.word, tc.past}, {"任务 诺比侃 跟进 " + tc.word, tc.future}} {
				n := b.auditLen()
				reply := b.say("zhangsan", c.text)
				wrote := b.auditLen() - n
				switch {
				case c.want == 0 && wrote != 0:
					t.Errorf("%s → %q: written, want a refusal", c.text, reply)
				case c.want != 0 && (wrote != 1 || !strings.Contains(reply, c.want.Chinese())):
					t.Errorf("%s → %q: want %s", c.text, reply, c.want.Chinese())
				case c.want == 0 && !strings.Contains(reply, "例如") && !strings.Contains(reply, "还没到"):
					t.Errorf("%s → %q: a refusal should say why", c.text, reply)
				}
			}
		})
	}
}
