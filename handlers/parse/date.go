package parse

import (
	"strings"
	"time"

	"zsbot"
)

// Direction says how a date without a year (or month) is completed.
type Direction int

const (
	// Past completes to the nearest such date not after today: events
	// such as visits, signings and payments.
	Past Direction = iota
	// Future completes to the nearest such date not before today (today
	// included): deadlines.
	Future
)

// dateKind is the shape of a date word.
type dateKind int

const (
	kFull     dateKind = iota // 2024-03-15, 2024年3月15日
	kMonthDay                 // 3月15日, 3.15: the year comes from today and the direction
	kDay                      // 15日: so do the year and month
	kRelative                 // 昨天: n days from today
	kWeek                     // 下周五: weekday wd of the week n weeks from this one
	kWeekday                  // 周五: the nearest such weekday in the direction
	kMonthEnd                 // 下月底: last day of the month n months from this one
	kYearEnd                  // 年底
	kYearOf                   // 去年12月1日: month and day of the year n years from this one
	kMonthOf                  // 下月5日: day of the month n months from this one
	kWeekend                  // 周末: which day is meant is asked, not guessed
	kBadTime                  // 3月5日25点: a date whose time of day cannot be read
)

// dateSpec is a date word read syntactically, before calendar checks.
type dateSpec struct {
	kind    dateKind
	y, m, d int
	n       int
}

var relativeDays = map[string]int{
	"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3,
	"明天": 1, "明日": 1, "后天": 2, "大后天": 3,
}

var monthEnds = map[string]int{
	"月底": 0, "本月底": 0, "这个月底": 0, "月末": 0, "本月末": 0,
	"下月底": 1, "下个月底": 1, "下月末": 1, "上月底": -1, "上个月底": -1, "上月末": -1,
}

// ParseDate reads a date word relative to today: 今天 昨天 前天 大前天 明天
// 后天 大后天; 3天前 三天前 10天后 (N days either way); 今年3月1日 去年12月1日 明年1月10日; 本月20日 下月5号 上个月15日;
// 下下周一; 2024-03-15 2024/3/15 2024.3.15 2024年3月15日; 3月15日 3月15号
// 3月15 3.15 3/15 3-15 (no year: nearest in dir); 15日 15号 (day of month,
// nearest in dir); 本周五 这周五 下周一 上周五 (week starts on Monday; 周日
// and 周天 end it); 周五 星期五 礼拜五 (the nearest Friday in dir, today
// included); 月底 本月底 下月底 上月底 年底. Chinese numerals work too
// (三月十五日), and a trailing 前 or 之前 is ignored (12月15日前). Impossible
// dates such as 2月30日 are refused with EINVALID.
//
// Also: 20250315 and 25年3月15日; 年初; 月初 月中 本月初 上月中 (the 1st and
// the 15th); a time of day after any of these, which is dropped (3月17号下午,
// 昨天14:30, 下午3点半; a bare 下午 or 14点 is today). 周末 is refused with
// a question asking which day, and so is a time that cannot be read (25点).
func ParseDate(word string, today zsbot.Date, dir Direction) (zsbot.Date, error) {
	w := Normalize(word)
	s, ok := readDate(w)
	if !ok {
		return 0, invalid("日期 %s 看不懂，例如：12月20日、昨天、本周五、2024-03-15。", clip(w))
	}
	switch s.kind {
	case kWeekend:
		return 0, invalid("「%s」是指周六还是周日？请写明是哪一天，例如：上周六、12月21日。", clip(w))
	case kBadTime:
		return 0, invalid("时间 %s 看不懂，例如：3月17日下午、昨天14:30、下午3点半。", clip(w))
	}
	d := resolve(s, today, dir)
	if !d.Valid() && s.kind == kMonthDay && s.m == 2 && s.d == 29 {
		return 0, invalid("%d年没有2月29日（不是闰年）。请写明年份，例如：2024年2月29日；或改为2月28日、3月1日。", d.Year())
	}
	if !d.Valid() {
		return 0, invalid("日期 %s 不存在，请检查月和日，例如：签约 诺比侃 51亿 12月20日。", clip(w))
	}
	return d, nil
}

