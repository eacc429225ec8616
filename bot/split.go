package bot

import (
	"strings"
	"unicode/utf8"

	"zsbot"
)

// WeCom's size limits of one message's content, in bytes of UTF-8.
const (
	LimitText          = 2048 // text, every channel
	LimitRobotMarkdown = 4096 // markdown through a group robot
	LimitAppMarkdown   = 2048 // markdown as an app or app-chat message
)

// Limit returns the largest content WeCom takes for m's channel and format.
func Limit(m *zsbot.Outgoing) int {
	if m.Format == zsbot.FormatMarkdown && m.Channel == zsbot.ChannelRobot {
		return LimitRobotMarkdown
	}
	if m.Format == zsbot.FormatMarkdown {
		return LimitAppMarkdown
	}
	return LimitText
}

// Parts splits m into the messages that carry it, in order, each within
// Limit(m), cut at line boundaries (a single line longer than the limit is
// cut between characters). Mentions go with the last part: as the
// mentioned_list of a robot text; in a robot markdown, those not already in
// the text as <@userid> are added at its end.
func Parts(m *zsbot.Outgoing) []*zsbot.Outgoing {
	text := m.Text
	if m.Channel == zsbot.ChannelRobot && m.Format == zsbot.FormatMarkdown {
		var tags []string
		for _, u := range m.Mentions {
			if tag := "<@" + u + ">"; !strings.Contains(text, tag) {
				tags = append(tags, tag)
			}
		}
		if len(tags) > 0 {
			text += "\n" + strings.Join(tags, " ")
		}
	}
	chunks := SplitLines(text, Limit(m))
	parts := make([]*zsbot.Outgoing, len(chunks))
	for i, c := range chunks {
		p := *m
		p.Text, p.Mentions = c, nil
		if i == len(chunks)-1 && m.Format == zsbot.FormatText {
			p.Mentions = m.Mentions
		}
		parts[i] = &p
	}
	return parts
}

// SplitLines cuts text into pieces of at most limit bytes, at line breaks
// where it can and between UTF-8 characters where a line is longer than
// limit. Joining the pieces with line breaks gives text back, except
// that a line cut in the middle loses nothing and gains a break.
func SplitLines(text string, limit int) []string {
	if len(text) <= limit {
		return []string{text}
	}
	var (
		parts []string
		cur   strings.Builder
		open  bool // cur holds at least one line, maybe empty
	)
	flush := func() {
		if open {
			parts = append(parts, cur.String())
			cur.Reset()
			open = false
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if open && cur.Len()+1+len(line) > limit {
			flush()
		}
		for len(line) > limit {
			cut := limit
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			if cut == 0 { // limit smaller than one character
				cut = limit
			}
			parts = append(parts, line[:cut])
			line = line[cut:]
		}
		if open {
			cur.WriteByte('\n')
		}
		cur.WriteString(line)
		open = true
	}
	flush()
	return parts
}
