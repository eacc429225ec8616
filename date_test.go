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
