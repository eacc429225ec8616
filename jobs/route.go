package jobs

import (
	"slices"
	"strings"

	"zsbot"
	"zsbot/report"
)

// Route addresses drafts of notice n: each group whose Notices include n
// gets the draft of its scope (a bureau-wide draft serves every group; a
// park's group gets nothing when its park has no draft), a personal draft
// goes to its officer. Each is one message however long: the outbox splits
// it within WeCom's limits and shows its mentions as the channel can.
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
			out = append(out, message(n, zsbot.ChannelRobot, g.RobotKey, d))
		case g.ChatID != "":
			out = append(out, message(n, zsbot.ChannelAppChat, g.ChatID, d))
		}
	}
	for _, d := range drafts {
		if d.User != "" {
			out = append(out, message(n, zsbot.ChannelApp, d.User, d))
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

// message is draft d of notice n to one destination.
func message(n *Notice, channel, to string, d Draft) *zsbot.Outgoing {
	return &zsbot.Outgoing{Channel: channel, To: []string{to}, Format: zsbot.FormatMarkdown,
		Text: strings.TrimRight(d.Text, "\n"), Mentions: d.Mentions, MentionNames: d.MentionNames, Tag: n.Name}
}
