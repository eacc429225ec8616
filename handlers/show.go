package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) showVerb() *Verb {
	v := &Verb{Name: "查", Subject: zsbot.KindProject, Aliases: []string{"show", "查看", "查询"}, Access: Member,
		Usage: "查 <项目、企业或编号>", Example: "查 诺比侃", Brief: "项目卡片：阶段、金额、活动、任务、协调事项；也可查企业和任一编号"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.show(ctx, r, v) })
	return v
}

func (h *handlers) show(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) > 0 {
		if kind, _, ok := parse.ParseID(r.Words[0]); ok && kind != 'P' {
			return h.showID(ctx, r, kind, r.Words[0])
		}
	}
	p, err := h.projectArg(ctx, r, v)
	amb, several := err.(*ambiguous)
	if several || zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		// A company's name that names no project, or several projects all
		// of that company: its company card.
		var ids []string
		if several {
			ids = amb.ids
		}
		if reply, ok, cerr := h.showCompany(ctx, r, strings.Join(r.Words, " "), ids); cerr != nil || ok {
			return reply, cerr
		}
	}
	if err != nil {
		return "", err
	}
	// A company's exact name wins over a part of another company's
	// project's name: 查 中冶赛迪 is the company even when the project
	// 中冶赛迪数字城市基地 belongs to another.
	if id, err := h.exactOtherCompany(ctx, r, strings.Join(r.Words, " "), p); err != nil || id != "" {
		if err != nil {
			return "", err
		}
		co, err := r.Tx.Company(ctx, id)
		if err != nil {
			return "", err
		}
		return h.companyCard(ctx, r.Tx, co)
	}
	return h.card(ctx, r.Tx, p, r.Today)
}

// exactOtherCompany returns the company word names exactly (by name, short
// name or match key) when that is not p's company and word is not p's ID,
// name or key; "" otherwise.
func (h *handlers) exactOtherCompany(ctx context.Context, r *Request, word string, p *zsbot.Project) (string, error) {
	if _, _, ok := parse.ParseID(word); ok {
		return "", nil
	}
	n, err := h.names(ctx, r.Tx)
	if err != nil {
		return "", err
	}
	if len(n.projectByName.at(word)) > 0 || len(n.projectByKey.at(parse.NameKey(word))) > 0 {
		return "", nil
	}
	if id := n.onlyCompanyNamed(word); id != p.Company {
		return id, nil
	}
	return "", nil
}

// card renders a project's card: stage, amounts, owner, the last five
// activities, open tasks and open coordination items.
func (h *handlers) card(ctx context.Context, st zsbot.Store, p *zsbot.Project, today zsbot.Date) (string, error) {
	acts, err := st.ProjectActivities(ctx, p.ID, 5)
	if err != nil {
		return "", err
	}
	tasks, err := st.ProjectOpenTasks(ctx, p.ID)
	if err != nil {
		return "", err
	}
	items, err := st.ProjectOpenItems(ctx, p.ID)
	if err != nil {
		return "", err
	}
	company := ""
	if p.Company != "" {
		if co, err := st.Company(ctx, p.Company); err == nil {
			company = co.Name
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", p.ID, p.Name)
	fmt.Fprintf(&b, "阶段：%s%s", p.Stage, stageDates(p))
	where := "市外"
	if !p.OutOfCity {
		where = "市内"
	}
	fmt.Fprintf(&b, "\n企业：%s｜%s｜产业：%s｜园区：%s｜负责人：%s", orDash(company), where, orDash(p.Industry), orDash(p.Park), h.personName(ctx, st, p.Owner))
	if p.Planned > 0 {
		fmt.Fprintf(&b, "\n计划投资：%s", p.Planned)
	}
	if p.Amount > 0 {
		fmt.Fprintf(&b, "\n协议引资：%s", p.Amount)
		if p.Amount != p.Signed {
			fmt.Fprintf(&b, "（签约%s，增资%s）", p.Signed, p.Amount-p.Signed)
		}
		if p.Funds > 0 {
			fmt.Fprintf(&b, "｜到位：%s", p.Funds)
		} else {
			b.WriteString("｜资金尚未到位")
		}
	}
	if !p.FollowedOn.IsZero() {
		fmt.Fprintf(&b, "\n最近跟进：%s", p.FollowedOn.Chinese())
	}
	if len(acts) > 0 {
		b.WriteString("\n最近活动：")
		for _, a := range acts {
			what := a.City
			if a.Headcount > 0 {
				what = strings.TrimSpace(fmt.Sprintf("%s %d人", what, a.Headcount))
			}
			fmt.Fprintf(&b, "\n· %s %s %s", a.Date.ShortFrom(today), a.Kind, clip(strings.TrimSpace(what+" "+a.Note), 40))
		}
	}
	open := 0
	for _, t := range tasks {
		if t.DoneOn.IsZero() {
			if open == 0 {
				b.WriteString("\n未完成任务：")
			}
			open++
			late := ""
			if t.Overdue(today) {
				late = "（逾期）"
			}
			fmt.Fprintf(&b, "\n· %s %s，%s到期%s @%s", t.ID, clip(t.Text, 30), t.Due.ShortFrom(today), late, h.personName(ctx, st, t.Assignee))
		}
	}
	first := true
	for _, it := range items {
		if it.ResolvedOn.IsZero() {
			if first {
				b.WriteString("\n协调事项：")
				first = false
			}
			fmt.Fprintf(&b, "\n· %s %s（%s提出）", it.ID, clip(it.Text, 30), it.OpenedOn.ShortFrom(today))
		}
	}
	return b.String(), nil
}

func stageDates(p *zsbot.Project) string {
	var parts []string
	add := func(label string, d zsbot.Date) {
		if !d.IsZero() {
			parts = append(parts, label+d.String())
		}
	}
	add("签约", p.SignedOn)
	add("开工", p.StartedOn)
	add("投产", p.OperatingOn)
	add("终止", p.DroppedOn)
	if len(parts) == 0 {
		return ""
	}
	return "（" + strings.Join(parts, "，") + "）"
}

// personName shows a userid as the person's name when registered.
func (h *handlers) personName(ctx context.Context, st zsbot.Store, userID string) string {
	if p, err := st.Person(ctx, userID); err == nil && p.Name != "" {
		return p.Name
	}
	return userID
}
