package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// showID renders the card of the record an ID names (查 T2, 查 C2, 查 E1,
// 查 A14, 查 F3, 查 Z2).
func (h *handlers) showID(ctx context.Context, r *Request, kind byte, word string) (string, error) {
	id := strings.ToUpper(parse.Normalize(word))
	st := r.Tx
	var reply string
	var err error
	switch kind {
	case 'T':
		var t *zsbot.Task
		if t, err = st.Task(ctx, id); err == nil {
			reply = h.taskCard(ctx, st, t, r.Today)
		}
	case 'C':
		var it *zsbot.Item
		if it, err = st.Item(ctx, id); err == nil {
			reply = h.itemCard(ctx, st, it, r.Today)
		}
	case 'E':
		var co *zsbot.Company
		if co, err = st.Company(ctx, id); err == nil {
			reply, err = h.companyCard(ctx, st, co)
		}
	case 'A':
		var a *zsbot.Activity
		if a, err = st.Activity(ctx, id); err == nil {
			reply = h.activityCard(ctx, st, a)
		}
	case 'F':
		var f *zsbot.Payment
		if f, err = st.Payment(ctx, id); err == nil {
			reply = h.moneyCard(ctx, st, "到位资金", f.ID, f.Project, f.Amount, f.Date, f.By)
		}
	case 'Z':
		var z *zsbot.Increase
		if z, err = st.Increase(ctx, id); err == nil {
			reply = h.moneyCard(ctx, st, "增资", z.ID, z.Project, z.Amount, z.Date, z.By)
		}
	default:
		return "", zsbot.Errorf(zsbot.EINVALID, "不认识编号 %s，例如：查 T2、查 E1、查 诺比侃。", clip(id, 12))
	}
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "未找到 %s。请核对编号，例如：查 %c1，或 查 诺比侃。", clip(id, 12), kind)
	}
	return reply, err
}

// projectLine names a record's project by ID and name.
func (h *handlers) projectLine(ctx context.Context, st zsbot.Store, id string) string {
	if p, err := st.Project(ctx, id); err == nil {
		return p.ID + " " + p.Name
	}
	return orDash(id)
}

func (h *handlers) taskCard(ctx context.Context, st zsbot.Store, t *zsbot.Task, today zsbot.Date) string {
	state := "未完成"
	if !t.DoneOn.IsZero() {
		state = "已完成（" + t.DoneOn.Chinese() + "）"
	} else if t.Overdue(today) {
		state = "未完成（逾期）"
	}
	return fmt.Sprintf("任务 %s：%s\n项目：%s\n到期：%s｜负责人：%s｜状态：%s\n登记：%s，%s",
		t.ID, clip(t.Text, 60), h.projectLine(ctx, st, t.Project), t.Due.Chinese(), h.personName(ctx, st, t.Assignee),
		state, h.personName(ctx, st, t.By), t.CreatedOn.Chinese())
}

func (h *handlers) itemCard(ctx context.Context, st zsbot.Store, it *zsbot.Item, today zsbot.Date) string {
	state := "未解决"
	if !it.ResolvedOn.IsZero() {
		state = "已解决（" + it.ResolvedOn.Chinese() + "）"
		if it.Resolution != "" {
			state += "：" + clip(it.Resolution, 40)
		}
	}
	return fmt.Sprintf("协调事项 %s：%s\n项目：%s\n状态：%s\n登记：%s，%s",
		it.ID, clip(it.Text, 60), h.projectLine(ctx, st, it.Project), state, h.personName(ctx, st, it.By), it.OpenedOn.Chinese())
}

func (h *handlers) activityCard(ctx context.Context, st zsbot.Store, a *zsbot.Activity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s，%s", a.Kind, a.ID, a.Date.Chinese())
	if a.Company != "" {
		name := a.Company
		if co, err := st.Company(ctx, a.Company); err == nil {
			name = co.ID + " " + co.Name
		}
		fmt.Fprintf(&b, "\n企业：%s", name)
	}
	if a.Project != "" {
		fmt.Fprintf(&b, "\n项目：%s", h.projectLine(ctx, st, a.Project))
	}
	if a.City != "" {
		fmt.Fprintf(&b, "\n地点：%s", a.City)
	}
	if a.Headcount > 0 {
		fmt.Fprintf(&b, "\n人数：%d人", a.Headcount)
	}
	if a.Note != "" {
		fmt.Fprintf(&b, "\n备注：%s", clip(a.Note, 60))
	}
	fmt.Fprintf(&b, "\n登记：%s", h.personName(ctx, st, a.By))
	return b.String()
}

// moneyCard renders a payment or an increase.
func (h *handlers) moneyCard(ctx context.Context, st zsbot.Store, what, id, project string, amount zsbot.Money, on zsbot.Date, by string) string {
	return fmt.Sprintf("%s %s：%s，%s\n项目：%s\n登记：%s", what, id, amount, on.Chinese(), h.projectLine(ctx, st, project), h.personName(ctx, st, by))
}

// companyCard renders a company: its projects, its visits and receptions
// (its own and its projects', counted, not read) and the last contact,
// and its aliases.
func (h *handlers) companyCard(ctx context.Context, st zsbot.Store, co *zsbot.Company) (string, error) {
	n, err := h.names(ctx, st)
	if err != nil {
		return "", err
	}
	var ids []string
	for _, p := range n.projects {
		if p.Company == co.ID {
			ids = append(ids, p.ID)
		}
	}
	ps, err := st.Projects(ctx, ids)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "企业 %s %s", co.ID, co.Name)
	if len(co.Aliases) > 0 {
		fmt.Fprintf(&b, "\n简称：%s", strings.Join(co.Aliases, "、"))
	}
	if len(ps) == 0 {
		b.WriteString("\n项目：无")
	} else {
		b.WriteString("\n项目：")
	}
	ids = ids[:0]
	for _, p := range ps {
		fmt.Fprintf(&b, "\n· %s %s（%s）", p.ID, clip(p.Name, 30), p.Stage)
		ids = append(ids, p.ID)
	}
	// The company's activities: those that name it (a visit without a
	// project) and those of its projects, each once.
	c, err := st.CompanyContacts(ctx, co.ID, ids)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "\n拜访%d次，接待%d次", c.Visits, c.Receptions)
	if !c.Last.IsZero() {
		fmt.Fprintf(&b, "｜最近联系：%s", c.Last.Chinese())
	}
	return b.String(), nil
}

// showCompany shows the company a word names exactly, when the projects
// the word matched (none, or several) are all of that company; ok is false
// otherwise.
func (h *handlers) showCompany(ctx context.Context, r *Request, word string, projects []string) (reply string, ok bool, err error) {
	n, err := h.names(ctx, r.Tx)
	if err != nil {
		return "", false, err
	}
	id := n.onlyCompanyNamed(word)
	if id == "" {
		return "", false, nil
	}
	for _, p := range n.projects {
		if slices.Contains(projects, p.ID) && p.Company != id {
			return "", false, nil
		}
	}
	co, err := r.Tx.Company(ctx, id)
	if err != nil {
		return "", false, err
	}
	reply, err = h.companyCard(ctx, r.Tx, co)
	return reply, err == nil, err
}

// onlyCompanyNamed returns the one company word names exactly (by name,
// short name or match key), "" when none or several.
func (n *names) onlyCompanyNamed(word string) string {
	q := parse.NameKey(word)
	refs := n.refs(n.companies, n.companyByKey.at(q), n.companyByName.at(word))
	if q == "" || len(refs) != 1 {
		return ""
	}
	return refs[0].ID
}
