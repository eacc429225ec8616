package parse

import (
	"strings"
	"testing"

	"zsbot"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		name     string
		words    []string
		today    zsbot.Date
		from, to zsbot.Date
		label    string
	}{
		{"YearToDate", nil, monday, 20240101, 20241216, "2024年1月1日至12月16日"},
		{"Today", []string{"今天"}, monday, 20241216, 20241216, "2024年12月16日"},
		{"Yesterday", []string{"昨天"}, monday, 20241215, 20241215, "2024年12月15日"},
		{"OneDay", []string{"3月5日"}, monday, 20240305, 20240305, "2024年3月5日"},
		{"OneDayWithYear", []string{"2023年3月5日"}, monday, 20230305, 20230305, "2023年3月5日"},
		{"OneDayDotted", []string{"12.6"}, monday, 20241206, 20241206, "2024年12月6日"},
		{"YearToDateOnNewYear", nil, 20250101, 20250101, 20250101, "2025年1月1日"},
		{"ThisMonth", []string{"本月"}, monday, 20241201, 20241216, "2024年12月1日至16日"},
		{"ThisMonthLastDay", []string{"本月"}, 20241231, 20241201, 20241231, "2024年12月"},
		{"LastMonth", []string{"上月"}, monday, 20241101, 20241130, "2024年11月"},
		{"LastMonthInJanuary", []string{"上个月"}, 20250110, 20241201, 20241231, "2024年12月"},
		{"ThisQuarter", []string{"本季"}, monday, 20241001, 20241216, "2024年10月1日至12月16日"},
		{"LastQuarter", []string{"上季度"}, monday, 20240701, 20240930, "2024年第3季度"},
		{"LastQuarterInJanuary", []string{"上季"}, 20250110, 20241001, 20241231, "2024年第4季度"},
		{"ThisYear", []string{"今年"}, monday, 20240101, 20241216, "2024年1月1日至12月16日"},
		{"BenNian", []string{"本年"}, monday, 20240101, 20241216, "2024年1月1日至12月16日"},
		{"LastYear", []string{"去年"}, monday, 20230101, 20231231, "2023年"},
		{"Year", []string{"2023"}, monday, 20230101, 20231231, "2023年"},
		{"YearWord", []string{"2023年"}, monday, 20230101, 20231231, "2023年"},
		{"CurrentYear", []string{"2024"}, monday, 20240101, 20241216, "2024年1月1日至12月16日"},
		{"YearMonth", []string{"2024年3月"}, monday, 20240301, 20240331, "2024年3月"},
		{"YearMonthDash", []string{"2024-03"}, monday, 20240301, 20240331, "2024年3月"},
		{"YearMonthDot", []string{"2024.3"}, monday, 20240301, 20240331, "2024年3月"},
		{"YearMonthTwoWords", []string{"2024", "3月"}, monday, 20240301, 20240331, "2024年3月"},
		{"YearMonthOneString", []string{"2024年 3月"}, monday, 20240301, 20240331, "2024年3月"},
		{"FullWidth", []string{"２０２４年３月"}, monday, 20240301, 20240331, "2024年3月"},
		{"Month", []string{"3月"}, monday, 20240301, 20240331, "2024年3月"},
		{"MonthLastYear", []string{"12月"}, 20250110, 20241201, 20241231, "2024年12月"},
		{"ChineseMonth", []string{"十一月"}, monday, 20241101, 20241130, "2024年11月"},
		{"FirstHalfMonth", []string{"上半月"}, monday, 20241201, 20241215, "2024年12月上半月"},
		{"SecondHalfMonth", []string{"下半月"}, monday, 20241216, 20241216, "2024年12月16日"},
		{"ThisWeek", []string{"本周"}, 20241218, 20241216, 20241218, "2024年12月16日至18日"},
		{"LastWeek", []string{"上周"}, monday, 20241209, 20241215, "2024年12月9日至15日"},
		{"Quarter", []string{"2024Q1"}, monday, 20240101, 20240331, "2024年第1季度"},
		{"QuarterWords", []string{"2024年第一季度"}, monday, 20240101, 20240331, "2024年第1季度"},
		{"QuarterNoYear", []string{"二季度"}, monday, 20240401, 20240630, "2024年第2季度"},
		{"QuarterQ", []string{"q3"}, monday, 20240701, 20240930, "2024年第3季度"},
		{"QuarterNotBegun", []string{"第2季"}, 20250110, 20240401, 20240630, "2024年第2季度"},
		{"FirstHalfYear", []string{"上半年"}, monday, 20240101, 20240630, "2024年上半年"},
		{"SecondHalfYear", []string{"2023年下半年"}, monday, 20230701, 20231231, "2023年下半年"},
		{"TwoDates", []string{"3月1日", "3月15日"}, monday, 20240301, 20240315, "2024年3月1日至15日"},
		{"DateRange", []string{"3月1日至4月15日"}, monday, 20240301, 20240415, "2024年3月1日至4月15日"},
		{"RangeAcrossYears", []string{"12月1日到1月5日"}, 20250110, 20241201, 20250105, "2024年12月1日至2025年1月5日"},
		{"RangeClamped", []string{"12月1日~12月31日"}, monday, 20241201, 20241216, "2024年12月1日至16日"},
		{"DotDash", []string{"3.1-3.15"}, monday, 20240301, 20240315, "2024年3月1日至15日"},
		{"DateDash", []string{"3月1日-3月15日"}, monday, 20240301, 20240315, "2024年3月1日至15日"},
		{"SinceDate", []string{"3月1日至今"}, monday, 20240301, 20241216, "2024年3月1日至12月16日"},
		{"SinceDateWords", []string{"12月1日", "至今"}, monday, 20241201, 20241216, "2024年12月1日至16日"},
		{"SinceYearStart", []string{"年初至今"}, monday, 20240101, 20241216, "2024年1月1日至12月16日"},
		{"RangeThreeWords", []string{"3月1日", "至", "3月15日"}, monday, 20240301, 20240315, "2024年3月1日至15日"},
		{"MonthFen", []string{"3月份"}, monday, 20240301, 20240331, "2024年3月"},
		{"YearMonthFen", []string{"2023年11月份"}, monday, 20231101, 20231130, "2023年11月"},
		{"MonthRun", []string{"2024年1-3月"}, monday, 20240101, 20240331, "2024年1月1日至3月31日"},
		{"MonthRunNoYear", []string{"1-3月"}, monday, 20240101, 20240331, "2024年1月1日至3月31日"},
		{"MonthRunWords", []string{"2024年2月至3月"}, monday, 20240201, 20240331, "2024年2月1日至3月31日"},
		{"MonthRunToNow", []string{"2024年11月至12月"}, monday, 20241101, 20241216, "2024年11月1日至12月16日"},
		{"Recent30", []string{"近30天"}, monday, 20241117, 20241216, "2024年11月17日至12月16日"},
		{"Recent7Chinese", []string{"最近七天"}, monday, 20241210, 20241216, "2024年12月10日至16日"},
		{"TrailingStop", []string{"本月。"}, monday, 20241201, 20241216, "2024年12月1日至16日"},
		{"TrailingQuestion", []string{"上月？"}, monday, 20241101, 20241130, "2024年11月"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, label, err := ParsePeriod(tc.words, tc.today)
			if err != nil || from != tc.from || to != tc.to || label != tc.label {
				t.Errorf("ParsePeriod(%q, %d) = %d, %d, %q, %v; want %d, %d, %q",
					tc.words, tc.today, from, to, label, err, tc.from, tc.to, tc.label)
			}
		})
	}
}

