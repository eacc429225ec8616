package bot

import (
	"strings"

	"zsbot"
	"zsbot/wecom/limits"
)

// Parts returns the messages that carry m, in order: its text with the
// mentions rendered for its channel (Render), split by limits.Split within
// limits.Bytes of its channel and format. A robot text's mentioned_list
// goes with the last part. A text of only white space has no parts.
func Parts(m *zsbot.Outgoing) []*zsbot.Outgoing {
	if m.Format == zsbot.FormatImage { // an image is one message, never split
		p := *m
		return []*zsbot.Outgoing{&p}
	}
	text, list := Render(m)
	chunks := limits.Split(text, limits.Bytes(m.Channel, m.Format))
	parts := make([]*zsbot.Outgoing, len(chunks))
	for i, c := range chunks {
		p := *m
		p.Text, p.Mentions, p.MentionNames = c, nil, nil
		if i == len(chunks)-1 {
			p.Mentions = list
		}
		parts[i] = &p
	}
	return parts
}

// Render returns the text of m with its Mentions shown as m's channel can,
// and the userids for a robot text's mentioned_list (nil otherwise). Only
// a robot's markdown shows <@userid> as a mention: there each stays, and
// one missing from the text is added at its end. Elsewhere each <@userid>
// becomes "@name" (the userid when MentionNames lacks it), and a name
// missing from the text is added at its end, except in a robot text,
// where the mentioned_list mentions.
func Render(m *zsbot.Outgoing) (text string, mentionedList []string) {
	if len(m.Mentions) == 0 {
		return m.Text, nil
	}
	robot, markdown := m.Channel == zsbot.ChannelRobot, m.Format == zsbot.FormatMarkdown
	text = m.Text
	var missing []string
	for _, u := range m.Mentions {
		tag, shown := "<@"+u+">", "@"+mentionName(m, u)
		if robot && markdown {
			shown = tag
		}
		if !strings.Contains(text, tag) {
			missing = append(missing, shown)
			continue
		}
		text = strings.ReplaceAll(text, tag, shown)
	}
	if robot && !markdown {
		return text, m.Mentions
	}
	if len(missing) > 0 {
		text = strings.TrimRight(text, "\n") + "\n" + strings.Join(missing, " ")
	}
	return text, nil
}

// mentionName is how u is named in a mention in m.
func mentionName(m *zsbot.Outgoing, u string) string {
	if n := m.MentionNames[u]; n != "" {
		return n
	}
	return u
}
