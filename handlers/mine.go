package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) mineVerb() *Verb {
	v := &Verb{Name: "我的", Aliases: []string{"mine", "待办"}, Access: Member,
		Usage: "我的 [任务|项目]", Example: "我的", Brief: "我的逾期和7天内到期任务、我负责的项目"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.mine(ctx, r, v) })
	return v
}

// mineDays is how far ahead 我的 looks for tasks falling due.
const mineDays = 7

// staleDays is how long a project in talks may go without a follow-up
// before 我的 points it out (the monthly coordination uses the same span).
const staleDays = 30

// mine lists the sender's open tasks that are overdue or due within seven
// days (first: they are the urgent part), then their projects by stage.
func (h *handlers) mine(ctx context.Context, r *Request, v *Verb) (string, error) {
	what := strings.Join(r.Words, "")
	if what != "" && what != "任务" && what != "项目" {
		return "", usageError(v, "「我的」后面只能写 任务 或 项目")
	}
	var parts []string
	if what != "项目" {
		ts, err := r.Tx.OpenTasks(ctx, r.From, r.Today.AddDays(mineDays))
		if err != nil {
			return "", err
		}
		parts = append(parts, h.mineTasks(ctx, r.Tx, ts, r.Today))
	}
	if what != "任务" {
		ps, err := r.Tx.OwnedProjects(ctx, r.From)
		if err != nil {
			return "", err
		}
		parts = append(parts, mineProjects(ps, r.Today))
	}
	return strings.Join(parts, "\n"), nil
}

func (h *handlers) mineTasks(ctx context.Context, st zsbot.Store, ts []*zsbot.Task, today zsbot.Date) string {
	if len(ts) == 0 {
		return fmt.Sprintf("您没有逾期或%d天内到期的任务。", mineDays)
	}
	late := 0
	ids := make([]string, 0, len(ts))
	for _, t := range ts {
		if t.Overdue(today) {
			late++
		}
		ids = append(ids, t.Project)
	}
	names := map[string]string{}
	if ps, err := st.Projects(ctx, ids); err == nil {
		for _, p := range ps {
			names[p.ID] = clip(p.Name, 12)
		}
	}
	lines := []string{fmt.Sprintf("您的任务：逾期%d项，%d天内到期%d项", late, mineDays, len(ts)-late)}
	for _, t := range ts {
		lines = append(lines, fmt.Sprintf("· %s %s（%s %s），%s到期，%s",
			t.ID, clip(t.Text, 24), t.Project, names[t.Project], t.Due.Short(), dueNote(t.Due, today)))
	}
	return list(lines, 16)
}

// mineStages are the stages 我的 lists, in pipeline order.
var mineStages = []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageStarted, zsbot.StageOperating}

func mineProjects(ps []*zsbot.Project, today zsbot.Date) string {
	if len(ps) == 0 {
		return "您名下还没有项目。登记：新项目 <名称> 企业:<企业> <金额>"
	}
	by := map[zsbot.Stage][]*zsbot.Project{}
	for _, p := range ps {
		by[p.Stage] = append(by[p.Stage], p)
	}
	var counts []string
	for _, s := range append(mineStages, zsbot.StageDropped) {
		if n := len(by[s]); n > 0 {
			counts = append(counts, fmt.Sprintf("%s%d", s, n))
		}
	}
	lines := []string{fmt.Sprintf("您负责的项目%d个：%s", len(ps), strings.Join(counts, "，"))}
	for _, s := range mineStages {
		for _, p := range by[s] {
			lines = append(lines, fmt.Sprintf("· %s %s %s%s", p.ID, clip(p.Name, 16), s, projectNote(p, today)))
		}
	}
	return list(lines, 30)
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
	}
	if p.Funds == 0 {
		return fmt.Sprintf("（%s，资金未到位）", p.Amount)
	}
	return fmt.Sprintf("（%s，到位%s）", p.Amount, p.Funds)
}
