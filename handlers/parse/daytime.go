package parse

import (
	"fmt"
	"regexp"
	"strings"

	"zsbot"
)

// clockRe splits a word into a date and the time of day after it: a part
// of the day (上午 下午 晚上 …), a clock time (14点, 3点半, 14点30分,
// 下午3点15, 14:30), or both. The date part may be empty (a bare 下午 is
// today). Chinese minutes need 分 ("三点五" may be an amount).
var clockRe = regexp.MustCompile(`^(.*?)(上午|下午|晚上|中午|早上|早晨|傍晚|凌晨|夜里|夜间|晚间)?` +
	`(?:([0-9]{1,2}|[零一二两三四五六七八九十]{1,3})[点时](半|一刻|三刻|[0-9]{2}|(?:[0-9]{1,2}|[零一二三四五六七八九十]{1,3})分)?钟?` +
	`|([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?)?$`)

// cutTimeOfDay returns the date part of a word that ends with a time of
// day ("3月17号下午" gives "3月17号"). found is false when the word has no
// time of day; valid is false when the time cannot be read ("25点").
func cutTimeOfDay(w string) (day string, found, valid bool) {
	if !strings.ContainsAny(w, "点时:午晚上早傍凌夜") {
		return w, false, true
	}
	m := clockRe.FindStringSubmatch(w)
	if m == nil || m[2] == "" && m[3] == "" && m[5] == "" {
		return w, false, true
	}
	hour, minute := m[3]+m[5], strings.TrimSuffix(m[4], "分")+m[6]
	h, ok := ParseChineseInt(hour)
	valid = hour == "" || ok && h <= 24
	switch minute {
	case "", "半", "一刻", "三刻":
	default:
		n, ok := ParseChineseInt(minute)
		valid = valid && ok && n < 60
	}
	return m[1], true, valid
}

// IsTimeOfDay reports whether word is only a time of day ("下午", "14点",
// "下午3点半", "14:30"): it belongs to the date next to it, or to today,
// and is never part of a note.
func IsTimeOfDay(word string) bool {
	day, found, _ := cutTimeOfDay(Normalize(word))
	return found && day == ""
}

// TimeOfDayError returns the EINVALID error for a time of day that cannot
// be ("25点", "14:75"), nil for any other word.
func TimeOfDayError(word string) error {
	w := Normalize(word)
	if _, found, valid := cutTimeOfDay(w); found && !valid {
		return invalid("时间 %s 看不懂，例如：3月17日下午、昨天14:30、下午3点半。", clip(w))
	}
	return nil
}

// YearNote returns the words a reply adds when an event's date was written
// without a year and falls more than six months before today: the officer
// sees which year was meant ("（未写年份，按2024年计）"). It returns ""
// otherwise.
func YearNote(word string, d, today zsbot.Date) string {
	s, ok := readDate(Normalize(word))
	if !ok || s.kind != kMonthDay && s.kind != kDay || today.DaysSince(d) <= 183 {
		return ""
	}
	return fmt.Sprintf("（未写年份，按%d年计）", d.Year())
}

// ImpossibleDate returns the EINVALID error of ParseDate when word is
// written as a date that no year makes real ("2月30日", "13月5日",
// "2025-02-29", "32号"), and nil for any other word. A handler checks the
// words of a note with it: such a date is a slip, not text.
func ImpossibleDate(word string) error {
	w := Normalize(word)
	s, ok := readDate(w)
	switch {
	case !ok:
		return nil
	case s.kind == kFull && !date(s.y, s.m, s.d).Valid(),
		s.kind == kMonthDay && !date(2024, s.m, s.d).Valid(),
		s.kind == kDay && (s.d < 1 || s.d > 31):
		return invalid("日期 %s 不存在，请检查月和日，例如：签约 诺比侃 51亿 12月20日。", clip(w))
	}
	return nil
}