// LooksLikeDate reports whether word is written as a date, valid or not
// ("2月30日" does, so the handler can report it). A bare M.D ("3.15",
// "3.5") looks like a date only when 1 ≤ M ≤ 12 and 1 ≤ D ≤ 31; it also
// looks like money, and TakeMoneyDate settles which.
func LooksLikeDate(word string) bool {
	_, ok := readDate(Normalize(word))
	return ok
}

// readDate parses the syntax of a normalised date word. A deadline may say
// "before": 12月15日前, 周五之前, 月底前. A time of day after the date is
// dropped (3月17号下午, 昨天14:30); alone it means today.
func readDate(w string) (dateSpec, bool) {
	if n, ok := daysAway(w); ok {
		return dateSpec{kind: kRelative, n: n}, true
	}
	if t, ok := strings.CutSuffix(w, "前"); ok {
		w = strings.TrimSuffix(t, "之")
	}
	day, found, valid := cutTimeOfDay(w)
	if !found {
		return readPlain(w)
	}
	s, ok := dateSpec{kind: kRelative}, true // a bare time of day: today
	if day = strings.TrimSuffix(day, "的"); day != "" {
		s, ok = readPlain(day)
	}
	if ok && !valid {
		s.kind = kBadTime
	}
	return s, ok
}

// daysAway reads "N天前" (N days ago; also 天之前, 天以前, 日前) and
// "N天后" (N days on; also 天之后, 天以后), N in digits or Chinese, up to
// ten years: the days from today it names.
func daysAway(w string) (int, bool) {
	for _, c := range []struct {
		suffix string
		sign   int
	}{{"天之前", -1}, {"天以前", -1}, {"天前", -1}, {"日前", -1}, {"天之后", 1}, {"天以后", 1}, {"天后", 1}} {
		if num, ok := strings.CutSuffix(w, c.suffix); ok {
			if n, ok := ParseChineseInt(num); ok && n >= 1 && n <= 3660 {
				return c.sign * int(n), true
			}
			return 0, false
		}
	}
	return 0, false
}

// readPlain parses a date word without 前.
func readPlain(w string) (dateSpec, bool) {
	if n, ok := relativeDays[w]; ok {
		return dateSpec{kind: kRelative, n: n}, true
	}
	if n, ok := monthEnds[w]; ok {
		return dateSpec{kind: kMonthEnd, n: n}, true
	}
	switch w {
	case "年底", "年末", "今年底", "本年底":
		return dateSpec{kind: kYearEnd}, true
	case "年初", "今年初", "本年初":
		return dateSpec{kind: kYearOf, m: 1, d: 1}, true
	case "周末", "本周末", "这周末", "这个周末", "上周末", "上个周末", "下周末", "下个周末":
		return dateSpec{kind: kWeekend}, true
	}
	if s, ok := readWeek(w); ok {
		return s, true
	}
	if s, ok := readOffset(w); ok {
		return s, true
	}
	return readNumeric(w)
}

// yearOffsets and monthOffsets name a year or month relative to today's.
var (
	yearOffsets  = []offset{{"今年", 0}, {"本年", 0}, {"去年", -1}, {"前年", -2}, {"明年", 1}, {"后年", 2}}
	monthOffsets = []offset{{"这个月", 0}, {"本月", 0}, {"下个月", 1}, {"下月", 1}, {"上个月", -1}, {"上月", -1}}
)

type offset struct {
	prefix string
	n      int
}

// readOffset parses 今年/去年/明年 before a month and day ("去年12月1日")
// and 本月/下月/上月 before a day of the month ("下月5号").
func readOffset(w string) (dateSpec, bool) {
	for _, q := range yearOffsets {
		if rest, ok := strings.CutPrefix(w, q.prefix); ok {
			s, ok := readNumeric(rest)
			return dateSpec{kind: kYearOf, n: q.n, m: s.m, d: s.d}, ok && s.kind == kMonthDay
		}
	}
	if rest, ok := strings.CutPrefix(w, "月"); ok && (rest == "初" || rest == "中") {
		w = "本" + w // 月初, 月中: of this month
	}
	for _, q := range monthOffsets {
		if rest, ok := strings.CutPrefix(w, q.prefix); ok {
			switch rest {
			case "初":
				return dateSpec{kind: kMonthOf, n: q.n, d: 1}, true
			case "中":
				return dateSpec{kind: kMonthOf, n: q.n, d: 15}, true
			}
			s, ok := readNumeric(rest)
			return dateSpec{kind: kMonthOf, n: q.n, d: s.d}, ok && s.kind == kDay
		}
	}
	return dateSpec{}, false
}

