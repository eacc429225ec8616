package limits

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split cuts text into the parts that carry it, in order, each at most
// limit bytes (limit is raised to utf8.UTFMax if lower) and none empty or
// only white space, which WeCom refuses (44004). It cuts at line breaks,
// packing as many whole lines into a part as fit; a line longer than limit
// is cut between runes. Each part is a piece of text as it stands: what
// lies between two parts, before the first and after the last is only
// white space (the line break at a cut, and blank lines there, which a part
// never starts or ends with). A text of only white space has no parts.
func Split(text string, limit int) []string {
	limit = max(limit, utf8.UTFMax)
	var parts []string
	start, end := -1, -1 // the part being filled is text[start:end]
	flush := func() {
		if start >= 0 {
			parts = append(parts, text[start:end])
		}
		start, end = -1, -1
	}
	for pos := 0; pos < len(text); {
		le := strings.IndexByte(text[pos:], '\n')
		if le < 0 {
			le = len(text)
		} else {
			le += pos
		}
		ls := pos
		pos = le + 1
		switch {
		case Blank(text[ls:le]):
			// joins a part only between two lines of it
		case start >= 0 && le-start <= limit:
			end = le
		case le-ls <= limit:
			flush()
			start, end = ls, le
		default:
			flush()
			ls = cutLine(text, ls, le, limit, &parts)
			if !Blank(text[ls:le]) {
				start, end = ls, le
			}
		}
	}
	flush()
	return parts
}

// cutLine appends to parts the pieces of the line text[ls:le], each limit
// bytes at most and cut between runes, but the last, whose start it
// returns so that the following lines may join it. Pieces of only white
// space are left out.
func cutLine(text string, ls, le, limit int, parts *[]string) int {
	for le-ls > limit {
		cut := ls + limit
		for cut > ls && !utf8.RuneStart(text[cut]) {
			cut--
		}
		if piece := text[ls:cut]; !Blank(piece) {
			*parts = append(*parts, piece)
		}
		ls = cut
	}
	return ls
}

// Blank reports whether text is empty or only white space: content WeCom
// refuses, and a text Split gives no parts.
func Blank(text string) bool { return strings.TrimFunc(text, unicode.IsSpace) == "" }
