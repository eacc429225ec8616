package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) mineVerb() *Verb {
	v := &Verb{Name: "我的", Aliases: []string{"mine", "待办"}, Access: Member,
		Usage: "我的 [任务|项目] [第N页]", Example: "我的", Brief: "我的逾期和7天内到期任务、我负责的项目"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.mine(ctx, r, v) })
	return v
}

// mineDays is how far ahead 我的 looks for tasks falling due.
const mineDays = 7

// staleDays is how long a project in talks may go without a follow-up
// before 我的 points it out (the monthly coordination uses the same span).
const staleDays = 30

// How many tasks and projects a page of 我的 lists: both parts of a bare
// 我的 fit one WeCom reply together. Each part's first line says how many
// there are and how to see the rest.
const (
	mineTaskPage    = 5
	mineProjectPage = 8
)

// mine lists the sender's open tasks that are overdue or due within seven
// days (first: they are the urgent part), then their projects by stage,
// every one of them counted and, a page at a time, listed.
func (h *handlers) mine(ctx context.Context, r *Request, v *Verb) (string, error) {
	words, page, err := pageArg(r.Words)
	if err != nil {
		return "", err
	}
	what := strings.Join(words, "")
	if what != "" && what != "任务" && what != "项目" {
		return "", usageError(v, "「我的」后面只能写 任务 或 项目（可加 第2页）")
	}
	if page > 1 && what == "" {
		return "", usageError(v, "翻页请写明 任务 或 项目，例如：我的 项目 第2页")
	}
	var parts []string
	if what != "项目" {
		// The page's tasks alone are read; the others are counted.
		tp, err := r.Tx.OpenTasksPage(ctx, r.From, r.Today.AddDays(mineDays), r.Today, (page-1)*mineTaskPage, page*mineTaskPage)
		if err != nil {
			return "", err
		}
		part, err := h.mineTasks(ctx, r.Tx, tp, r.Today, page)
		if err != nil {
			return "", err
		}
		parts = append(parts, part)
	}
	if what != "任务" {
		// The page's projects alone are read; the others are counted.
		o, err := r.Tx.OwnedPage(ctx, r.From, mineStages, (page-1)*mineProjectPage, page*mineProjectPage)
		if err != nil {
			return "", err
		}
		part, err := mineProjects(o, r.Today, page)
		if err != nil {
			return "", err
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, "\n"), nil
}

// pageOf returns the bounds of page (from 1) of n items, size a page, and
// the note for the part's first line: which are shown and how to see the
// rest ("" when all fit one page). A page past the end is refused.
func pageOf(n, size, page int, what string) (from, to int, note string, err error) {
	pages := max(1, (n+size-1)/size)
	if page > pages {
		return 0, 0, "", zsbot.Errorf(zsbot.EINVALID, "您的%s共%d个，只有%d页。例如：我的 %s 第%d页", what, n, pages, what, pages)
	}
	from, to = (page-1)*size, min(page*size, n)
	if pages == 1 {
		return from, to, "", nil
	}
	note = fmt.Sprintf("（第%d/%d页，列出第%d-%d个", page, pages, from+1, to)
	if to == from+1 {
		note = fmt.Sprintf("（第%d/%d页，列出第%d个", page, pages, to)
	}
	if page < pages {
		note += fmt.Sprintf("；其余：我的 %s 第%d页", what, page+1)
	}
	return from, to, note + "）", nil
}

// mineTasks words tp, the page of the sender's open tasks due within
// mineDays, with their projects' names.
func (h *handlers) mineTasks(ctx context.Context, st zsbot.Store, tp *zsbot.TaskPage, today zsbot.Date, page int) (string, error) {
	if tp.Total == 0 {
		return fmt.Sprintf("您没有逾期或%d天内到期的任务。", mineDays), nil
	}
	_, _, note, err := pageOf(tp.Total, mineTaskPage, page, "任务")
	if err != nil {
		return "", err
	}
	ids := make([]string, 0, len(tp.Tasks))
	for _, t := range tp.Tasks {
		ids = append(ids, t.Project)
	}
	names := map[string]string{}
	if ps, err := st.Projects(ctx, ids); err == nil {
		for _, p := range ps {
			names[p.ID] = clip(p.Name, 12)
		}
	}
	lines := []string{fmt.Sprintf("您的任务%d项：逾期%d项，%d天内到期%d项%s", tp.Total, tp.Late, mineDays, tp.Total-tp.Late, note)}
	for _, t := range tp.Tasks {
		lines = append(lines, fmt.Sprintf("· %s %s（%s %s），%s到期，%s",
			t.ID, clip(t.Text, 24), t.Project, names[t.Project], t.Due.Short(), dueNote(t.Due, today)))
	}
	return strings.Join(lines, "\n"), nil
}

// mineStages are the stages 我的 lists, in pipeline order, 终止 last.
var mineStages = []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageStarted, zsbot.StageOperating, zsbot.StageDropped}

// mineProjects words o, the page of the sender's projects listed stage by
// stage in the order of mineStages.
func mineProjects(o *zsbot.Owned, today zsbot.Date, page int) (string, error) {
	if o.Total == 0 {
		return "您名下还没有项目。登记：新项目 <名称> 企业:<企业> <金额>", nil
	}
	_, _, note, err := pageOf(o.Total, mineProjectPage, page, "项目")
	if err != nil {
		return "", err
	}
	var counts []string
	for i, s := range mineStages {
		if n := o.ByStage[i]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s%d", s, n))
		}
	}
	lines := []string{fmt.Sprintf("您负责的项目%d个：%s%s", o.Total, strings.Join(counts, "，"), note)}
	for _, p := range o.Projects {
		lines = append(lines, fmt.Sprintf("· %s %s %s%s", p.ID, clip(p.Name, 16), p.Stage, projectNote(p, today)))
	}
	return strings.Join(lines, "\n"), nil
}

// projectNote is the one fact worth seeing next to a project in a list.
func projectNote(p *zsbot.Project, today zsbot.Date) string {
	switch p.Stage {
	case zsbot.StageTalking:
		note := ""
		if p.Planned > 0 {
			note = "计划" + p.Planned.String() + "，"
		}
		if n := today.DaysSince(p.FollowedOn); n >= staleDays {
			return "（" + note + fmt.Sprintf("%d天未跟进）", n)
		}
		return "（" + note + p.FollowedOn.Short() + "跟进）"
	case zsbot.StageSigned:
		return fmt.Sprintf("（%s，%s签约）", p.Amount, p.SignedOn.Short())
	case zsbot.StageDropped:
		return fmt.Sprintf("（%s终止）", p.DroppedOn.Short())
	}
	if p.Funds == 0 {
		return fmt.Sprintf("（%s，资金未到位）", p.Amount)
	}
	return fmt.Sprintf("（%s，到位%s）", p.Amount, p.Funds)
}
