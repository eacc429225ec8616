// Package parse holds the forgiving, pure parsing that officers rely on when
// they type one short Chinese line on a phone: normalisation, splitting a
// message into words and key:value options, amounts, dates, statistics
// periods, counts, names, mentions and record IDs.
//
// Nothing here does I/O or reads the clock: "today" is always a parameter.
// Every error is a *zsbot.Error with code EINVALID whose message is one or
// two short Chinese sentences with a correct example.
//
// Separators are runs of spaces (ASCII or full-width), commas (',' and '，'),
// the enumeration comma '、' and the punctuation that voice input and phones
// add: '；' '。' '！' '？' '…' (and ';' '!' '?', "..."), and a '.' that is not
// followed by a digit or letter ("昨天."). A comma between digits followed by
// exactly three digits ("3,000万") is a thousands separator, not a word
// break; a '、' inside an option value ("产业:新材料、新能源") is kept as part
// of the value. So a date, amount or name followed by punctuation is that
// date, amount or name.
//
// A bare Arabic number means an amount in 亿元 ("51"), but "3.15" is also
// a month and day. LooksLikeMoney and LooksLikeDate both report such words;
// TakeMoneyDate decides, preferring words with a unit or a date marker and
// giving an ambiguous word to the amount first.
package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in the canonical form every other function works on:
// invalid UTF-8, control and format characters (zero-width spaces, BOMs) are
// removed, the text is NFKC-normalised (full-width digits, letters, spaces,
// '：' and '，' become ASCII), every run of white space becomes one ASCII
// space, and the result is trimmed. Normalize is idempotent.
func Normalize(s string) string {
	if normal(s) {
		return s // most calls: text Normalize returned before
	}
	return normalize(s)
}

// normal reports whether Normalize would return s unchanged: valid UTF-8,
// no control or format characters, white space only as single ASCII spaces
// between words, and NFKC already. It is a quick check that allocates
// nothing.
func normal(s string) bool {
	if s == "" || !utf8.ValidString(s) || s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return s == ""
	}
	plain := true // only printable ASCII and CJK ideographs, which NFKC keeps
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x7f:
			return false
		case r < utf8.RuneSelf || r >= 0x4e00 && r <= 0x9fff:
		case unicode.IsSpace(r) || unicode.In(r, unicode.Cc, unicode.Cf):
			return false
		default:
			plain = false
		}
	}
	return plain || norm.NFKC.IsNormalString(s)
}

// normalize is Normalize without the quick check.
func normalize(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' '
		}
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			return -1
		}
		return r
	}, s)
	s = norm.NFKC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isSep reports whether the rune at s[i:] separates words.
func isSep(s string, i int) bool {
	return isSpaceComma(s, i) || isPunct(s, i) || strings.HasPrefix(s[i:], "、")
}

// isPunct reports whether the rune at s[i:] is sentence punctuation that
// ends a word: '。', a run of two or more '.' (NFKC writes '…' as "..."), a
// '.' that ends the word, is followed by neither an ASCII letter or digit
// nor (after a letter) a Han character, or comes after anything but an
// ASCII letter or digit ("3.15", ".5", "x.cn" and "A.O.史密斯" keep theirs;
// "昨天.", "5亿.昨天" and "14:30.谈" do not), or ';' '!' '?' unless between ASCII letters or digits (a URL's
// "send?key=x" keeps its '?').
func isPunct(s string, i int) bool {
	switch s[i] {
	case ';', '!', '?':
		return i == 0 || i+1 == len(s) || !alnum(s[i-1]) && s[i-1] != '/' || !alnum(s[i+1])
	case '.':
		if i+1 == len(s) || s[i+1] == '.' || i > 0 && s[i-1] == '.' {
			return true
		}
		if alnum(s[i+1]) { // "3.15", ".5", "x.cn", but not "5亿.1965"
			return i > 0 && !alnum(s[i-1]) && s[i-1] != ' ' && s[i-1] != ','
		}
		r, _ := utf8.DecodeRuneInString(s[i+1:]) // "A.O.史密斯", but not "14:30.谈"
		return i == 0 || !('a' <= s[i-1]|0x20 && s[i-1]|0x20 <= 'z') || !unicode.Is(unicode.Han, r)
	}
	return strings.HasPrefix(s[i:], "。")
}

// alnum reports whether c is an ASCII digit or letter.
func alnum(c byte) bool { return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'z' }

// punctShown is how a separator is written back into a note: full-width,
// as a phone types it.
func punctShown(s string, i int) string {
	switch s[i] {
	case ' ':
		return " "
	case ',':
		return "，"
	case ';':
		return "；"
	case '!':
		return "！"
	case '?':
		return "？"
	case '.':
		if i+1 < len(s) && s[i+1] == '.' || i > 0 && s[i-1] == '.' {
			return "…"
		}
		return "。"
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return string(r)
}

// isSpaceComma reports whether s[i] is a space or a comma that is not a
// thousands separator (a ',' between a digit and exactly three digits).
func isSpaceComma(s string, i int) bool {
	switch s[i] {
	case ' ':
		return true
	case ',':
		return !thousandsComma(s, i)
	}
	return false
}

func thousandsComma(s string, i int) bool {
	if i == 0 || !isDigit(s[i-1]) || len(s) < i+4 {
		return false
	}
	for _, c := range []byte(s[i+1 : i+4]) {
		if !isDigit(c) {
			return false
		}
	}
	return len(s) == i+4 || !isDigit(s[i+4])
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// splitWords splits s wherever sep holds, dropping empty words.
func splitWords(s string, sep func(string, int) bool) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); {
		if sep(s, i) {
			if start < i {
				out = append(out, s[start:i])
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			start = i
			continue
		}
		i++
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// Cut normalises s and returns its first word and the rest of the text,
// which keeps its own punctuation ("诺比侃 已完成预审、环评" gives "诺比侃"
// and "已完成预审、环评"). Handlers use it when the tail is free text.
func Cut(s string) (first, rest string) {
	s = Normalize(s)
	for i := 0; i < len(s); {
		if isSep(s, i) {
			first = s[:i]
			for i < len(s) && isSep(s, i) {
				_, n := utf8.DecodeRuneInString(s[i:])
				i += n
			}
			if first == "" {
				s = s[i:]
				i = 0
				continue
			}
			return first, s[i:]
		}
		i++
	}
	return s, ""
}

// Verb splits a message into its verb and the rest of the text. ASCII verbs
// are lower-cased ("Help" is "help"); known verbs must be given in lower
// case. When the first word is not one of known but starts with a known
// verb that is not plain ASCII letters ("签约诺比侃 51亿", "完成T12"), the
// longest such verb is cut off and the remainder of the word starts the
// rest. ASCII verbs are never cut out of a longer word ("shown").
func Verb(s string, known ...string) (verb, rest string) {
	first, rest := Cut(s)
	if first == "" && Normalize(s) == "?" {
		first = "?" // a separator, and the verb of help
	}
	verb = lowerASCII(first)
	best := ""
	for _, k := range known {
		if k == verb {
			return verb, rest
		}
		if strings.HasPrefix(verb, k) && len(k) > len(best) && !asciiLetters(k) {
			best = k
		}
	}
	if best == "" {
		return verb, rest
	}
	tail := first[len(best):] // the remainder keeps its case: "完成T12"
	if rest != "" {
		tail += " " + rest
	}
	return best, tail
}

func asciiLetters(s string) bool {
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}
