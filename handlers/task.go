package handlers

import (
	"context"
	"fmt"
	"strconv"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) taskVerb() *Verb {
	v := &Verb{Name: "任务", Subject: zsbot.KindProject, Aliases: []string{"task", "任务书"}, Access: Officer, Creates: zsbot.KindTask,
		Usage:   "任务 <项目> <内容> <截止日期> [@负责人]（负责人默认自己）",
		Example: "任务 诺比侃 完成土地摘牌 12月15日 @张三", Brief: "给项目布置任务（任务书），到期提醒"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.task(ctx, r, v) })
	return v
}

// task adds a line to a project's 任务书: the text, a deadline (a day
// without a year is the next such day, today included) and the responsible
// officer, named by @userid or @姓名 (the sender when not given).
func (h *handlers) task(ctx context.Context, r *Request, v *Verb) (string, error) {
	people, err := r.Tx.People(ctx)
	if err != nil {
		return "", err
	}
	e := &extras{dates: true, deadline: true, mentions: true, keys: []string{"负责人", "截止", "截止日期"}, people: map[string]bool{}}
	for _, p := range people {
		e.people[p.Name] = p.Active
	}
	f := splitFree(r.Args, e.take)
	if f.name == "" {
		return "", usageError(v, "请写明项目、任务内容和截止日期")
	}
	if err := e.oneDate(); err != nil {
		return "", err
	}
	if f.slip != nil {
		return "", f.slip
	}
	dw := firstOf(e.date, firstOf(e.opts["截止"], e.opts["截止日期"]))
	if dw == "" {
		dw, f.text = gluedDeadline(f.text)
	}
	if err := needText(v, f, "任务内容", 200); err != nil {
		return "", err
	}
	if dw == "" {
		return "", usageError(v, "请写明截止日期")
	}
	due, err := parse.ParseDate(e.dateWord(dw), r.Today, parse.Future)
	if err != nil {
		return "", err
	}
	who := r.Sender
	if m := firstOf(e.mention, e.opts["负责人"]); m != "" {
		if who, err = h.findPerson(ctx, r.Tx, m); err != nil {
			return "", err
		}
	}
	p, err := h.findProject(ctx, r.Tx, f.name)
	if err != nil {
		return "", err
	}
	if err := h.mayWriteProject(ctx, r, p, "给项目布置任务"); err != nil {
		return "", err
	}
	if p.Stage == zsbot.StageDropped {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能再布置任务。", p.ID, p.Name)
	}
	id, err := r.Tx.NextID(ctx, zsbot.KindTask)
	if err != nil {
		return "", err
	}
	t := &zsbot.Task{ID: id, Project: p.ID, Text: f.text, Due: due, Assignee: who.UserID, CreatedOn: r.Today, By: r.From}
	c := r.change("任务 "+id, p.ID)
	c.Add(nil, t)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已登记任务 %s：%s %s「%s」，负责人%s，%s前完成（%s%s）。\n完成后发送「完成 %s」；%s",
		id, p.ID, clip(p.Name, 20), clip(t.Text, 40), who.Name, due.Chinese(), dueNote(due, r.Today), nextYearNote(dw, due, r.Today), id, undoHint), nil
}

// nextYearNote points out a yearless deadline that fell into next year
// because this year's day has passed ("12月15日" typed on 23 December).
func nextYearNote(word string, due, today zsbot.Date) string {
	past, err := parse.ParseDate(word, today, parse.Past)
	if err != nil || past == due || due.DaysSince(today) <= 300 {
		return ""
	}
	return fmt.Sprintf("；今年的%s已过，按%d年计，如有误请撤销后写明年份", past.Short(), due.Year())
}

// dueNote says how far a deadline is.
func dueNote(due, today zsbot.Date) string {
	switch n := due.DaysSince(today); {
	case n < 0:
		return fmt.Sprintf("已逾期%d天", -n)
	case n == 0:
		return "今天到期"
	default:
		return fmt.Sprintf("还有%d天", n)
	}
}

func (h *handlers) doneVerb() *Verb {
	v := &Verb{Name: "完成", Subject: zsbot.KindTask, Aliases: []string{"done", "办结"}, Access: Officer,
		Usage: "完成 <任务编号> [日期]，或 完成 <项目> [任务内容]", Example: "完成 T12",
		Brief: "关闭一项任务"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.done(ctx, r, v) })
	return v
}

// tasks is how 完成 finds a task.
func (h *handlers) tasks(st zsbot.Store) closing[*zsbot.Task] {
	return closing[*zsbot.Task]{prefix: 'T', what: "任务", st: st, get: st.Task, list: st.ProjectTasks,
		ref: func(t *zsbot.Task) openRef { return openRef{t.ID, t.Text, t.DoneOn.IsZero()} }}
}

// done closes a task, on today's date unless another (past) day is given.
func (h *handlers) done(ctx context.Context, r *Request, v *Verb) (string, error) {
	if n, err := strconv.Atoi(firstOnly(r)); err == nil && n > 0 {
		// "完成 5": the task T5, once the officer confirms.
		id := fmt.Sprintf("T%d", n)
		return holdPick(ctx, r.Tx, r.From, &zsbot.Pick{Raw: v.Name + " " + r.Words[0], Word: r.Words[0], IDs: []string{id}},
			fmt.Sprintf("是指 %s 吗？回复 1 确认（10分钟内有效）。", id))
	}
	e := &extras{dates: true}
	f := splitFree(r.Args, e.take)
	if f.name == "" {
		return "", usageError(v, "请写明任务编号")
	}
	if err := oneID(v, f); err != nil {
		return "", err
	}
	d, err := textDate(r, e)
	if err != nil {
		return "", err
	}
	hint := f.text
	if _, _, ok := parse.ParseID(f.name); ok && !isProjectID(f.name) {
		hint = "" // after a task's ID, the text is only a remark
	}
	t, err := h.tasks(r.Tx).find(ctx, h, v, f.name, hint)
	if err != nil {
		return "", err
	}
	if err := h.mayCloseTask(ctx, r, t); err != nil {
		return "", err
	}
	if !t.DoneOn.IsZero() {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "任务 %s 已于%s完成。", t.ID, t.DoneOn.Chinese())
	}
	after := *t
	after.DoneOn = d
	ch := r.change("完成 "+t.ID, t.Project)
	ch.Add(t, &after)
	if _, err := r.Tx.Apply(ctx, ch); err != nil {
		return "", err
	}
	late := "按期完成"
	if n := d.DaysSince(t.Due); n > 0 {
		late = fmt.Sprintf("逾期%d天完成", n)
	}
	return fmt.Sprintf("已完成任务 %s「%s」（%s），%s，%s。\n%s", t.ID, clip(t.Text, 40), t.Project, d.Chinese(), late, undoHint), nil
}

// firstOnly returns the request's one word, or "" when it has more.
func firstOnly(r *Request) string {
	if len(r.Words) != 1 || len(r.Opts) > 0 {
		return ""
	}
	return r.Words[0]
}
