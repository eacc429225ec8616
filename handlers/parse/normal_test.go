package parse

import "testing"

// FuzzNormalQuickCheck proves Normalize's quick check sound: whenever it
// takes s as already normal, the full normalisation returns s unchanged.
func FuzzNormalQuickCheck(f *testing.F) {
	for _, s := range []string{"", "签约 诺比侃 51亿", " 签约", "签约 ", "签约  诺比侃", "签约\t诺比侃", "签约\u3000诺比侃",
		"ＡＢＣ１２３", "到位 康硕 3.5亿", "a\u200bb", "e\u0301", "\u00a8x", "拜访 诺比侃科技 成都 昨天", "\xff签约", "x\u0085y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if normal(s) {
			if got := normalize(s); got != s {
				t.Fatalf("quick check took %q as normal; Normalize gives %q", s, got)
			}
		}
		if n := normalize(s); !normal(n) && n != Normalize(n) {
			t.Fatalf("Normalize(%q) = %q is not a fixed point", s, n)
		}
	})
}
