package parse

import (
	"fmt"
	"slices"
	"strings"

	"zsbot"
)

// period is a named span of days.
type period struct {
	from, to zsbot.Date
	name     string
}

// ParsePeriod reads the period of a 统计 command relative to today and
// returns its first and last day and a label for the reply. No words means
// the year to date. Accepted: 本月 上月 本季 上季 本年/今年 去年 本周 上周
// 上半月 下半月 (of this month) 上半年 下半年; 2024 2024年; 2024年3月 2024-03;
// 2024年第1季度 2024Q1; 3月 3月份 一季度 Q1 (without a year: the latest one
// that has begun); 近30天 (the 30 days up to today); two dates "3月1日
// 3月15日", "3月1日至3月15日" or "3.1-3.15" (the first is the nearest not
// after today, the second the nearest from it); a date to today
// ("3月1日至今"); and a run of months ("2025年1-3月", "2025年2月至3月"). A period
// reaching past today ends today and its label shows the days
// ("2024年12月1日至16日"); a finished one is labelled by name ("2024年11月").
// One day: 今天, 昨天, 3月5日, 2024年3月5日. A period that has not begun is
// refused with EINVALID.
func ParsePeriod(words []string, today zsbot.Date) (from, to zsbot.Date, label string, err error) {
	var ws []string // words split again: a caller may pass one raw string
	for _, w := range words {
		ws = append(ws, splitWords(Normalize(w), isSep)...)
	}
	text := strings.Join(ws, " ")
	if joined := strings.Join(ws, ""); len(ws) > 1 && strings.ContainsAny(joined, "至到~") {
		ws = []string{joined} // "3月1日 至 3月15日", "3月1日 至今"
	}
	var p period
	var ok bool
	switch {
	case len(ws) == 0:
		p, ok = period{from: date(today.Year(), 1, 1), to: today}, true
	case len(ws) == 2 && LooksLikeDate(ws[0]) && LooksLikeDate(ws[1]):
		if p, err = dateRange(ws[0], ws[1], today); err != nil {
			return 0, 0, "", err
		}
		ok = true
	case len(ws) == 1 && strings.ContainsAny(ws[0], "至到~"):
		a, b, _ := strings.Cut(strings.NewReplacer("到", "至", "~", "至").Replace(ws[0]), "至")
		if p, ok, err = span(a, b, today); err != nil {
			return 0, 0, "", err
		}
	case len(ws) == 2 && len(ws[0]) >= 4 && allDigits(strings.TrimSuffix(ws[0], "年")):
		p, ok = namedPeriod(strings.TrimSuffix(ws[0], "年")+"年"+ws[1], today)
	case len(ws) == 1:
		if p, ok = namedPeriod(ws[0], today); !ok {
			if p, ok, err = dashSpan(ws[0], today); err != nil {
				return 0, 0, "", err
			}
		}
		if !ok && (LooksLikeDate(ws[0]) || slices.Contains(oneDay, ws[0])) {
			// One day: 统计 今天, 统计 昨天, 统计 3月5日, 统计 2024年3月5日.
			d, derr := ParseDate(ws[0], today, Past)
			if derr != nil {
				return 0, 0, "", derr
			}
			p, ok = period{from: d, to: d}, true
		}
	}
	switch {
	case !ok || !p.from.Valid() || !p.to.Valid():
		return 0, 0, "", invalid("统计时段 %s 看不懂，例如：统计 本月、统计 2024、统计 2024年3月、统计 本季。", clip(text))
	case p.from > today:
		return 0, 0, "", invalid("统计时段 %s 还没开始，例如：统计 本月。", clip(text))
	case p.to > today || p.name == "":
		p.to = min(p.to, today)
		p.name = zsbot.Span(p.from, p.to)
	}
	return p.from, p.to, p.name, nil
}

