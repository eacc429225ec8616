package jobs

import (
	"slices"
	"strings"
	"unicode/utf8"

	"zsbot"
	"zsbot/report"
)

// Byte limits of one WeCom message: a group robot's markdown, and the app's
// messages (message/send, appchat/send).
const (
	RobotMarkdownLimit = 4096
	AppLimit           = 2048
)

// Route addresses drafts of notice n: each group whose Notices include n
// gets the draft of its scope (a bureau-wide draft serves every group; a
// park's group gets nothing when its park has no draft), a personal draft
// goes to its officer. Texts over the channel's limit are split in order.
func (n *Notice) Route(drafts []Draft, groups []*zsbot.Group) []*zsbot.Outgoing {
	var out []*zsbot.Outgoing
	for _, g := range groups {
		if !slices.Contains(g.Notices, n.Name) {
			continue
		}
		d, ok := draftFor(drafts, g.Scope)
		if !ok {
			continue
		}
		switch {
		case g.RobotKey != "":
			out = append(out, parts(n, zsbot.ChannelRobot, g.RobotKey, d, RobotMarkdownLimit)...)
		case g.ChatID != "":
			out = append(out, parts(n, zsbot.ChannelAppChat, g.ChatID, d, AppLimit)...)
		}
	}
	for _, d := range drafts {
		if d.User != "" {
			out = append(out, parts(n, zsbot.ChannelApp, d.User, d, AppLimit)...)
		}
	}
	return out
}

// draftFor picks the draft for a group of scope: its own, else a draft for
// every group.
func draftFor(drafts []Draft, scope string) (Draft, bool) {
	for _, d := range drafts {
		if d.User == "" && d.Scope != "" && report.SamePark(d.Scope, scope) {
			return d, true
		}
	}
	for _, d := range drafts {
		if d.User == "" && d.Scope == "" {
			return d, true
		}
	}
	return Draft{}, false
}

func parts(n *Notice, channel, to string, d Draft, limit int) []*zsbot.Outgoing {
	var out []*zsbot.Outgoing
	for _, text := range Split(d.Text, limit) {
		var mentions []string
		for _, u := range d.Mentions {
			if strings.Contains(text, "<@"+u+">") && !slices.Contains(mentions, u) {
				mentions = append(mentions, u)
			}
		}
		out = append(out, &zsbot.Outgoing{Channel: channel, To: []string{to}, Format: zsbot.FormatMarkdown,
			Text: text, Mentions: mentions, Tag: n.Name})
	}
	return out
}

// Split cuts text into parts of at most max bytes, in order, at line
// boundaries; a single line longer than max is cut between runes.
func Split(text string, max int) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if s := strings.TrimRight(b.String(), "\n"); s != "" {
			out = append(out, s)
		}
		b.Reset()
	}
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		for len(line) > max {
			flush()
			cut := max
			for cut > 0 && !utf8.RuneStart(line[cut]) {
				cut--
			}
			out = append(out, line[:cut])
			line = line[cut:]
		}
		if b.Len() > 0 && b.Len()+1+len(line) > max {
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(line)
	}
	flush()
	return out
}
