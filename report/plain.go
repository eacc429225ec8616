package report

import (
	"regexp"
	"strings"
)

// The notices are written in the subset of WeCom markdown that robots and
// app markdown messages render. Where a notice is shown as text instead —
// a text reply (通报 预览), an app text message — Plain renders it for the
// eye, so a phone never shows the markup itself.

var (
	fontTag  = regexp.MustCompile(`<font color="[a-z]+">([^<]*)</font>`)
	bold     = regexp.MustCompile(`\*\*([^*\n]+)\*\*`)
	boldLead = regexp.MustCompile(`^\*\*([^*\n]+)\*\*`)
)

// Plain returns the notice markdown md as plain text: a coloured word
// (<font color="warning">滞后</font>) as 「【滞后】」, a line's leading bold
// heading as 【heading】, other bold as its text, quote markers (">") and
// list dashes ("- ") as nothing and "· ". Text placed into a notice was made
// inert (full-width look-alikes) and reads as typed; mentions (<@userid>)
// are left for the caller, who knows the names.
func Plain(md string) string {
	lines := strings.Split(md, "\n")
	for i, l := range lines {
		switch {
		case strings.HasPrefix(l, "> "):
			l = l[2:]
		case strings.HasPrefix(l, ">"):
			l = l[1:]
		}
		if rest, ok := strings.CutPrefix(l, "- "); ok {
			l = "· " + rest
		}
		l = fontTag.ReplaceAllString(l, "【$1】")
		l = boldLead.ReplaceAllString(l, "【$1】")
		lines[i] = bold.ReplaceAllString(l, "$1")
	}
	return strings.Join(lines, "\n")
}