// dateRange reads a span given by two dates: the first is the nearest
// not after today, the second the nearest not before the first.
func dateRange(a, b string, today zsbot.Date) (p period, err error) {
	if p.from, err = ParseDate(a, today, Past); err != nil {
		return p, err
	}
	if p.to, err = ParseDate(b, p.from, Future); err != nil {
		return p, err
	}
	// An end without a year is the nearest on or after the start: across
	// new year ("12月20日至1月5日") that is the next year's. When that lands
	// after today the officer wrote the end before the start ("3.15-3.1"):
	// a span that cannot have been meant, refused rather than cut to today.
	if p.to < p.from || p.to > today && p.to.Year() > p.from.Year() {
		return p, invalid("统计时段的结束日期早于开始日期，例如：统计 3月1日至3月15日。")
	}
	return p, nil
}

// span reads a period from a to b: two dates ("3月1日至3月15日"), a date
// and today ("3月1日至今"), or two named periods ("2025年2月至3月",
// "1至3月"), the second taking the first's year and the first the second's
// unit when they are left out.
func span(a, b string, today zsbot.Date) (p period, ok bool, err error) {
	switch b {
	case "今", "今天", "现在", "目前":
		if p.from, err = ParseDate(a, today, Past); err != nil {
			return p, false, err
		}
		return period{from: p.from, to: today}, true, nil
	}
	if LooksLikeDate(a) && LooksLikeDate(b) {
		p, err = dateRange(a, b, today)
		return p, err == nil, err
	}
	if y, m, found := strings.Cut(a, "年"); found && !strings.Contains(b, "年") && m != "" {
		b = y + "年" + b // 2025年2月至3月
	}
	if allDigits(a) && !allDigits(b) && len(a) <= 2 {
		_, unit := numberPrefix(b)
		a += unit // 1-3月
	} else if y, m, found := strings.Cut(a, "年"); found && allDigits(m) && m != "" {
		_, unit := numberPrefix(b[strings.Index(b, "年")+len("年"):])
		a = y + "年" + m + unit // 2025年1-3月
	}
	from, ok1 := namedPeriod(a, today)
	to, ok2 := namedPeriod(b, today)
	switch {
	case !ok1 || !ok2:
		return p, false, nil
	case to.to < from.from:
		return p, false, invalid("统计时段的结束早于开始，例如：统计 2025年1-3月。")
	}
	return period{from: from.from, to: to.to}, true, nil
}

// numberPrefix splits "3月" into "3" and "月".
func numberPrefix(s string) (num, unit string) {
	i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i:]
}

// dashSpan reads a span written with '-' ("3.1-3.15", "2025年1-3月"):
// the first '-' at which both sides read.
func dashSpan(w string, today zsbot.Date) (p period, ok bool, err error) {
	for i := 0; i < len(w); i++ {
		if w[i] != '-' {
			continue
		}
		if p, ok, err = span(w[:i], w[i+1:], today); ok || err != nil {
			return p, ok, err
		}
	}
	return p, false, nil
}

// recentDays reads 近30天, 最近7日, 过去30天: the n days up to today.
func recentDays(w string, today zsbot.Date) (period, bool) {
	for _, p := range []string{"最近", "近", "过去"} {
		if rest, ok := strings.CutPrefix(w, p); ok {
			rest = strings.TrimSuffix(strings.TrimSuffix(rest, "天"), "日")
			n, ok := ParseChineseInt(rest)
			if ok && rest != w[len(p):] && n >= 1 && n <= 3660 {
				return period{from: today.AddDays(1 - int(n)), to: today}, true
			}
		}
	}
	return period{}, false
}

