package parse

import (
	"slices"
	"strings"
	"testing"
)

func TestNameKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"诺比侃", "诺比侃"},
		{"诺比侃科技有限公司", "诺比侃"},
		{"重庆诺比侃科技股份有限公司", "重庆诺比侃"},
		{"京东方科技集团股份有限公司", "京东方"},
		{"中冶赛迪集团有限公司", "中冶赛迪"},
		{"中冶赛迪(中国)有限责任公司", "中冶赛迪"},
		{"中冶赛迪（中国）有限责任公司", "中冶赛迪"},
		{"康硕（北京）技术有限公司", "康硕"},
		{"【重点】晶帆光电", "晶帆光电"},
		{"ABB (China) Ltd.", "abbltd"},
		{"ＡＢＢ　中国", "abb中国"},
		{"晶帆 光电·项目", "晶帆光电"},
		{"科技有限公司", "科技"},
		{"（北京）", "北京"},
		{"", ""},
		{"！？", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := NameKey(tc.in); got != tc.want {
				t.Errorf("NameKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if again := NameKey(tc.want); again != tc.want {
				t.Errorf("NameKey not idempotent: NameKey(%q) = %q", tc.want, again)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	names := []string{
		"重庆诺比侃科技有限公司", "康硕（北京）技术有限公司", "晶帆光电", "中冶赛迪集团有限公司",
		"诺比特电子", "京纳清科", "晶帆光电", "完全无关",
	}
	for _, tc := range []struct {
		name  string
		query string
		n     int
		want  []string
	}{
		{"Substring", "诺比侃", 3, []string{"重庆诺比侃科技有限公司", "诺比特电子"}},
		{"ExactKeyFirst", "晶帆光电有限公司", 2, []string{"晶帆光电"}},
		{"Typo", "晶帆光店", 1, []string{"晶帆光电"}},
		{"SuffixIgnored", "康硕公司", 5, []string{"康硕（北京）技术有限公司"}},
		{"LatinSharesNothing", "ＫＡＮＧ", 3, nil},
		{"LimitN", "赛迪", 1, []string{"中冶赛迪集团有限公司"}},
		{"ZeroN", "诺比侃", 0, nil},
		{"EmptyQuery", "  ", 3, nil},
		{"NothingShared", "华为", 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Closest(tc.query, names, tc.n); !slices.Equal(got, tc.want) {
				t.Errorf("Closest(%q, %d) = %q, want %q", tc.query, tc.n, got, tc.want)
			}
		})
	}
	t.Run("OrderByDistance", func(t *testing.T) {
		got := Closest("诺比侃电子", []string{"诺比特", "诺比特电子", "中科电子"}, 3)
		if want := []string{"诺比特电子", "诺比特", "中科电子"}; !slices.Equal(got, want) {
			t.Errorf("Closest = %q, want %q", got, want)
		}
	})
	t.Run("LongNames", func(t *testing.T) {
		long := strings.Repeat("诺", 5000)
		if got := Closest(long, []string{long + "比", "比"}, 2); len(got) != 1 {
			t.Errorf("Closest on long names = %q", got)
		}
	})
}

func TestParseMention(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"@张三", "张三"}, {"@zhangsan", "zhangsan"}, {"＠张三", "张三"}, {"@zhang.san_1", "zhang.san_1"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got, ok := ParseMention(tc.in); !ok || got != tc.want {
				t.Errorf("ParseMention(%q) = %q, %v; want %q", tc.in, got, ok, tc.want)
			}
		})
	}
	for _, bad := range []string{"张三", "@", "@@张三", "@张 三", "a@b", "@张三!", ""} {
		t.Run("Bad"+bad, func(t *testing.T) {
			if got, ok := ParseMention(bad); ok {
				t.Errorf("ParseMention(%q) = %q, want failure", bad, got)
			}
		})
	}
}

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		in   string
		kind byte
		n    int
	}{{"P12", 'P', 12}, {"p12", 'P', 12}, {"T3", 'T', 3}, {"C7", 'C', 7}, {"Ｐ１２", 'P', 12}, {"P007", 'P', 7}, {"p999999999", 'P', 999999999}} {
		t.Run(tc.in, func(t *testing.T) {
			if kind, n, ok := ParseID(tc.in); !ok || kind != tc.kind || n != tc.n {
				t.Errorf("ParseID(%q) = %c, %d, %v; want %c, %d", tc.in, kind, n, ok, tc.kind, tc.n)
			}
		})
	}
	for _, bad := range []string{"P", "12", "P0", "P-1", "PP12", "P1.5", "诺12", "@12", "[1", "P1234567890", "P12a", ""} {
		t.Run("Bad"+bad, func(t *testing.T) {
			if kind, n, ok := ParseID(bad); ok {
				t.Errorf("ParseID(%q) = %c, %d, want failure", bad, kind, n)
			}
		})
	}
}
