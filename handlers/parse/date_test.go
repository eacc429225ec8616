package parse

import (
	"strings"
	"testing"

	"zsbot"
)

// monday is the fixed "today" of the date tables: Monday 16 December 2024.
const monday zsbot.Date = 20241216

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in           string
		past, future zsbot.Date
	}{
		{"今天", 20241216, 20241216}, {"昨天", 20241215, 20241215}, {"前天", 20241214, 20241214},
		{"大前天", 20241213, 20241213}, {"明天", 20241217, 20241217}, {"后天", 20241218, 20241218},
		{"3天前", 20241213, 20241213}, {"三天前", 20241213, 20241213}, {"十天之前", 20241206, 20241206},
		{"20天以前", 20241126, 20241126}, {"7天后", 20241223, 20241223}, {"两天后", 20241218, 20241218},
		{"大后天", 20241219, 20241219}, {"今日", 20241216, 20241216},
		{"3月15日", 20240315, 20250315}, {"3月15号", 20240315, 20250315}, {"3月15", 20240315, 20250315},
		{"3.15", 20240315, 20250315}, {"3/15", 20240315, 20250315}, {"3-15", 20240315, 20250315},
		{"３月１５日", 20240315, 20250315}, {"三月十五日", 20240315, 20250315}, {"12月16日", 20241216, 20241216},
		{"12月20日", 20231220, 20241220}, {"12.1", 20241201, 20251201},
		{"2024-03-15", 20240315, 20240315}, {"2024/3/15", 20240315, 20240315}, {"2024.3.15", 20240315, 20240315},
		{"2024年3月15日", 20240315, 20240315}, {"2024年3月15号", 20240315, 20240315},
		{"二〇二四年三月十五日", 20240315, 20240315}, {"2026-01-01", 20260101, 20260101},
		{"15日", 20241215, 20250115}, {"16号", 20241216, 20241216}, {"31日", 20241031, 20241231},
		{"十五号", 20241215, 20250115},
		{"本周五", 20241220, 20241220}, {"这周五", 20241220, 20241220}, {"这个星期五", 20241220, 20241220},
		{"周五", 20241213, 20241220}, {"星期五", 20241213, 20241220}, {"礼拜五", 20241213, 20241220},
		{"周一", 20241216, 20241216}, {"周日", 20241215, 20241222}, {"礼拜天", 20241215, 20241222},
		{"周7", 20241215, 20241222}, {"本周日", 20241222, 20241222}, {"下周一", 20241223, 20241223},
		{"下周五", 20241227, 20241227}, {"下个星期三", 20241225, 20241225}, {"上周五", 20241213, 20241213},
		{"上周一", 20241209, 20241209}, {"上礼拜天", 20241215, 20241215},
		{"月底", 20241231, 20241231}, {"本月底", 20241231, 20241231}, {"下月底", 20250131, 20250131},
		{"上月底", 20241130, 20241130}, {"年底", 20241231, 20241231},
		{"本月20日", 20241220, 20241220}, {"这个月5号", 20241205, 20241205}, {"下月5日", 20250105, 20250105},
		{"下个月五号", 20250105, 20250105}, {"上月15日", 20241115, 20241115}, {"上个月30号", 20241130, 20241130},
		{"今年3月1日", 20240301, 20240301}, {"去年12月1日", 20231201, 20231201}, {"明年1月10日", 20250110, 20250110},
		{"今年3.1", 20240301, 20240301}, {"下下周一", 20241230, 20241230}, {"上上周五", 20241206, 20241206},
		{"12月20日前", 20231220, 20241220}, {"周五之前", 20241213, 20241220}, {"月底前", 20241231, 20241231},
		// Compact and two-digit years.
		{"20240315", 20240315, 20240315}, {"24年3月15日", 20240315, 20240315}, {"二四年三月十五日", 20240315, 20240315},
		// Start and middle of a month.
		{"月初", 20241201, 20241201}, {"本月初", 20241201, 20241201}, {"月中", 20241215, 20241215},
		{"上月初", 20241101, 20241101}, {"上个月中", 20241115, 20241115}, {"下月初", 20250101, 20250101},
		// A time of day belongs to its date; alone it is today.
		{"3月15日下午", 20240315, 20250315}, {"3月15号上午", 20240315, 20250315}, {"昨天晚上", 20241215, 20241215},
		{"明天下午", 20241217, 20241217}, {"昨天14:30", 20241215, 20241215}, {"前天下午3点", 20241214, 20241214},
		{"上周三下午", 20241211, 20241211}, {"2024-03-15下午", 20240315, 20240315}, {"3月15日14点半", 20240315, 20250315},
		{"3月15日的下午", 20240315, 20250315}, {"12月15日下午3点15", 20241215, 20251215}, {"三月十五日下午三点", 20240315, 20250315},
		{"下午", 20241216, 20241216}, {"14点", 20241216, 20241216}, {"14:30", 20241216, 20241216},
		{"上午10点", 20241216, 20241216}, {"晚上八点半", 20241216, 20241216}, {"傍晚", 20241216, 20241216},
		{"下午3点前", 20241216, 20241216},
	} {
		t.Run(tc.in, func(t *testing.T) {
			for _, c := range []struct {
				dir  Direction
				want zsbot.Date
			}{{Past, tc.past}, {Future, tc.future}} {
				got, err := ParseDate(tc.in, monday, c.dir)
				if err != nil || got != c.want {
					t.Errorf("ParseDate(%q, %d, %d) = %d, %v; want %d", tc.in, monday, c.dir, got, err, c.want)
				}
			}
			if !LooksLikeDate(tc.in) {
				t.Errorf("LooksLikeDate(%q) = false", tc.in)
			}
		})
	}
}