// namedPeriod reads one period word.
func namedPeriod(w string, today zsbot.Date) (period, bool) {
	y, m := today.Year(), int(today.Month())
	monday := today.AddDays(-weekIndex(today.Weekday()))
	switch w {
	case "本月", "这个月", "当月":
		return month(y, m), true
	case "上月", "上个月":
		return month(y, m-1), true
	case "本季", "本季度", "这季度", "这个季度", "当季":
		return quarter(y, (m+2)/3), true
	case "上季", "上季度", "上个季度":
		return quarter(y, (m+2)/3-1), true
	case "本年", "今年", "当年":
		return year(y), true
	case "去年":
		return year(y - 1), true
	case "本周", "这周", "这个星期", "本星期":
		return period{from: monday, to: monday.AddDays(6)}, true
	case "上周", "上个星期", "上星期":
		return period{from: monday.AddDays(-7), to: monday.AddDays(-1)}, true
	case "上半月":
		p := month(y, m)
		return period{from: p.from, to: date(y, m, 15), name: p.name + "上半月"}, true
	case "下半月":
		p := month(y, m)
		return period{from: date(y, m, 16), to: p.to, name: p.name + "下半月"}, true
	}
	if p, ok := recentDays(w, today); ok {
		return p, true
	}
	w = strings.TrimSuffix(w, "份") // 3月份
	rest, hasYear := w, false
	if len(w) >= 4 && allDigits(w[:4]) && (len(w) == 4 || !isDigit(w[4])) {
		y, rest, hasYear = atoi(w[:4]), w[4:], true
		if r, ok := strings.CutPrefix(rest, "年"); ok {
			rest = r
		} else if rest != "" && strings.ContainsRune("-/.", rune(rest[0])) {
			rest = rest[1:] + "月"
		}
	}
	p, ok := inYear(rest, y, hasYear)
	if ok && !hasYear && p.from > today {
		p, ok = inYear(rest, y-1, false)
	}
	return p, ok
}

// inYear reads the part of a period word that follows the year: nothing,
// a month, a quarter or a half year.
func inYear(rest string, y int, hasYear bool) (period, bool) {
	rest = strings.TrimPrefix(lowerASCII(rest), "第")
	switch {
	case rest == "":
		return year(y), hasYear
	case rest == "上半年":
		return period{from: date(y, 1, 1), to: date(y, 6, 30), name: fmt.Sprintf("%d年上半年", y)}, true
	case rest == "下半年":
		return period{from: date(y, 7, 1), to: date(y, 12, 31), name: fmt.Sprintf("%d年下半年", y)}, true
	case strings.HasPrefix(rest, "q"):
		q, ok := ParseChineseInt(rest[1:])
		return quarter(y, int(q)), ok && 1 <= q && q <= 4
	}
	for _, suffix := range []string{"季度", "季"} {
		if n, ok := strings.CutSuffix(rest, suffix); ok {
			q, ok := ParseChineseInt(n)
			return quarter(y, int(q)), ok && 1 <= q && q <= 4
		}
	}
	if n, ok := strings.CutSuffix(rest, "月"); ok {
		m, ok := ParseChineseInt(n)
		return month(y, int(m)), ok && 1 <= m && m <= 12
	}
	return period{}, false
}

// month returns month m of year y; m may be 0 or 13 to step across years.
func month(y, m int) period {
	first := addMonths(date(y, 1, 1), m-1)
	return period{from: first, to: addMonths(first, 1).AddDays(-1),
		name: fmt.Sprintf("%d年%d月", first.Year(), int(first.Month()))}
}

// quarter returns quarter q (1–4; 0 is the last of the year before).
func quarter(y, q int) period {
	first := addMonths(date(y, 1, 1), 3*(q-1))
	y, q = first.Year(), (int(first.Month())+2)/3
	return period{from: first, to: addMonths(first, 3).AddDays(-1), name: fmt.Sprintf("%d年第%d季度", y, q)}
}

func year(y int) period {
	return period{from: date(y, 1, 1), to: date(y, 12, 31), name: fmt.Sprintf("%d年", y)}
}

func atoi(s string) int {
	n, _ := ParseChineseInt(s)
	return int(n)
}

// oneDay are the words of a single day that ParseDate reads.
var oneDay = []string{"今天", "今日", "昨天", "昨日", "前天"}
