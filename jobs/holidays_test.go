package jobs

import (
	"strings"
	"testing"

	"zsbot"
)

func TestDefaultCalendar(t *testing.T) {
	c := DefaultCalendar()
	for _, tc := range []struct {
		day     zsbot.Date
		working bool
	}{
		{20260101, false}, // 元旦, Thursday
		{20260104, true},  // 调休上班, Sunday
		{20260214, true},  // 调休上班, Saturday
		{20260215, false}, // 春节 begins, Sunday
		{20260223, false}, // 春节 ends, Monday
		{20260224, true},  // back to work, Tuesday
		{20260406, false}, // 清明节, Monday
		{20260505, false}, // 劳动节, Tuesday
		{20260509, true},  // 调休上班, Saturday
		{20260619, false}, // 端午节, Friday
		{20260920, true},  // 调休上班, Sunday
		{20260925, false}, // 中秋节, Friday
		{20261007, false}, // 国庆节, Wednesday
		{20261010, true},  // 调休上班, Saturday
		{20261017, false}, // ordinary Saturday
		{20270101, true},  // 2027 unpublished: a Friday is a working day
		{20270102, false}, // and a Saturday is not
	} {
		if got := c.Working(tc.day); got != tc.working {
			t.Errorf("Working(%v) = %v, want %v", tc.day, got, tc.working)
		}
	}
	if !c.Covers(2026) || c.Covers(2027) {
		t.Errorf("Covers(2026) = %v, Covers(2027) = %v; want true, false", c.Covers(2026), c.Covers(2027))
	}
}

func TestParseCalendar(t *testing.T) {
	c, err := ParseCalendar(strings.NewReader("# comment\n\n2025-10-01..2025-10-08 休 国庆中秋\n2025-10-11 班 # 周六\n2025-09-28 work\n"), "test")
	if err != nil {
		t.Fatal(err)
	}
	if c.Working(20251008) || !c.Working(20251011) || !c.Working(20250928) || !c.Working(20251009) || c.Working(20251012) {
		t.Error("parsed calendar decides wrongly")
	}
	for _, tc := range []struct{ name, text, want string }{
		{"NoKind", "2026-10-01\n", "test:1"},
		{"BadKind", "2026-10-01 放假\n", "neither 休 nor 班"},
		{"BadDate", "\n2026-13-01 休\n", "test:2"},
		{"Backwards", "2026-10-07..2026-10-01 休\n", "range"},
		{"TooLong", "2026-01-01..2026-12-31 休\n", "range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCalendar(strings.NewReader(tc.text), "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
