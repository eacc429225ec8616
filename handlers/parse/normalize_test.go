package parse

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"zsbot"
)

// mustInvalid fails unless err is a *zsbot.Error with code EINVALID and a
// non-empty message that does not leak the Go representation.
func mustInvalid(tb testing.TB, err error) *zsbot.Error {
	tb.Helper()
	var e *zsbot.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not a *zsbot.Error", err, err)
	}
	if e.Code != zsbot.EINVALID {
		tb.Fatalf("error code %q, want %q", e.Code, zsbot.EINVALID)
	}
	if e.Message == "" || !utf8.ValidString(e.Message) || utf8.RuneCountInString(e.Message) > 120 {
		tb.Fatalf("bad user message %q", e.Message)
	}
	return e
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Empty", "", ""},
		{"ASCII", "签约 诺比侃 51亿", "签约 诺比侃 51亿"},
		{"FullWidthDigits", "签约　诺比侃　５１亿", "签约 诺比侃 51亿"},
		{"FullWidthLetters", "ｐ１２", "p12"},
		{"FullWidthColon", "园区：珞璜", "园区:珞璜"},
		{"FullWidthParens", "诺比侃（北京）", "诺比侃(北京)"},
		{"FullWidthCommaBecomesASCII", "签约，诺比侃", "签约,诺比侃"},
		{"EnumerationCommaKept", "土地、环评", "土地、环评"},
		{"TabsAndNewlines", "签约\t诺比侃\r\n51亿", "签约 诺比侃 51亿"},
		{"RunsCollapsed", "  签约   诺比侃  ", "签约 诺比侃"},
		{"ControlCharsDropped", "签\x00约\x1b 诺\x7f比侃", "签约 诺比侃"},
		{"ZeroWidthDropped", "\ufeff签\u200b约", "签约"},
		{"InvalidUTF8Dropped", "签\xff约", "签约"},
		{"EmojiKept", "洽谈 👍", "洽谈 👍"},
		{"IdeographicSpace", "\u3000查\u3000P12\u3000", "查 P12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Normalize(tc.in); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// checkNormalized asserts the properties every Normalize result has.
func checkNormalized(tb testing.TB, in, out string) {
	tb.Helper()
	if !utf8.ValidString(out) {
		tb.Fatalf("Normalize(%q) is not valid UTF-8", in)
	}
	if out != strings.TrimSpace(out) || strings.Contains(out, "  ") {
		tb.Fatalf("Normalize(%q) = %q: untrimmed or double spaces", in, out)
	}
	for _, r := range out {
		if unicode.In(r, unicode.Cc, unicode.Cf) || unicode.IsSpace(r) && r != ' ' {
			tb.Fatalf("Normalize(%q) = %q keeps %U", in, out, r)
		}
	}
	if again := Normalize(out); again != out {
		tb.Fatalf("Normalize not idempotent: %q -> %q -> %q", in, out, again)
	}
}

func TestNormalizeProperties(t *testing.T) {
	for _, in := range []string{
		"e\u200b\u0301", " \u00b4x", "\u00a0\u2003a\u3000", "ｶﾞ", "①②", "\u1100\u200b\u1161",
		"a\u0301\u0323", "\t\n\v\f\r", strings.Repeat("签约，", 2000), "x\xc3",
	} {
		checkNormalized(t, in, Normalize(in))
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct{ name, in, first, rest string }{
		{"Empty", "", "", ""},
		{"OneWord", "我的", "我的", ""},
		{"KeepsPunctuationInRest", "诺比侃 已完成土地预审、环评：通过", "诺比侃", "已完成土地预审、环评:通过"},
		{"CommaSeparated", "诺比侃，已完成", "诺比侃", "已完成"},
		{"EnumerationCommaSeparates", "诺比侃、已完成", "诺比侃", "已完成"},
		{"LeadingSeparators", " ,、诺比侃  51亿", "诺比侃", "51亿"},
		{"OnlySeparators", " ,、 ", "", ""},
		{"ThousandsCommaIsNoSeparator", "3,000万 康硕", "3,000万", "康硕"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first, rest := Cut(tc.in)
			if first != tc.first || rest != tc.rest {
				t.Errorf("Cut(%q) = %q, %q; want %q, %q", tc.in, first, rest, tc.first, tc.rest)
			}
		})
	}
}

func TestVerb(t *testing.T) {
	known := []string{"签约", "新项目", "新", "查", "完成", "统计", "help", "?"}
	for _, tc := range []struct{ name, in, verb, rest string }{
		{"Plain", "签约 诺比侃 51亿 12月20日", "签约", "诺比侃 51亿 12月20日"},
		{"ASCIILowered", "HELP 签约", "help", "签约"},
		{"FullWidthQuestionMark", "？", "?", ""},
		{"GluedToName", "签约诺比侃 51亿", "签约", "诺比侃 51亿"},
		{"GluedToID", "完成T12", "完成", "T12"},
		{"LongestPrefixWins", "新项目中科纳米 30亿", "新项目", "中科纳米 30亿"},
		{"GluedToPeriod", "统计本月", "统计", "本月"},
		{"ASCIINotCut", "helpme", "helpme", ""},
		{"Unknown", "你好 世界", "你好", "世界"},
		{"Empty", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verb, rest := Verb(tc.in, known...)
			if verb != tc.verb || rest != tc.rest {
				t.Errorf("Verb(%q) = %q, %q; want %q, %q", tc.in, verb, rest, tc.verb, tc.rest)
			}
		})
	}
}