func TestParsePeriodRefusals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		words []string
		today zsbot.Date
		msg   string
	}{
		{"FutureYear", []string{"2026"}, monday, "还没开始"},
		{"FutureMonth", []string{"2025年3月"}, monday, "还没开始"},
		{"SecondHalfNotBegun", []string{"下半月"}, 20241210, "还没开始"},
		{"Month13", []string{"13月"}, monday, "看不懂"},
		{"YearMonth13", []string{"2024年13月"}, monday, "看不懂"},
		{"Quarter5", []string{"Q5"}, monday, "看不懂"},
		{"Unknown", []string{"本世纪"}, monday, "看不懂"},
		{"Three", []string{"2024", "3月", "5日"}, monday, "看不懂"},
		{"Year1800", []string{"1800"}, monday, "看不懂"},
		{"BadDate", []string{"2月30日", "3月1日"}, monday, "不存在"},
		{"Long", []string{strings.Repeat("月", 3000)}, monday, "看不懂"},
		{"MonthRunBackwards", []string{"2024年3月-1月"}, monday, "结束早于开始"},
		{"SinceBadDate", []string{"2月30日至今"}, monday, "不存在"},
		{"RecentZero", []string{"近0天"}, monday, "看不懂"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to, label, err := ParsePeriod(tc.words, tc.today)
			e := mustInvalid(t, err)
			if from != 0 || to != 0 || label != "" || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("ParsePeriod(%q) = %d, %d, %q, %q; want message containing %q", tc.words, from, to, label, e.Message, tc.msg)
			}
		})
	}
}

// TestPeriodBackwardsWithoutYear: a span written end first without a year
// ("3.15-3.1" on 20 March) is refused, not read as 15 March to today; one
// across new year stays a span.
func TestPeriodBackwardsWithoutYear(t *testing.T) {
	today := zsbot.Date(20250320)
	for _, w := range []string{"3.15-3.1", "3.10-3.5", "3月15日至3月1日"} {
		if _, _, _, err := ParsePeriod([]string{w}, today); err == nil || !strings.Contains(err.Error(), "早于") {
			t.Errorf("统计 %s on %s: err %v; want the end-before-start refusal", w, today, err)
		}
	}
	from, to, _, err := ParsePeriod([]string{"12月20日至1月5日"}, zsbot.Date(20250110))
	if err != nil || from != zsbot.Date(20241220) || to != zsbot.Date(20250105) {
		t.Errorf("统计 12月20日至1月5日 on 10 January: %s–%s, %v; want 2024-12-20 to 2025-01-05", from, to, err)
	}
}
