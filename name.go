package zsbot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nameSuffixes are stripped, repeatedly, from the end of a name key.
var nameSuffixes = []string{
	"股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司",
	"集团", "股份", "科技", "技术", "项目",
}

// NameKey returns the key under which a company or project name is matched,
// and under which a company's name is claimed (one key, one company): NFKC,
// lower case, bracketed parts such as "(北京)" and "（中国）" removed,
// spaces and punctuation removed, and the suffixes 有限公司, 股份有限公司,
// 有限责任公司, 集团, 科技, 技术, 公司, 股份 and 项目 stripped from the end
// ("京东方科技集团股份有限公司" has the key "京东方"). Stripping never
// empties a key: "科技有限公司" keeps "科技".
func NameKey(s string) string {
	s = strings.ToLower(nfkc(s))
	if unbracketed := dropBracketed(s); keepLetters(unbracketed) != "" {
		s = unbracketed
	}
	s = keepLetters(s)
	for changed := true; changed; {
		changed = false
		for _, suf := range nameSuffixes {
			if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
				s, changed = t, true
			}
		}
	}
	return s
}

// nfkc returns s as valid UTF-8 in NFKC, without copying the usual name:
// printable ASCII and CJK ideographs, which NFKC keeps.
func nfkc(s string) string {
	for _, r := range s {
		if r >= utf8.RuneSelf && (r < 0x4e00 || r > 0x9fff) {
			return norm.NFKC.String(strings.ToValidUTF8(s, ""))
		}
	}
	return s
}

// keepLetters removes everything but letters and digits.
func keepLetters(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// dropBracketed removes bracketed parts: (…) […] 【…】 〔…〕 〈…〉.
func dropBracketed(s string) string {
	const open, closing = "([【〔〈", ")]】〕〉"
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune(open, r):
			depth++
		case strings.ContainsRune(closing, r):
			depth = max(depth-1, 0)
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}
