package jobs

import (
	"strings"
	"unicode"
)

// WeCom's markdown (robots, app chats, app messages) has no reliable
// backslash escape, so officer text placed into a notice is made inert by
// replacing each active character with a full-width look-alike that reads
// the same to a person but means nothing to the renderer:
//
//	[ ]  →  ［ ］   links and images: "[点我](http://…)" cannot form "]("
//	< >  →  ＜ ＞   <font>, HTML, <@userid> and <@all> mentions, quotes ("> ")
//	@    →  ＠      "@all", "@所有人"
//	* _ ~ →  ＊ ＿ ～  bold, italic, strikethrough
//	`    →  ｀      inline code and code blocks
//	#    →  ＃      headings
//	|    →  ｜      tables
//	\ &  →  ＼ ＆   backslash escapes, HTML entities (&lt;font&gt;)
//	://  →  ：//    a bare URL the client would turn into a link
//
// and, at the start of the text only, where the text may begin a line:
//
//	leading - + =     →  － ＋ ＝   list items, setext underlines, rules
//	leading 1. or 1)  →  1． 1）    ordered list items
//
// Newlines, tabs and every other control character (and the Unicode line
// and paragraph separators) become a space, so officer text never starts a
// line of its own. Parentheses, digits and Chinese punctuation are kept.
var inertRunes = map[rune]rune{
	'[': '［', ']': '］', '<': '＜', '>': '＞', '@': '＠', '*': '＊', '_': '＿', '~': '～',
	'`': '｀', '#': '＃', '|': '｜', '\\': '＼', '&': '＆',
}

// inertLead maps the markers that are active only at the start of a line.
var inertLead = map[rune]rune{'-': '－', '+': '＋', '=': '＝', '.': '．', ')': '）'}

// Inert returns officer text (a name, a task's or an item's text, a park)
// made safe to place into WeCom markdown, per the table above. Apply it to
// each stored string before composing a notice, never to the composed
// message: the notice's own markup and mentions must stay live. Plain-text
// replies use the text as typed.
func Inert(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/2)
	lead := true // still in the leading run of spaces and digits
	digits := false
	for i, r := range s {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			r = ' '
		}
		if lead {
			switch {
			case r == ' ':
				if digits {
					lead = false
				}
			case r >= '0' && r <= '9':
				digits = true
			case (r == '.' || r == ')') && digits, (r == '-' || r == '+' || r == '=') && !digits:
				r, lead = inertLead[r], false
			default:
				lead = false
			}
		}
		if m, ok := inertRunes[r]; ok {
			r = m
		} else if r == ':' && strings.HasPrefix(s[i+1:], "//") {
			r = '：'
		}
		b.WriteRune(r)
	}
	return b.String()
}
