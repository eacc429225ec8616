package report

import "testing"

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
