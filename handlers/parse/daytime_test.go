package parse

import (
	"strings"
	"testing"

	"zsbot"
)

func TestIsTimeOfDay(t *testing.T) {
	for _, w := range []string{"下午", "上午", "晚上", "中午", "早上", "傍晚", "凌晨", "14点", "14点半", "14:30",
		"下午3点", "下午三点半", "3点15", "14点30分", "晚上8点", "上午10:00", "９点"} {
		if !IsTimeOfDay(w) {
			t.Errorf("IsTimeOfDay(%q) = false", w)
		}
	}
	for _, w := range []string{"", "昨天", "3月17日下午", "一点五", "3点5", "下午茶", "会议", "5亿", "12月"} {
		if IsTimeOfDay(w) {
			t.Errorf("IsTimeOfDay(%q) = true", w)
		}
	}
}

func TestYearNote(t *testing.T) {
	const today zsbot.Date = 20250320
	for _, tc := range []struct {
		word string
		want string
	}{
		{"2月28日", ""}, // this year's, within six months
		{"8月31日", "（未写年份，按2024年计）"}, // the nearest 31 August before today
		{"9月1日", "（未写年份，按2024年计）"},
		{"9.1", "（未写年份，按2024年计）"},
		{"10月1日", ""},      // within six months
		{"2024年2月29日", ""}, // the year was written
		{"20240901", ""},   // so it was here
		{"昨天", ""},
	} {
		d, err := ParseDate(tc.word, today, Past)
		if err != nil {
			t.Fatalf("ParseDate(%q): %v", tc.word, err)
		}
		if got := YearNote(tc.word, d, today); got != tc.want {
			t.Errorf("YearNote(%q, %d) = %q; want %q", tc.word, d, got, tc.want)
		}
	}
}

func TestImpossibleDate(t *testing.T) {
	for _, w := range []string{"2月30日", "13月5日", "2025-02-29", "32号", "0号", "2月30日下午"} {
		if err := ImpossibleDate(w); err == nil || !strings.Contains(err.Error(), "不存在") {
			t.Errorf("ImpossibleDate(%q) = %v; want 不存在", w, err)
		}
	}
	for _, w := range []string{"2月29日", "12月30日", "2024-02-29", "31号", "周末", "签约", "3.15", "5亿", "25点"} {
		if err := ImpossibleDate(w); err != nil {
			t.Errorf("ImpossibleDate(%q) = %v; want nil", w, err)
		}
	}
}