// TestLeapDayNotInYear: 2月29日 without a year is the nearest such month
// and day in the direction; when that year has no 29 February it is
// refused, never moved to a leap year further off (issue 13).
func TestLeapDayNotInYear(t *testing.T) {
	for _, tc := range []struct {
		today zsbot.Date
		dir   Direction
		year  string
	}{
		{20250320, Past, "2025年"},
		{20250301, Past, "2025年"},
		{20250301, Future, "2026年"},
		{20260115, Past, "2025年"},
		{20970101, Future, "2097年"},
	} {
		d, err := ParseDate("2月29日", tc.today, tc.dir)
		if err == nil || !strings.Contains(err.Error(), tc.year+"没有2月29日") {
			t.Errorf("ParseDate(2月29日, %d, %d) = %d, %v; want refused: %s没有2月29日", tc.today, tc.dir, d, err, tc.year)
		}
	}
}

func TestParseDateEdges(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		today    zsbot.Date
		dir      Direction
		want     zsbot.Date
	}{
		{"LeapDayPast", "2月29日", 20250115, Past, 20240229},
		{"LeapDayThisYear", "2月29日", 20240301, Past, 20240229},
		{"LeapDayFuture", "2月29日", 20271231, Future, 20280229},
		{"DayOfMonthSkipsShortMonths", "31日", 20250301, Past, 20250131},
		{"DayOfMonth30InFebruary", "30日", 20250215, Future, 20250330},
		{"MonthEndFebruaryLeap", "月底", 20240210, Past, 20240229},
		{"NextMonthEndFromJanuary31", "下月底", 20250131, Future, 20250228},
		{"LastMonthEndFromMarch", "上月底", 20250331, Past, 20250228},
		{"YearTurnsBack", "12月31日", 20250101, Past, 20241231},
		{"YearTurnsForward", "1月1日", 20241231, Future, 20250101},
		{"SundayWeekEnds", "本周一", 20241222, Past, 20241216},
		{"NextWeekFromSunday", "下周一", 20241222, Future, 20241223},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDate(tc.in, tc.today, tc.dir)
			if err != nil || got != tc.want {
				t.Errorf("ParseDate(%q, %d, %d) = %d, %v; want %d", tc.in, tc.today, tc.dir, got, err, tc.want)
			}
		})
	}
}

func TestParseDateRefusals(t *testing.T) {
	for _, tc := range []struct{ name, in, msg string }{
		{"February30", "2月30日", "日期 2月30日 不存在"},
		{"Month13", "13月1日", "不存在"},
		{"NotLeapYear", "2023-02-29", "不存在"},
		{"Day32", "32日", "不存在"},
		{"Day0", "0号", "不存在"},
		{"Month13ISO", "2024-13-01", "不存在"},
		{"TwoDigitYearBadDay", "24年2月30日", "不存在"},
		{"CompactBadMonth", "20241315", "不存在"},
		{"Weekend", "周末", "周六还是周日"},
		{"LastWeekend", "上周末", "周六还是周日"},
		{"Hour25", "3月5日25点", "时间"},
		{"Minute61", "昨天14:61", "时间"},
		{"TimeOnBadDate", "2月30日下午", "不存在"},
		{"Name", "诺比侃", "看不懂"},
		{"Money", "3.5亿", "看不懂"},
		{"DecimalNotMD", "5.55", "看不懂"},
		{"MonthOutOfRangeMD", "13.1", "看不懂"},
		{"Year", "2024", "看不懂"},
		{"YearWord", "2024年", "看不懂"},
		{"MonthOnly", "3月", "看不懂"},
		{"NoWeekday", "周八", "看不懂"},
		{"WeekAlone", "周", "看不懂"},
		{"TimeAfterText", "会议下午", "看不懂"},
		{"ChinesePointIsNoClock", "三点五", "看不懂"},
		{"OnlyBefore", "前", "看不懂"},
		{"BeforeTwice", "12月20日前前", "看不懂"},
		{"ZeroDaysAgo", "0天前", "看不懂"}, {"DaysAgoNoNumber", "几天前", "看不懂"},
		{"BareNumber", "15", "看不懂"},
		{"LiangIsNoDigit", "两日", "看不懂"},
		{"ShortYearDashes", "24-3-15", "看不懂"},
		{"Empty", "", "看不懂"},
		{"LastMonth31", "上月31日", "不存在"},
		{"LastYearNoDay", "去年12月", "看不懂"},
		{"ThisMonthMonthDay", "本月3月5日", "看不懂"},
		{"Long", strings.Repeat("1", 5000) + "日", "看不懂"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDate(tc.in, monday, Past)
			e := mustInvalid(t, err)
			if d != 0 || !strings.Contains(e.Message, tc.msg) || !strings.Contains(e.Message, "例如") {
				t.Errorf("ParseDate(%q) = %d, %q; want message containing %q", tc.in, d, e.Message, tc.msg)
			}
		})
	}
}

func TestParseDateOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		in    string
		today zsbot.Date
		dir   Direction
	}{{"明天", 29991231, Future}, {"昨天", 19000101, Past}, {"3月1日", 19000101, Past}, {"15日", 29991231, Future}} {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDate(tc.in, tc.today, tc.dir)
			mustInvalid(t, err)
			if d != 0 {
				t.Errorf("ParseDate(%q) = %d with an error", tc.in, d)
			}
		})
	}
}
