package limits

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplit(t *testing.T) {
	line := strings.Repeat("招", 10) // 30 bytes
	for name, tc := range map[string]struct {
		text  string
		limit int
		want  []string
	}{
		"Fits":            {"a\nb", 10, []string{"a\nb"}},
		"AtLines":         {"aaaa\nbbbb\ncccc", 9, []string{"aaaa\nbbbb", "cccc"}},
		"TrailingNewline": {"aaaa\nbbbb\n", 9, []string{"aaaa\nbbbb"}},
		"BlankAtCut":      {"aaaa\n\n  \nbbbb\n\n", 6, []string{"aaaa", "bbbb"}},
		"BlankInside":     {"a\n\nb", 10, []string{"a\n\nb"}},
		"OnlyBlank":       {" \n\n\t\n", 10, nil},
		"Empty":           {"", 10, nil},
		"LongLine":        {line, 32, []string{line}},
		"CutInRunes":      {line, 16, []string{strings.Repeat("招", 5), strings.Repeat("招", 5)}},
		"CutThenMore":     {"ab\n" + line + "\ncd", 16, []string{"ab", strings.Repeat("招", 5), strings.Repeat("招", 5), "cd"}},
		"CutThenJoin":     {line + "\ncd", 20, []string{strings.Repeat("招", 6), strings.Repeat("招", 4) + "\ncd"}},
		"LongBlankLine":   {"ab\n" + strings.Repeat(" ", 40) + "\ncd", 16, []string{"ab", "cd"}},
		"TinyLimit":       {"招招", 1, []string{"招", "招"}},
	} {
		t.Run(name, func(t *testing.T) {
			got := Split(tc.text, tc.limit)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Fatalf("Split = %q, want %q", got, tc.want)
			}
			checkParts(t, tc.text, tc.limit, got)
		})
	}
}

// TestSplitProperty splits random texts (CJK and ASCII words, blank and
// white-space lines, trailing line breaks, lines over the limit) and checks
// every result with checkParts.
func TestSplitProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 6))
	words := []string{"招商", "签约", "诺比侃", "51亿", "P12", "**逾期**", "<@zhangsan>", "a", " ", "\t", "　", "😀"}
	for i := range 3000 {
		var b strings.Builder
		for range rng.IntN(60) {
			switch r := rng.IntN(10); {
			case r < 2:
				b.WriteString("\n")
			case r < 3:
				b.WriteString(strings.Repeat("长", rng.IntN(700))) // often over the limit
			case r < 4:
				b.WriteString(strings.Repeat(" ", rng.IntN(300)) + "\n")
			default:
				b.WriteString(words[rng.IntN(len(words))])
			}
		}
		text := b.String()
		limit := []int{4, 7, 64, 500, AppText, RobotMarkdown}[i%6]
		checkParts(t, text, limit, Split(text, limit))
	}
}

// checkParts fails unless parts carry text within limit: each part
// non-empty, not only white space, valid UTF-8 within limit bytes, taken
// from text in order with only white space between, before and after them.
func checkParts(tb testing.TB, text string, limit int, parts []string) {
	tb.Helper()
	pos := 0
	for i, p := range parts {
		if Blank(p) || len(p) > max(limit, utf8.UTFMax) || !utf8.ValidString(p) {
			tb.Fatalf("limit %d, part %d of %d: %q (%d bytes)", limit, i, len(parts), p, len(p))
		}
		at := strings.Index(text[pos:], p)
		if at < 0 || !Blank(text[pos:pos+at]) {
			tb.Fatalf("limit %d, part %d %q is not the text that follows part %d in %q", limit, i, p, i-1, text)
		}
		pos += at + len(p)
	}
	if !Blank(text[pos:]) {
		tb.Fatalf("limit %d: text after the last part is lost: %q", limit, text[pos:])
	}
}

func TestBytes(t *testing.T) {
	for _, tc := range []struct {
		channel, format string
		want            int
	}{
		{"robot", "text", 2048}, {"robot", "markdown", 4096},
		{"app", "text", 2048}, {"app", "markdown", 2048},
		{"appchat", "text", 2048}, {"appchat", "markdown", 2048},
	} {
		if got := Bytes(tc.channel, tc.format); got != tc.want {
			t.Errorf("Bytes(%s, %s) = %d, want %d", tc.channel, tc.format, got, tc.want)
		}
	}
	if PerWindow("robot") != 20 || PerWindow("app") != 30 || PerWindow("appchat") != 0 {
		t.Errorf("PerWindow: robot %d, app %d, appchat %d", PerWindow("robot"), PerWindow("app"), PerWindow("appchat"))
	}
}
