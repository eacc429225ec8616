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

// Thresholds of the monthly coordination.
const (
	SignedIdleDays = 90 // signed this many days ago or more, and not started
	TalkIdleDays   = 30 // in 在谈 with no follow-up for this many days
)

// Monthly is the name of 月度协调.
const Monthly = "monthly"

var monthlyNotice = &Notice{Name: Monthly, Short: "月度", Title: "月度协调", Aliases: []string{"协调", "每月"},
	Schedule: "20 9 1 * *", To: ToBureau, build: buildMonthly}

// buildMonthly renders 月度协调: open coordination items by park and age,
// projects signed more than 90 days ago and not started, and projects in
// 在谈 with no follow-up for 30 days.
func buildMonthly(ctx context.Context, s zsbot.Store, now time.Time) ([]Draft, error) {
	today := zsbot.DateOf(now)
	items, err := s.OpenItems(ctx)
	if err != nil {
		return nil, err
	}
	refs, _, err := s.Names(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(items))
	for _, it := range items {
		ids = append(ids, it.Project)
	}
	for _, ref := range refs {
		// In a Tx a live project's Stage may be blank (zsbot.Tx): read it.
		if ref.Stage == zsbot.StageSigned || ref.Stage == zsbot.StageTalking || ref.Stage == "" {
			ids = append(ids, ref.ID)
		}
	}
	projects, err := projectMap(ctx, s, ids)
	if err != nil {
		return nil, err
	}
	people, err := report.LoadPeople(ctx, s)
	if err != nil {
		return nil, err
	}
	parks, err := s.Parks(ctx)
	if err != nil {
		return nil, err
	}
	unit := report.ParkUnit(people, parks)
	park := func(p *zsbot.Project) string { return unit(p, "") }
	name := func(id string) string { return Inert(report.PersonName(people, id)) }
	var b strings.Builder
	fmt.Fprintf(&b, "**月度协调**　%s\n", today.Chinese())
	itemSection(&b, items, projects, park, today)

	var idle, quiet []*zsbot.Project
	for _, p := range projects {
		switch {
		case p.Stage == zsbot.StageSigned && p.StartedOn.IsZero() && today.DaysSince(p.SignedOn) > SignedIdleDays:
			idle = append(idle, p)
		case p.Stage == zsbot.StageTalking && today.DaysSince(lastFollowUp(p)) >= TalkIdleDays:
			quiet = append(quiet, p)
		}
	}
	sortBy(idle, func(p *zsbot.Project) zsbot.Date { return p.SignedOn })
	sortBy(quiet, lastFollowUp)
	fmt.Fprintf(&b, "**签约超过%d天未开工%d个**\n", SignedIdleDays, len(idle))
	listLines(&b, idle, "个", func(p *zsbot.Project) string {
		return fmt.Sprintf("%s %s（%s，%s签约，已%d天，%s）", p.ID, Inert(p.Name), Inert(park(p)), p.SignedOn.Chinese(), today.DaysSince(p.SignedOn), name(p.Owner))
	})
	fmt.Fprintf(&b, "**在谈项目%d天无跟进%d个**\n", TalkIdleDays, len(quiet))
	listLines(&b, quiet, "个", func(p *zsbot.Project) string {
		last := lastFollowUp(p)
		return fmt.Sprintf("%s %s（%s，最后跟进%s，已%d天，%s）", p.ID, Inert(p.Name), Inert(park(p)), last.Chinese(), today.DaysSince(last), name(p.Owner))
	})
	return []Draft{{Text: b.String()}}, nil
}

// itemSection lists open coordination items by park, oldest first.
func itemSection(b *strings.Builder, items []*zsbot.Item, projects map[string]*zsbot.Project, park func(*zsbot.Project) string, today zsbot.Date) {
	fmt.Fprintf(b, "**未解决协调事项%d项**\n", len(items))
	byPark := map[string][]*zsbot.Item{}
	var parks []string
	for _, it := range items {
		k := zsbot.NoPark
		if p := projects[it.Project]; p != nil {
			k = park(p)
		}
		if byPark[k] == nil {
			parks = append(parks, k)
		}
		byPark[k] = append(byPark[k], it)
	}
	sort.Strings(parks)
	for _, park := range parks {
		list := byPark[park]
		sortBy(list, func(it *zsbot.Item) zsbot.Date { return it.OpenedOn })
		fmt.Fprintf(b, "%s（%d项）\n", Inert(park), len(list))
		listLines(b, list, "项", func(it *zsbot.Item) string {
			name := Inert(it.Project)
			if p := projects[it.Project]; p != nil {
				name = p.ID + " " + Inert(p.Name)
			}
			return fmt.Sprintf("%s %s：%s（%s提出，已%d天）", it.ID, name, Inert(it.Text), it.OpenedOn.Short(), today.DaysSince(it.OpenedOn))
		})
	}
}

// lastFollowUp is a project's last follow-up, or its creation.
func lastFollowUp(p *zsbot.Project) zsbot.Date {
	if p.FollowedOn.IsZero() {
		return p.CreatedOn
	}
	return p.FollowedOn
}

// listLines writes up to maxListed "- " lines of list and counts the rest.
func listLines[T any](b *strings.Builder, list []T, unit string, line func(T) string) {
	for i, x := range list {
		if i == maxListed {
			fmt.Fprintf(b, "…共%d%s\n", len(list), unit)
			return
		}
		fmt.Fprintf(b, "- %s\n", line(x))
	}
}

// sortBy orders records by a date, then by ID.
func sortBy[T zsbot.Record](list []T, date func(T) zsbot.Date) {
	sort.SliceStable(list, func(i, j int) bool {
		di, dj := date(list[i]), date(list[j])
		return di < dj || di == dj && zsbot.LessID(list[i].RecordID(), list[j].RecordID())
	})
}

// projectMap reads the projects with the given IDs (repeats allowed).
func projectMap(ctx context.Context, s zsbot.Store, ids []string) (map[string]*zsbot.Project, error) {
	seen := map[string]bool{}
	uniq := ids[:0:0]
	for _, id := range ids {
		if id != "" && !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	ps, err := s.Projects(ctx, uniq)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*zsbot.Project, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}
