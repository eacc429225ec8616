package jobs

import (
	"testing"
)

func TestSamePark(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"珞璜", "珞璜园区", true}, {"珞璜工业园区", "珞璜园区", true}, {"双福园区", "双福园区", true},
		{"双福园区", "珞璜园区", false}, {"全区", "全区", true}, {"园区", "园区", true},
	} {
		if SamePark(tc.a, tc.b) != tc.same {
			t.Errorf("SamePark(%q, %q) = %v", tc.a, tc.b, !tc.same)
		}
	}
}

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
