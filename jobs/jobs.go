// Package jobs builds the bureau's scheduled notices — 半月通报, 月度协调,
// 季度考核, 逾期提醒 and 个人提醒 — and runs them on their cron schedules,
// each occurrence exactly once across instances (a Redis claim) and once
// more after a restart if it was missed that day (补发). A notice is a pure
// function of the store and a time: it reads the records, renders WeCom
// markdown with the figures of zsbot.Compute, and returns the messages; the
// scheduler claims the occurrence and queues them in the durable outbox.
// Each notice is a Notice value in the registry (Notices): its names,
// default schedule, working-days flag, routing and builder. The figures and
// their wording come from package report.
package jobs

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"time"

	"zsbot"
	"zsbot/report"
)

// Notice is one scheduled bulletin, described whole: what it is called,
// when it runs, where it goes and how it is built. Adding a notice is one
// file (its builder and its Notice) and one line in notices.
type Notice struct {
	Name     string   // half-monthly: ZSBOT_SCHEDULE_HALF_MONTHLY, `zsbot notice half-monthly`, Group.Notices
	Short    string   // 半月: what officers type after 通报 and 群 添加
	Title    string   // 半月通报: the notice's heading
	Aliases  []string // more words officers type for it: 协调, 考核
	Schedule string   // default cron spec, in the bureau's zone (ZSBOT_TZ)
	Working  bool     // sent on working days only (holiday calendar)
	To       Routing  // where it goes
	build    func(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error)
	chart    chartFunc    // the PNG that follows the text (charts.go); nil for none
	charts   Charts       // draws it (WithCharts); nil: the text goes alone
	log      *slog.Logger // where a chart's failure is told
}

// Routing says where a notice goes and which groups take it by default.
type Routing int

const (
	// ToBureau goes to the groups that take it; a new 全区 group does.
	ToBureau Routing = iota
	// ToEveryGroup goes to the groups that take it; every new group does,
	// each getting its own park's draft.
	ToEveryGroup
	// ToOfficers goes to each officer by app message; no group takes it.
	ToOfficers
)

// Draft is a notice's text for one audience, before routing.
type Draft struct {
	Scope        string            // "" for every group; zsbot.ScopeAll or a park for that group only
	User         string            // a personal notice's officer (app message)
	Text         string            // WeCom markdown
	Mentions     []string          // userids @-mentioned in Text as <@userid>
	MentionNames map[string]string // their names by userid, inert, for channels that show "@name"
}

// notices is the registry, in schedule order; each Notice is declared in
// its builder's file.
var notices = []*Notice{halfMonthlyNotice, monthlyNotice, quarterlyNotice, overdueNotice, personalNotice}

// Notices returns every notice, in schedule order.
func Notices() []*Notice { return notices }

// Lookup returns the notice named name (see Notice.Is), or nil.
func Lookup(name string) *Notice {
	for _, n := range notices {
		if n.Is(name) {
			return n
		}
	}
	return nil
}

// Is reports whether word names the notice: its English name (any case, _
// for -), short name, title or an alias.
func (n *Notice) Is(word string) bool {
	w := strings.ToLower(strings.TrimSpace(word))
	return w == n.Name || strings.ReplaceAll(w, "_", "-") == n.Name || w == n.Short || w == n.Title || slices.Contains(n.Aliases, w)
}

// Names returns the notice's English name, short name and title.
func (n *Notice) Names() (name, short, title string) { return n.Name, n.Short, n.Title }

// ForGroups reports whether groups can take the notice.
func (n *Notice) ForGroups() bool { return n.To != ToOfficers }

// Default reports whether a new group of scope takes the notice when it
// names none: every group notice for a 全区 group, the ToEveryGroup ones
// (逾期提醒) for a park's group.
func (n *Notice) Default(scope string) bool {
	return n.To == ToEveryGroup || n.To == ToBureau && scope == zsbot.ScopeAll
}

// DefaultNotices are the names of the notices a new group of scope takes.
func DefaultNotices(scope string) []string {
	var names []string
	for _, n := range notices {
		if n.Default(scope) {
			names = append(names, n.Name)
		}
	}
	return names
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
	return n.withChart(ctx, s, now, n.Route(drafts, groups)), nil
}

// Preview renders the notice as of now as a leader sees it for 通报 预览
// (see the function Preview).
func (n *Notice) Preview(ctx context.Context, s zsbot.Store, now time.Time) (string, error) {
	drafts, err := n.Drafts(ctx, s, now)
	if err != nil {
		return "", err
	}
	return Preview(drafts), nil
}

// Preview is the text a leader sees for 通报 预览, a text reply: the
// bureau-wide draft, or every draft when there is none (personal
// reminders), as plain text (PlainText).
func Preview(drafts []Draft) string {
	var texts []string
	for _, d := range drafts {
		if d.Scope == "" || d.Scope == zsbot.ScopeAll {
			texts = append(texts, PlainText(d))
		}
	}
	if len(texts) == 0 {
		for _, d := range drafts {
			texts = append(texts, PlainText(d))
		}
	}
	return strings.Join(texts, "\n\n———\n\n")
}

// PlainText is draft d as plain text, for a text reply or a text message:
// its markdown rendered by report.Plain, each mention as "@name".
func PlainText(d Draft) string {
	text := report.Plain(strings.TrimRight(d.Text, "\n"))
	for _, u := range d.Mentions {
		name := d.MentionNames[u]
		if name == "" {
			name = u
		}
		text = strings.ReplaceAll(text, "<@"+u+">", "@"+name)
	}
	return text
}
