package handlers_test

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"zsbot"
)

// seed2024 records, through commands as officers type them, a year that
// reproduces the seed report's 2024 line: 121 signings worth 966亿 (one of
// them raised by 增资), tiers 4/6/4, 市外到位162.7亿, 新开工市外项目37, 市外开工率
// 70.3%. The clock is 10 January 2025, so 2024 is a finished year.
func seed2024(tb testing.TB) *bot {
	tb.Helper()
	b := registered(tb)
	b.now = time.Date(2025, 1, 10, 10, 0, 0, 0, shanghai)
	b.expect("admin", "人员 添加 wangwu 王五 珞璜园区 招商员", "已登记")
	n := 0
	project := func(user, name string, local bool) string {
		n++
		text := fmt.Sprintf("新项目 %s 企业:%s企业", name, name)
		if local {
			text += " 市内"
		}
		b.expect(user, text, fmt.Sprintf("P%d", n))
		return fmt.Sprintf("P%d", n)
	}
	day := func(i int) string { return fmt.Sprintf("2024-%02d-%02d", i%12+1, i%28+1) }
	// The 14 projects of 10亿元以上, all 市外 and all started in 2024. 10亿,
	// 20亿 and 50亿 sit on their tiers' lower bounds; 康硕 signs at 15亿 and
	// its 增资 of 5亿 moves it into 20-50亿.
	big := []struct {
		name, user, amount string
	}{
		{"晶帆光电LCOS光阀芯片总部", "zhangsan", "15亿"}, {"智能短交出行装备生产基地", "zhangsan", "18亿"},
		{"长江新能源电池项目", "wangwu", "12亿"}, {"西部食品加工基地", "wangwu", "10亿"},
		{"中冶赛迪低碳机电装备成套项目", "wangwu", "20亿"}, {"康硕集团西南总部基地", "zhangsan", "15亿"},
		{"大唐江津燃机", "zhangsan", "20亿"}, {"中科纳米新材料西南智造基地", "wangwu", "30亿"},
		{"玖龙纸业绿色制浆扩建", "wangwu", "25亿"}, {"汽摩零部件产业园", "zhangsan", "45亿"},
		{"诺比侃机器视觉智能装备生产总部", "zhangsan", "51亿"}, {"中船重庆公司运营管理总部", "wangwu", "50亿"},
		{"石墨烯粉生产基地", "wangwu", "60亿"}, {"智能网联汽车产业园", "zhangsan", "99亿"},
	}
	for i, p := range big {
		id := project(p.user, p.name, false)
		b.expect(p.user, fmt.Sprintf("签约 %s %s %s", id, p.amount, day(i)), "已记录签约")
		b.expect(p.user, "开工 "+id+" 2024-12-30", "已记录开工")
	}
	b.expect("zhangsan", "增资 P6 5亿 2024-12-01", "已记录增资", "签约项目数不变")
	// 107 projects under 10亿, 491亿 in all: 100 × 4.6亿 and seven more.
	// Their names have numbers of one width: 小项目001企业 and 小项目002企业
	// are numbered siblings, while 小项目1企业 would be inside 小项目10企业
	// and 小项目10企业 would be asked about as near it (nearmatch.go).
	// 23 are 市外 (37 市外 signings with the 14 above), 12 of them started in
	// 2024 (26 of 37: 70.3%); 10 市内 ones started too.
	small := []string{"9.99亿", "9.5亿", "5亿", "3.5亿", "2.01亿", "5000万", "5000万"}
	for range 100 {
		small = append(small, "4.6亿")
	}
	for i, amount := range small {
		user := []string{"zhangsan", "wangwu"}[i%2]
		id := project(user, fmt.Sprintf("小项目%03d", i+1), i >= 23)
		b.expect(user, fmt.Sprintf("签约 %s %s %s", id, amount, day(i)), "已记录签约")
		if i < 12 || i >= 23 && i < 33 {
			b.expect(user, "开工 "+id+" 2024-12-30", "已记录开工")
		}
	}
	b.expect("wangwu", "开工 P30 2025-01-05", "已记录开工") // 市外, started after 2024: not counted
	// 11 市外 projects signed in 2023 and started in 2024: 新开工市外项目 26+11.
	for i := range 11 {
		id := project("wangwu", fmt.Sprintf("往年项目%02d", i+1), false)
		b.expect("wangwu", fmt.Sprintf("签约 %s 3亿 2023-06-01", id), "已记录签约")
		b.expect("wangwu", "开工 "+id+" 2024-03-01", "已记录开工")
	}
	// 市外 payments in 2024: 12 × 12亿 + 10亿 + 8.7亿 = 162.7亿; the rest fall
	// outside (市内, 2023, 2025).
	// fund records a payment, confirmed when it takes a project's funds
	// above its 协议引资 (zsbot asks first): the figures need them all.
	fund := func(user, text string) {
		if reply := b.say(user, text); strings.Contains(reply, "是否确认") {
			b.expect(user, "确认", "已记录到位资金")
		} else if !strings.Contains(reply, "已记录到位资金") {
			tb.Fatalf("%q → %q", text, reply)
		}
	}
	// The leader records them: half are 王五's projects of 珞璜园区.
	for i := 1; i <= 12; i++ {
		fund("li", fmt.Sprintf("到位 P%d 12亿 2024-12-31", i))
	}
	fund("li", "到位 P13 10亿 2024-11-30")
	fund("li", "到位 P13 8.7亿 2024-12-31")
	fund("wangwu", "到位 P40 5亿 2024-12-31") // 市内
	fund("wangwu", "到位 P122 1亿 2023-12-01")
	fund("zhangsan", "到位 P1 2亿 2025-01-02")
	for _, cmd := range []string{
		"拜访 诺比侃机器视觉智能装备生产总部企业 成都 2024-03-01", "拜访 诺比侃机器视觉智能装备生产总部企业 成都 2024-05-01",
		"拜访 华为 深圳 2024-06-01", "拜访 比亚迪 深圳 2024-06-02", "拜访 宁德时代 宁德 2024-07-01",
		"接待 京东方 3人 2024-11-04", "接待 长安汽车 8人 2024-11-05",
		"推介 长三角地区推介会 上海 2024-04-18",
	} {
		b.expect("zhangsan", cmd, "已记录")
	}
	// 中冶赛迪 is near the company of 中冶赛迪's project (nearmatch.go): the
	// officer answers that it is that one.
	b.expect("zhangsan", "接待 中冶赛迪 5人 2024-11-03", "是 E5 中冶赛迪低碳机电装备成套项目企业 吗？")
	b.expect("zhangsan", "1", "已记录接待", "中冶赛迪低碳机电装备成套项目企业")
	return b
}

