package jobs

import (
	"testing"
)

func TestLookup(t *testing.T) {
	for name, want := range map[string]string{
		"半月": HalfMonthly, "half-monthly": HalfMonthly, "HALF_MONTHLY": HalfMonthly, "月度": Monthly, "季度考核": Quarterly,
		"逾期": Overdue, "个人": Personal, "personal": Personal,
	} {
		if n := Lookup(name); n == nil || n.Name != want {
			t.Errorf("Lookup(%q) = %v, want %s", name, n, want)
		}
	}
	if Lookup("weekly") != nil {
		t.Error("Lookup(weekly) found a notice")
	}
}