// readWeek parses 周五, 星期五, 礼拜五 with an optional 本/这/这个/下/下个/
// 上/上个, or 下下/上上 for two weeks on or back.
func readWeek(w string) (dateSpec, bool) {
	s := dateSpec{kind: kWeekday}
	for _, q := range []struct {
		prefix string
		n      int
	}{{"这个", 0}, {"下下个", 2}, {"下下", 2}, {"下个", 1}, {"上上个", -2}, {"上上", -2}, {"上个", -1}, {"本", 0}, {"这", 0}, {"下", 1}, {"上", -1}} {
		if rest, ok := strings.CutPrefix(w, q.prefix); ok {
			w, s.kind, s.n = rest, kWeek, q.n
			break
		}
	}
	var ok bool
	for _, p := range []string{"周", "星期", "礼拜"} {
		if w, ok = strings.CutPrefix(w, p); ok {
			break
		}
	}
	if !ok {
		return s, false
	}
	i := strings.Index("一二三四五六日天", w)
	switch {
	case len(w) == 1 && '1' <= w[0] && w[0] <= '7':
		s.d = int(w[0] - '0')
	case len(w) == 3 && i >= 0 && i%3 == 0:
		s.d = min(i/3+1, 7)
	default:
		return s, false
	}
	return s, true
}

// resolve turns a spec into a date; the result may be invalid.
func resolve(s dateSpec, today zsbot.Date, dir Direction) zsbot.Date {
	step := -1
	if dir == Future {
		step = 1
	}
	inDir := func(d zsbot.Date) bool {
		return d.Valid() && (dir == Past && d <= today || dir == Future && d >= today)
	}
	switch s.kind {
	case kFull:
		return date(s.y, s.m, s.d)
	case kMonthDay:
		// The nearest such month and day in dir, valid or not: 2月29日
		// typed in March 2025 is 2025's, which does not exist, never a
		// leap year's further back.
		y := today.Year()
		if md, now := s.m*100+s.d, int(today.Month())*100+today.Day(); dir == Past && md > now {
			y--
		} else if dir == Future && md < now {
			y++
		}
		return date(y, s.m, s.d)
	case kDay:
		first := date(today.Year(), int(today.Month()), 1)
		for k := range 13 {
			f := addMonths(first, step*k)
			if d := date(f.Year(), int(f.Month()), s.d); inDir(d) {
				return d
			}
		}
	case kRelative:
		return today.AddDays(s.n)
	case kWeek:
		monday := today.AddDays(-weekIndex(today.Weekday()))
		return monday.AddDays(7*s.n + s.d - 1)
	case kWeekday:
		diff := s.d - 1 - weekIndex(today.Weekday())
		return today.AddDays((diff%7 + 7*step) % 7)
	case kMonthEnd:
		return addMonths(date(today.Year(), int(today.Month()), 1), s.n+1).AddDays(-1)
	case kYearEnd:
		return date(today.Year(), 12, 31)
	case kYearOf:
		return date(today.Year()+s.n, s.m, s.d)
	case kMonthOf:
		f := addMonths(date(today.Year(), int(today.Month()), 1), s.n)
		return date(f.Year(), int(f.Month()), s.d)
	}
	return 0
}

// weekIndex counts days from Monday (0) to Sunday (6).
func weekIndex(wd time.Weekday) int { return (int(wd) + 6) % 7 }

// date builds a Date, yielding an invalid one for out-of-range parts.
func date(y, m, d int) zsbot.Date {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 0 || y > 9999 {
		return 0
	}
	return zsbot.NewDate(y, time.Month(m), d)
}

// addMonths moves the first day of a month by n months.
func addMonths(first zsbot.Date, n int) zsbot.Date {
	t := first.Time(time.UTC).AddDate(0, n, 0)
	return zsbot.DateOf(t)
}
