package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"zsbot"
	"zsbot/report"
)

// The names of 逾期提醒 and 个人提醒.
const (
	Overdue  = "overdue"
	Personal = "personal"
)

var (
	overdueNotice = &Notice{Name: Overdue, Short: "逾期", Title: "逾期提醒",
		Schedule: "50 8 * * *", Working: true, To: ToEveryGroup, build: buildOverdue}
	personalNotice = &Notice{Name: Personal, Short: "个人", Title: "个人提醒",
		Schedule: "50 8 * * *", Working: true, To: ToOfficers, build: buildPersonal}
)

// DueSoonDays is how far ahead the reminders look: tasks due within this
// many days are listed beside the overdue ones.
const DueSoonDays = 3

// dueTasks is what both reminders read: open tasks due by today+3, their
// projects and the people.
type dueTasks struct {
	today    zsbot.Date
	tasks    []*zsbot.Task
	projects map[string]*zsbot.Project
	people   map[string]*zsbot.Person
	park     zsbot.Unit
}

func loadDue(ctx context.Context, s zsbot.Store, now time.Time) (*dueTasks, error) {
	d := &dueTasks{today: zsbot.DateOf(now)}
	var err error
	if d.tasks, err = s.OpenTasks(ctx, "", d.today.AddDays(DueSoonDays)); err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(d.tasks))
	for _, t := range d.tasks {
		ids = append(ids, t.Project)
	}
	if d.projects, err = projectMap(ctx, s, ids); err != nil {
		return nil, err
	}
	if d.people, err = report.LoadPeople(ctx, s); err != nil {
		return nil, err
	}
	parks, err := s.Parks(ctx)
	if err != nil {
		return nil, err
	}
	d.park = report.ParkUnit(d.people, parks)
	return d, nil
}

// buildOverdue renders 逾期提醒: for the 全区 group every overdue task and
// every task due within three days, for each park's group its own, each
// line @-mentioning the responsible officer. No tasks, no message.
func buildOverdue(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	d, err := loadDue(ctx, s, now)
	if err != nil || len(d.tasks) == 0 {
		return nil, err
	}
	byPark := map[string][]*zsbot.Task{}
	var parks []string
	for _, t := range d.tasks {
		park := d.park(d.projects[t.Project], t.Assignee)
		if byPark[park] == nil {
			parks = append(parks, park)
		}
		byPark[park] = append(byPark[park], t)
	}
	sort.Strings(parks)
	drafts := []Draft{d.draft(zsbot.ScopeAll, "全区", d.tasks)}
	for _, park := range parks {
		drafts = append(drafts, d.draft(park, park, byPark[park]))
	}
	return drafts, nil
}

func (d *dueTasks) draft(scope, label string, tasks []*zsbot.Task) Draft {
	var b strings.Builder
	fmt.Fprintf(&b, "**逾期提醒**　%s，%s\n", Inert(label), d.today.Chinese())
	mentions := d.sections(&b, tasks, true)
	names := make(map[string]string, len(mentions))
	for _, u := range mentions {
		names[u] = Inert(report.PersonName(d.people, u))
	}
	return Draft{Scope: scope, Text: b.String(), Mentions: mentions, MentionNames: names}
}

// sections writes the overdue and the due-soon lists; mention adds
// <@userid> to each line whose officer is registered and active under a
// well-formed userid, 「负责人已停用」 for a disabled one, and the officer's
// name otherwise. It returns the userids
// mentioned.
func (d *dueTasks) sections(b *strings.Builder, tasks []*zsbot.Task, mention bool) []string {
	var overdue, soon []*zsbot.Task
	for _, t := range tasks {
		if t.Overdue(d.today) {
			overdue = append(overdue, t)
		} else {
			soon = append(soon, t)
		}
	}
	var mentioned []string
	seen := map[string]bool{}
	line := func(t *zsbot.Task) string {
		name := t.Project
		if p := d.projects[t.Project]; p != nil {
			name = p.Name
		}
		s := fmt.Sprintf("%s %s：%s（%s到期，%s）", t.ID, Inert(name), Inert(t.Text), t.Due.Short(), d.when(t))
		switch who := d.people[t.Assignee]; {
		case !mention:
		case who != nil && !who.Active:
			s += " " + Inert(who.Name) + "（负责人已停用）"
		case who == nil || !zsbot.ValidUserID(t.Assignee):
			s += " " + Inert(report.PersonName(d.people, t.Assignee))
		default:
			s += " <@" + t.Assignee + ">"
			if !seen[t.Assignee] {
				seen[t.Assignee] = true
				mentioned = append(mentioned, t.Assignee)
			}
		}
		return s
	}
	fmt.Fprintf(b, "**逾期任务%d项**\n", len(overdue))
	listLines(b, overdue, "项", line)
	fmt.Fprintf(b, "**%d天内到期%d项**\n", DueSoonDays, len(soon))
	listLines(b, soon, "项", line)
	return mentioned
}

// when says how late or how near a task is.
func (d *dueTasks) when(t *zsbot.Task) string {
	switch n := d.today.DaysSince(t.Due); {
	case n > 0:
		return fmt.Sprintf("逾期%d天", n)
	case n == 0:
		return "今天到期"
	default:
		return fmt.Sprintf("还有%d天", -n)
	}
}

// buildPersonal renders 个人提醒: each active officer with overdue or
// due-soon tasks gets their own list by app message.
func buildPersonal(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	d, err := loadDue(ctx, s, now)
	if err != nil {
		return nil, err
	}
	mine := map[string][]*zsbot.Task{}
	var users []string
	for _, t := range d.tasks {
		if p := d.people[t.Assignee]; p == nil || !p.Active {
			continue
		}
		if mine[t.Assignee] == nil {
			users = append(users, t.Assignee)
		}
		mine[t.Assignee] = append(mine[t.Assignee], t)
	}
	sort.Strings(users)
	drafts := make([]Draft, 0, len(users))
	for _, u := range users {
		var b strings.Builder
		fmt.Fprintf(&b, "**个人提醒**　%s，%s\n", Inert(d.people[u].Name), d.today.Chinese())
		d.sections(&b, mine[u], false)
		b.WriteString("完成后请发送：完成 任务编号（如 完成 " + mine[u][0].ID + "）\n")
		drafts = append(drafts, Draft{User: u, Text: b.String()})
	}
	return drafts, nil
}