func TestStatsSeedYear(t *testing.T) {
	b := seed2024(t)
	got := b.expect("li", "统计 2024",
		"2024年招商统计",
		"签约项目121个，协议引资966亿元，其中10-20亿元项目4个、20-50亿元项目6个、50-100亿元项目4个（10亿元以上项目14个）",
		"开工项目47个，其中新开工市外项目37个",
		"资金到位167.7亿元，其中市外项目资金到位162.7亿元",
		"拜访5次（4家），接待3批次，推介活动1场",
		"截至2024年12月31日，签约落地转化率29.8%（本年签约121个，已开工36个），市外项目开工率70.3%（37个中26个）",
	)
	if len(got) > 2048 {
		t.Fatalf("reply is %d bytes", len(got))
	}
	if strings.Contains(got, "100亿元以上") {
		t.Errorf("an empty tier is shown: %s", got)
	}
	// The reply came from the aggregates (issue 18): they are built, and
	// the rebuild check (what `zsbot figures rebuild --check` runs) finds
	// them equal to the records, as do the figures of 2024 and its parts
	// for the bureau, each park and each officer.
	if _, err := b.db.Aggregates(t.Context(), false, [2]zsbot.Date{20240101, 20241231}); err != nil {
		t.Fatalf("aggregates not used: %v", err)
	}
	checkAggregates(t, b, "the seed's 2024")
}

