// Package jobs builds the bureau's scheduled notices — 半月通报, 月度协调,
// 季度考核, 逾期提醒 and 个人提醒 — and runs them on their cron schedules,
// each occurrence exactly once across instances (a Redis claim) and once
// more after a restart if it was missed that day (补发). A notice is a pure
// function of the store and a time: it reads the records, renders WeCom
// markdown with the figures of zsbot.Compute, and returns the messages; the
// scheduler claims the occurrence and queues them in the durable outbox.
// The package also writes the Excel export, from the same figures.
package jobs

import (
	"context"
	"strings"
	"time"

	"zsbot"
)

// The notices' names, as in ZSBOT_SCHEDULE_<NAME>, `zsbot notice NAME` and
// Group.Notices.
const (
	HalfMonthly = "half-monthly"
	Monthly     = "monthly"
	Quarterly   = "quarterly"
	Overdue     = "overdue"
	Personal    = "personal"
)

// Notice is one scheduled bulletin.
type Notice struct {
	Name    string   // half-monthly
	Title   string   // 半月通报
	Aliases []string // what users type: 半月, 半月通报
	Working bool     // sent on working days only (holiday calendar)
	build   func(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error)
}

// Draft is a notice's text for one audience, before routing.
type Draft struct {
	Scope        string            // "" for every group; zsbot.ScopeAll or a park for that group only
	User         string            // a personal notice's officer (app message)
	Text         string            // WeCom markdown
	Mentions     []string          // userids @-mentioned in Text as <@userid>
	MentionNames map[string]string // their names by userid, inert, for channels that show "@name"
}

var notices = []*Notice{
	{Name: HalfMonthly, Title: "半月通报", Aliases: []string{"半月", "半月通报"}, build: buildHalfMonthly},
	{Name: Monthly, Title: "月度协调", Aliases: []string{"月度", "月度协调", "协调", "每月"}, build: buildMonthly},
	{Name: Quarterly, Title: "季度考核", Aliases: []string{"季度", "季度考核", "考核"}, build: buildQuarterly},
	{Name: Overdue, Title: "逾期提醒", Aliases: []string{"逾期", "逾期提醒"}, Working: true, build: buildOverdue},
	{Name: Personal, Title: "个人提醒", Aliases: []string{"个人", "个人提醒"}, Working: true, build: buildPersonal},
}

// Notices returns every notice, in schedule order.
func Notices() []*Notice { return notices }

// Lookup returns the notice named name (English name, Chinese title or a
// short alias such as 半月), or nil.
func Lookup(name string) *Notice {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, n := range notices {
		if name == n.Name || name == n.Title || strings.ReplaceAll(name, "_", "-") == n.Name {
			return n
		}
		for _, a := range n.Aliases {
			if name == a {
				return n
			}
		}
	}
	return nil
}

// DefaultNotices are the notices a new group takes: every bureau-level
// notice for a 全区 group, the overdue alert for a park's group.
func DefaultNotices(scope string) []string {
	if scope == zsbot.ScopeAll {
		return []string{HalfMonthly, Monthly, Quarterly, Overdue}
	}
	return []string{Overdue}
}

// Drafts renders the notice as of now (in the bureau's zone).
func (n *Notice) Drafts(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	return n.build(ctx, s, now)
}

// Messages renders the notice as of now and routes it: to each group that
// takes it (a robot webhook or an app group chat) and, for the personal
// notice, to each officer by app message; long texts are split in order.
// late marks a catch-up (补发) in the title.
func (n *Notice) Messages(ctx context.Context, s zsbot.Store, now time.Time, late bool) ([]*zsbot.Outgoing, error) {
	drafts, err := n.Drafts(ctx, s, now)
	if err != nil {
		return nil, err
	}
	groups, err := s.Groups(ctx)
	if err != nil {
		return nil, err
	}
	if late {
		for i := range drafts {
			drafts[i].Text = strings.Replace(drafts[i].Text, "**"+n.Title+"**", "**"+n.Title+"（补发）**", 1)
		}
	}
	return n.Route(drafts, groups), nil
}

// Preview is the text a leader sees for 通报 预览: the bureau-wide draft,
// or every draft when there is none (personal reminders).
func Preview(drafts []Draft) string {
	var texts []string
	for _, d := range drafts {
		if d.Scope == "" || d.Scope == zsbot.ScopeAll {
			texts = append(texts, strings.TrimRight(d.Text, "\n"))
		}
	}
	if len(texts) == 0 {
		for _, d := range drafts {
			texts = append(texts, strings.TrimRight(d.Text, "\n"))
		}
	}
	return strings.Join(texts, "\n\n———\n\n")
}
