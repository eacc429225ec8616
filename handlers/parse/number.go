package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"zsbot"
)

// cnDigits are the Chinese digits ParseChineseInt reads (两 is 2, 〇 is 0).
const cnDigits = "零〇一二两三四五六七八九"

// maxNumberRunes bounds the numbers we try to read; longer words are text.
const maxNumberRunes = 40

// digitVal returns the value of an Arabic or Chinese digit.
func digitVal(r rune) (int64, bool) {
	switch {
	case '0' <= r && r <= '9':
		return int64(r - '0'), true
	case r == '零' || r == '〇':
		return 0, true
	case r == '一':
		return 1, true
	case r == '二' || r == '两':
		return 2, true
	}
	if i := strings.IndexRune("三四五六七八九", r); i >= 0 {
		return int64(i/3 + 3), true
	}
	return 0, false
}

// ParseChineseInt reads a non-negative integer written in Arabic digits
// ("2024"), Chinese digit by digit ("二〇二四"), or Chinese with units
// 十百千万亿 ("五十一", "两万五", "一亿零五百万", "一千五" is 1500), also mixed
// ("5千", "1亿2000万"). A leading 十 needs no coefficient ("十五"); 百, 千,
// 万 and 亿 do, so "千万" is not a number. It reports false for anything
// else, including values that do not fit comfortably in an int64.
func ParseChineseInt(s string) (int64, bool) {
	rs := []rune(s)
	if len(rs) == 0 || len(rs) > maxNumberRunes {
		return 0, false
	}
	if !strings.ContainsAny(s, "十百千万亿") {
		var n int64
		for _, r := range rs {
			d, ok := digitVal(r)
			if !ok || n > 1e16 {
				return 0, false
			}
			n = n*10 + d
		}
		return n, true
	}
	return parseUnit(rs, '亿', 1e8)
}

// parseUnit reads "<hi><unit><tail>" for unit 亿 or 万, or a plain section
// when the unit is absent. The tail is below the unit; a lone digit right
// after the unit is a tenth of it ("两万五" is 25000).
func parseUnit(rs []rune, unit rune, size int64) (int64, bool) {
	below := func(rs []rune) (int64, bool) {
		if unit == '亿' {
			return parseUnit(rs, '万', 1e4)
		}
		return parseSection(rs)
	}
	i := indexRune(rs, unit)
	if i < 0 {
		return below(rs)
	}
	hi, ok := below(rs[:i])
	if !ok || hi == 0 || hi > 1e9 {
		return 0, false
	}
	tail := rs[i+1:]
	if len(tail) == 1 {
		if d, ok := digitVal(tail[0]); ok {
			return hi*size + d*size/10, true
		}
	}
	for len(tail) > 0 && (tail[0] == '零' || tail[0] == '〇') {
		tail = tail[1:]
	}
	if len(tail) == 0 {
		return hi * size, true
	}
	lo, ok := below(tail)
	if !ok || lo >= size {
		return 0, false
	}
	return hi*size + lo, true
}

// parseSection reads a number made of digits and the units 十百千, such as
// "三千零五" or "5千"; a run of Arabic digits is one coefficient.
func parseSection(rs []rune) (int64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	var total, num int64
	hasNum, afterUnit := false, int64(0)
	last := int64(1e4)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		if r == '零' || r == '〇' {
			afterUnit = 0
			continue
		}
		if d, ok := digitVal(r); ok {
			if hasNum {
				return 0, false
			}
			num, hasNum = d, true
			for i+1 < len(rs) && '0' <= rs[i] && rs[i] <= '9' && '0' <= rs[i+1] && rs[i+1] <= '9' {
				if num > 1e9 {
					return 0, false
				}
				i++
				num = num*10 + int64(rs[i]-'0')
			}
			continue
		}
		u := sectionUnit(r)
		if u == 0 {
			return 0, false
		}
		if !hasNum {
			if u != 10 || i != 0 {
				return 0, false
			}
			num = 1
		}
		if u >= last {
			return 0, false
		}
		total += num * u
		last, afterUnit, hasNum = u, u, false
	}
	if hasNum {
		if afterUnit >= 100 && num < 10 {
			num *= afterUnit / 10
		}
		total += num
	}
	return total, true
}

func sectionUnit(r rune) int64 {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	}
	return 0
}

func indexRune(rs []rune, r rune) int {
	for i, c := range rs {
		if c == r {
			return i
		}
	}
	return -1
}

// ParseCount reads a count such as "5人", "30家", "五人" or "30家企业" (a
// short Han tail after the unit is allowed; "30余家" and "30多家" count as
// 30). With an empty unit the whole word is the number. It reports false
// unless the word is a count between 1 and 1,000,000.
func ParseCount(word, unit string) (int, bool) {
	w := Normalize(word)
	num := w
	if unit != "" {
		var tail string
		var ok bool
		num, tail, ok = strings.Cut(w, unit)
		if !ok || utf8.RuneCountInString(tail) > 4 || strings.IndexFunc(tail, notHan) >= 0 {
			return 0, false
		}
		num = strings.TrimRight(num, "余多")
	}
	n, ok := ParseChineseInt(num)
	if !ok || n < 1 || n > 1e6 {
		return 0, false
	}
	return int(n), true
}

func notHan(r rune) bool { return !unicode.Is(unicode.Han, r) }

// clip shortens user input echoed in an error message.
func clip(s string) string {
	const max = 16
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}

// invalid returns a user-facing EINVALID error.
func invalid(format string, args ...any) error {
	return zsbot.Errorf(zsbot.EINVALID, format, args...)
}
