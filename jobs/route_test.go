package jobs

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	line := strings.Repeat("逾期任务", 20) // 240 bytes
	var lines []string
	for range 60 {
		lines = append(lines, line)
	}
	text := strings.Join(lines, "\n") // 14,459 bytes
	for _, tc := range []struct {
		name  string
		text  string
		max   int
		parts int
	}{
		{"Short", "**半月通报**\n> 签约项目3个", RobotMarkdownLimit, 1},
		{"Robot", text, RobotMarkdownLimit, 4},
		{"App", text, AppLimit, 8},
		{"ExactlyFull", strings.Repeat("a", RobotMarkdownLimit), RobotMarkdownLimit, 1},
		{"OneHugeLine", strings.Repeat("长", 3000), RobotMarkdownLimit, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := Split(tc.text, tc.max)
			if len(parts) != tc.parts {
				t.Fatalf("%d parts, want %d", len(parts), tc.parts)
			}
			for i, p := range parts {
				if len(p) > tc.max || !utf8.ValidString(p) || p == "" {
					t.Fatalf("part %d: %d bytes, valid UTF-8 %v", i, len(p), utf8.ValidString(p))
				}
			}
			sep := "\n"
			if tc.name == "OneHugeLine" {
				sep = ""
			}
			if strings.Join(parts, sep) != tc.text {
				t.Fatal("the parts do not add up to the text, in order")
			}
		})
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
