package parse

import "strings"

// readNumeric parses dates written with numbers: full dates, month-day
// and day-of-month forms. Each number run is replaced by N to get a shape.
func readNumeric(w string) (dateSpec, bool) {
	if len(w) > maxNumberRunes {
		return dateSpec{}, false // no date is this long
	}
	var nums []string
	var shape strings.Builder
	for i, r := range w {
		switch {
		case '0' <= r && r <= '9' || r == '十' || r != '两' && strings.ContainsRune(cnDigits, r):
			if i == 0 || !strings.HasSuffix(shape.String(), "N") {
				nums = append(nums, "")
				shape.WriteByte('N')
			}
			nums[len(nums)-1] += string(r)
		case strings.ContainsRune("年月日号-/.", r):
			shape.WriteRune(r)
		default:
			return dateSpec{}, false
		}
	}
	v := make([]int, len(nums))
	for i, n := range nums {
		x, ok := ParseChineseInt(n)
		if !ok || x > 9999 && len(nums) > 1 {
			return dateSpec{}, false
		}
		v[i] = int(x)
	}
	switch shape.String() {
	case "N年N月N日", "N年N月N号", "N年N月N":
		if len([]rune(nums[0])) == 2 {
			v[0] += 2000 // 25年3月15日
		}
		return dateSpec{kind: kFull, y: v[0], m: v[1], d: v[2]}, true
	case "N":
		ok := len(nums[0]) == 8 && arabic(nums[0]) && (w[:2] == "19" || w[:2] == "20") // 20250315
		return dateSpec{kind: kFull, y: v[0] / 10000, m: v[0] / 100 % 100, d: v[0] % 100}, ok
	case "N-N-N", "N/N/N", "N.N.N":
		ok := len(nums[0]) == 4 && arabic(nums[0]) && arabic(nums[1]) && arabic(nums[2])
		return dateSpec{kind: kFull, y: v[0], m: v[1], d: v[2]}, ok
	case "N月N日", "N月N号", "N月N":
		return dateSpec{kind: kMonthDay, m: v[0], d: v[1]}, true
	case "N.N", "N/N", "N-N":
		ok := arabic(nums[0]) && arabic(nums[1]) && len(nums[0]) <= 2 && len(nums[1]) <= 2 &&
			1 <= v[0] && v[0] <= 12 && 1 <= v[1] && v[1] <= 31
		return dateSpec{kind: kMonthDay, m: v[0], d: v[1]}, ok
	case "N日", "N号":
		return dateSpec{kind: kDay, d: v[0]}, true
	}
	return dateSpec{}, false
}

func arabic(s string) bool { return s != "" && allDigits(s) }
