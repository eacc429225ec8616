package handlers

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"zsbot/wecom/limits"
)

// MaxReply is WeCom's limit for a reply, a text message to one person, in
// bytes.
const MaxReply = limits.AppText

// Fit cuts a reply to MaxReply bytes at a line boundary, ending with
// "…共N条" (N being the number of lines of the full reply after the first).
func Fit(s string) string {
	if len(s) <= MaxReply {
		return s
	}
	lines := strings.Split(s, "\n")
	tail := fmt.Sprintf("…共%d条", len(lines)-1)
	var b strings.Builder
	for i, l := range lines {
		if b.Len()+len(l)+1+len(tail) > MaxReply {
			if i == 0 { // one huge line: cut it at a rune boundary
				b.WriteString(clipBytes(l, MaxReply-len(tail)-1))
				b.WriteByte('\n')
			}
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String() + tail
}

// clipBytes cuts s to at most n bytes without splitting a rune.
func clipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clip shortens s to n runes with an ellipsis, for echoing user input.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// list renders numbered lines, cut to max lines with "…共N条".
func list(lines []string, max int) string {
	var b strings.Builder
	for i, l := range lines {
		if i == max {
			fmt.Fprintf(&b, "…共%d条\n", len(lines))
			break
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}
