package zsbot

import "testing"

func TestDateShortFrom(t *testing.T) {
	today := Date(20261129)
	for _, c := range []struct {
		d    Date
		want string
	}{
		{20261215, "12月15日"},
		{20260101, "1月1日"},
		{20270105, "2027年1月5日"},
		{20251231, "2025年12月31日"},
		{0, ""},
	} {
		if got := c.d.ShortFrom(today); got != c.want {
			t.Errorf("%d.ShortFrom(%d) = %q, want %q", c.d, today, got, c.want)
		}
	}
}

func TestSpan(t *testing.T) {
	for _, c := range []struct {
		from, to Date
		want     string
	}{
		{20241201, 20241215, "2024年12月1日至15日"},
		{20241116, 20241201, "2024年11月16日至12月1日"},
		{20241216, 20250101, "2024年12月16日至2025年1月1日"},
		{20241201, 20241201, "2024年12月1日"},
	} {
		if got := Span(c.from, c.to); got != c.want {
			t.Errorf("Span(%d, %d) = %q, want %q", c.from, c.to, got, c.want)
		}
	}
}
