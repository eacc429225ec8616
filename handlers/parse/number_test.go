package parse

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

func TestParseChineseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"0", 0}, {"51", 51}, {"零", 0}, {"一", 1}, {"两", 2}, {"十", 10}, {"十五", 15}, {"二十", 20},
		{"五十一", 51}, {"一百", 100}, {"一百零五", 105}, {"一百二", 120}, {"一百二十三", 123},
		{"三千", 3000}, {"一千五", 1500}, {"一千零五", 1005}, {"两千零二十四", 2024}, {"二〇二四", 2024},
		{"一二", 12}, {"一万", 10000}, {"两万五", 25000}, {"一万零五", 10005}, {"十万", 100000},
		{"三千万", 30000000}, {"一亿", 100000000}, {"一亿二", 120000000}, {"十五亿", 1500000000},
		{"一亿二千万", 120000000}, {"一亿零五百万", 105000000}, {"五千", 5000}, {"5千", 5000},
		{"1亿2000万", 120000000}, {"12345万", 123450000}, {"1千5百", 1500}, {"九千九百九十九", 9999},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseChineseInt(tc.in)
			if !ok || got != tc.want {
				t.Errorf("ParseChineseInt(%q) = %d, %v; want %d", tc.in, got, ok, tc.want)
			}
		})
	}
	for _, bad := range []string{
		"", "千", "千万", "百", "万", "亿", "一十十", "十百", "一百千", "一千一千", "一万二万", "三亿四亿",
		"五点五", "5.5", "abc", "十五个", "-5", "一亿一万亿", strings.Repeat("一", 41), "99999999999999999999",
		"二十一二", "一千二百三四",
	} {
		t.Run("Bad"+bad, func(t *testing.T) {
			if got, ok := ParseChineseInt(bad); ok {
				t.Errorf("ParseChineseInt(%q) = %d, want failure", bad, got)
			}
		})
	}
}

// chineseInt writes n (0 ≤ n < 1e12) the way people write Chinese numbers:
// 一百零五, 三千万, 一亿二千万, 十五 (no leading 一 before 十).
func chineseInt(n int64) string {
	if n == 0 {
		return "零"
	}
	var b strings.Builder
	zero := false
	groups := []struct {
		size int64
		unit string
	}{{1e8, "亿"}, {1e4, "万"}, {1, ""}}
	for _, g := range groups {
		part := n / g.size % 1e4
		if g.size == 1e8 {
			part = n / g.size
		}
		if part == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero || b.Len() > 0 && part < 1000 {
			b.WriteString("零")
		}
		b.WriteString(chineseSection(part, b.Len() == 0))
		b.WriteString(g.unit)
		zero = false
	}
	return b.String()
}

func chineseSection(n int64, leading bool) string {
	const digits = "零一二三四五六七八九"
	units := []struct {
		v int64
		u string
	}{{1000, "千"}, {100, "百"}, {10, "十"}, {1, ""}}
	var b strings.Builder
	zero := false
	for _, u := range units {
		d := n / u.v % 10
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(d == 1 && u.v == 10 && leading && b.Len() == 0) {
			b.WriteString(string([]rune(digits)[d]))
		}
		b.WriteString(u.u)
	}
	return b.String()
}

func TestParseChineseIntRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(n int64) {
		t.Helper()
		s := chineseInt(n)
		if got, ok := ParseChineseInt(s); !ok || got != n {
			t.Fatalf("ParseChineseInt(%q) = %d, %v; want %d", s, got, ok, n)
		}
		if got, ok := ParseChineseInt(strconv.FormatInt(n, 10)); !ok || got != n {
			t.Fatalf("ParseChineseInt(%d) = %d, %v", n, got, ok)
		}
	}
	for n := range int64(20001) {
		check(n)
	}
	for range 20000 {
		check(r.Int64N(1e12))
		check(r.Int64N(10) * [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10}[r.IntN(11)])
	}
}

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		name, word, unit string
		want             int
	}{
		{"Arabic", "5人", "人", 5}, {"Chinese", "五人", "人", 5}, {"Companies", "30家", "家", 30},
		{"HanTail", "30家企业", "家", 30}, {"About", "30余家", "家", 30}, {"More", "三十多家", "家", 30},
		{"FullWidth", "１２人", "人", 12}, {"NoUnit", "12", "", 12}, {"Ten", "十人", "人", 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, ok := ParseCount(tc.word, tc.unit); !ok || got != tc.want {
				t.Errorf("ParseCount(%q, %q) = %d, %v; want %d", tc.word, tc.unit, got, ok, tc.want)
			}
		})
	}
	for _, tc := range []struct{ name, word, unit string }{
		{"Zero", "0人", "人"}, {"WrongUnit", "5家", "人"}, {"NoNumber", "人", "人"}, {"Decimal", "5.5人", "人"},
		{"LongTail", "30家企业参加了会议", "家"}, {"ASCIITail", "30家ab", "家"}, {"Huge", "2000000人", "人"},
		{"Text", "中冶赛迪", "人"}, {"Negative", "-5人", "人"},
	} {
		t.Run("Bad"+tc.name, func(t *testing.T) {
			if got, ok := ParseCount(tc.word, tc.unit); ok {
				t.Errorf("ParseCount(%q, %q) = %d, want failure", tc.word, tc.unit, got)
			}
		})
	}
}