func TestStatsPeriods(t *testing.T) {
	b := seed2024(t)
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		// No period: the year to date, 1–10 January 2025.
		{"YearToDate", "统计", []string{"2025年1月1日至10日招商统计", "签约项目0个，协议引资0亿元", "开工项目1个，其中新开工市外项目1个",
			"资金到位2亿元，其中市外项目资金到位2亿元", "签约落地转化率—"}},
		{"Month", "统计 2024年12月", []string{"2024年12月招商统计", "开工项目36个，其中新开工市外项目26个",
			"协议引资", "资金到位157.7亿元，其中市外项目资金到位152.7亿元", "市外项目开工率70.3%"}},
		{"Quarter", "统计 2024年第4季度", []string{"2024年第4季度招商统计", "接待3批次", "资金到位167.7亿元"}},
		{"March", "统计 2024年3月", []string{"2024年3月招商统计", "开工项目11个，其中新开工市外项目11个", "拜访1次（1家）"}},
		{"ThisQuarter", "统计 本季", []string{"2025年1月1日至10日招商统计"}},
		{"English", "stats 2024", []string{"签约项目121个"}},
		{"Unknown", "统计 明年", []string{"看不懂", "例如"}},
	} {
		t.Run(tc.name, func(t *testing.T) { b.expect("zhangsan", tc.text, tc.want...) })
	}
	b.expect("stranger", "统计", "还不是登记用户")
}

func TestStatsByUnit(t *testing.T) {
	b := seed2024(t)
	b.expect("zhangsan", "统计 双福 2024", "双福园区 2024年招商统计", "签约项目")
	b.expect("zhangsan", "统计 张三 2024", "张三 2024年招商统计")
	b.expect("zhangsan", "统计 wangwu 2024年12月", "王五 2024年12月招商统计")
	b.now = time.Date(2024, 12, 31, 18, 0, 0, 0, shanghai) // 本年 is 2024, whole
	got := b.expect("li", "统计 各园区 本年", "2024年各园区招商统计：",
		"全区合计：签约121个/966亿元，开工47个（市外37个），到位167.7亿元（市外162.7亿元），拜访5次（4家），接待3批次，推介1场")
	if len(got) > 2048 {
		t.Fatalf("reply is %d bytes", len(got))
	}
	// The parks' lines add up to the bureau's line, measure by measure.
	var sum [10]float64
	lines := strings.Split(got, "\n")
	parks := 0
	for _, l := range lines[1 : len(lines)-2] {
		parks++
		for i, v := range numbersOf(l) {
			sum[i] += v
		}
	}
	if parks < 2 {
		t.Fatalf("%d park lines:\n%s", parks, got)
	}
	total := numbersOf(lines[len(lines)-2])
	for i := range sum {
		if i == 7 { // 拜访家数 are companies, counted once in the bureau
			continue
		}
		if math.Abs(sum[i]-total[i]) > 1e-6 {
			t.Errorf("measure %d: parks sum to %v, the bureau's line says %v:\n%s", i, sum[i], total[i], got)
		}
	}
	b.expect("zhangsan", "统计 明年", "看不懂")
}

// numbersOf reads the numbers of a MeasuresLine in order, amounts in 亿元
// (万元 converted).
func numbersOf(line string) []float64 {
	_, line, _ = strings.Cut(line, "：")
	var out []float64
	for _, m := range regexp.MustCompile(`([0-9.]+)(万元|亿元|[^0-9.]|$)`).FindAllStringSubmatch(line, -1) {
		v, _ := strconv.ParseFloat(m[1], 64)
		if m[2] == "万元" {
			v /= 10000
		}
		out = append(out, v)
	}
	return out
}
