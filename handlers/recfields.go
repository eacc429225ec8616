package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// recField is one thing 改 may change on a record of kind.
type recField struct {
	kind    zsbot.Kind
	name    string
	aliases []string
	set     func(ctx context.Context, e *recEdit) error
}

// recFields are the fields of records other than projects that 改 knows,
// by kind in the order help lists them.
var recFields = []*recField{
	{zsbot.KindActivity, "日期", []string{"时间"}, setActivityDate},
	{zsbot.KindActivity, "地点", []string{"城市", "地址"}, setActivityCity},
	{zsbot.KindActivity, "内容", []string{"备注", "记录"}, setActivityNote},
	{zsbot.KindActivity, "企业", []string{"公司", "客商"}, setActivityCompany},
	{zsbot.KindActivity, "项目", nil, setActivityProject},
	{zsbot.KindActivity, "人数", []string{"人员数"}, setActivityHeadcount},
	{zsbot.KindPayment, "金额", []string{"到位金额", "到位资金", "到位"}, setMoneyAmount},
	{zsbot.KindPayment, "日期", []string{"到位日期", "时间"}, setMoneyDate},
	{zsbot.KindIncrease, "金额", []string{"增资金额", "增资"}, setMoneyAmount},
	{zsbot.KindIncrease, "日期", []string{"增资日期", "时间"}, setMoneyDate},
	{zsbot.KindTask, "内容", []string{"任务", "任务内容"}, setTaskText},
	{zsbot.KindTask, "截止", []string{"截止日期", "截止时间", "到期", "期限"}, setTaskDue},
	{zsbot.KindTask, "负责人", nil, setTaskAssignee},
	{zsbot.KindItem, "内容", []string{"事项", "协调事项"}, setItemText},
	{zsbot.KindCompany, "名称", []string{"企业名称", "名字", "全称"}, setCompanyName},
	{zsbot.KindCompany, "别名", []string{"简称"}, setCompanyAliases},
	{zsbot.KindCompany, "地区", []string{"区域", "地域"}, setCompanyRegion},
}

// follow moves the record's project's last follow-up to d when d is later.
func (e *recEdit) follow(d zsbot.Date) {
	if e.project == nil || d <= e.project.FollowedOn {
		return
	}
	if e.projAfter == nil {
		c := *e.project
		e.projAfter = &c
	}
	e.projAfter.FollowedOn = d
}

func setActivityDate(_ context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	d, err := eventDate(e.value, e.r.Today)
	if err != nil {
		return err
	}
	e.from, e.to = a.Date.Chinese(), d.Chinese()
	if a.Kind == zsbot.KindVisit || a.Kind == zsbot.KindReception || a.Kind == zsbot.KindPromotion {
		e.note = periodNote(string(a.Kind), a.Date, d)
	}
	a.Date = d
	e.follow(d)
	return nil
}

func setActivityCity(_ context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	if err := checkName("地点", e.value, 20); err != nil {
		return err
	}
	e.from, e.to, a.City = a.City, e.value, e.value
	return nil
}

func setActivityNote(_ context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	if err := checkLen("内容", e.value, 500); err != nil {
		return err
	}
	e.from, e.to, a.Note = clip(a.Note, 30), clip(e.value, 30), e.value
	if a.Note == e.before.(*zsbot.Activity).Note {
		e.from = e.to
	}
	return nil
}

func setActivityHeadcount(_ context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	n, ok := headcount(e.value)
	if !ok {
		if n, ok = parse.ParseCount(e.value, ""); !ok || n < 1 {
			return zsbot.Errorf(zsbot.EINVALID, "人数要写成数字，如 5人。")
		}
	}
	e.from, e.to, a.Headcount = fmt.Sprintf("%d人", a.Headcount), fmt.Sprintf("%d人", n), n
	if e.before.(*zsbot.Activity).Headcount == 0 {
		e.from = ""
	}
	return nil
}

// setActivityCompany moves an activity to another company (made when
// unknown); 拜访家数 counts it there.
func setActivityCompany(ctx context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	n, err := e.h.names(ctx, e.r.Tx)
	if err != nil {
		return err
	}
	co, created, err := e.h.companyFor(ctx, e.r, n, e.value, "", nil)
	if err != nil {
		return err
	}
	e.from = a.Company
	if old, err := e.r.Tx.Company(ctx, a.Company); err == nil {
		e.from = old.Name
	}
	if created {
		e.created = co
	}
	e.note = "（" + companyNote(co, created) + "）"
	if a.Company == co.ID {
		e.from = co.Name
	}
	e.to, a.Company = co.Name, co.ID
	return nil
}

// setActivityProject moves an activity to another project, and to its
// company; "无" takes it off any project.
func setActivityProject(ctx context.Context, e *recEdit) error {
	a := e.after.(*zsbot.Activity)
	if e.project != nil {
		e.from = e.project.ID + " " + clip(e.project.Name, 20)
	}
	if e.value == "无" {
		a.Project, e.to = "", ""
		return nil
	}
	p, err := e.h.findProject(ctx, e.r.Tx, e.value)
	if err != nil {
		return err
	}
	e.to, a.Project = p.ID+" "+clip(p.Name, 20), p.ID
	if p.Company != "" && p.Company != a.Company {
		// The activity is with the project's company: say so, since its
		// 拜访家数 may change with it.
		a.Company = p.Company
		if co, err := e.r.Tx.Company(ctx, p.Company); err == nil && co != nil {
			e.note = "（企业随项目改为 " + co.ID + " " + co.Name + "）"
		} else {
			e.note = "（企业随项目改为 " + p.Company + "）"
		}
	}
	if a.Project != e.before.(*zsbot.Activity).Project && a.Date > p.FollowedOn {
		c := *p
		c.FollowedOn = a.Date
		e.project, e.projAfter = p, &c // the new project's follow-up moves; the old one keeps its own
	}
	return nil
}

// setMoneyAmount changes a payment's or an increase's amount, and its
// project's total with it: 累计到位 or 协议引资累计, shown old → new.
func setMoneyAmount(_ context.Context, e *recEdit) error {
	m, bare, err := parse.ParseMoney(e.value)
	if err != nil {
		return err
	}
	var old zsbot.Money
	switch rec := e.after.(type) {
	case *zsbot.Payment:
		old, rec.Amount = rec.Amount, m
	case *zsbot.Increase:
		old, rec.Amount = rec.Amount, m
	}
	e.from, e.to = old.String(), m.String()
	if e.project != nil && old != m {
		c := *e.project
		if _, ok := e.after.(*zsbot.Payment); ok {
			c.Funds += m - old
			e.note = fmt.Sprintf("，%s累计到位 %s → %s", c.ID, e.project.Funds, c.Funds)
		} else {
			c.Amount += m - old
			e.note = fmt.Sprintf("，%s协议引资累计 %s → %s", c.ID, e.project.Amount, c.Amount)
		}
		e.projAfter = &c
	}
	e.note += (&amountDate{amount: m, bare: bare}).bareNote()
	return nil
}

// setMoneyDate changes the day of a payment or an increase, never before
// its project's signing.
func setMoneyDate(_ context.Context, e *recEdit) error {
	d, err := eventDate(e.value, e.r.Today)
	if err != nil {
		return err
	}
	if e.project != nil && d < e.project.SignedOn {
		return zsbot.Errorf(zsbot.EINVALID, "日期%s早于%s的签约日期%s，请核对。", d.Chinese(), e.project.ID, e.project.SignedOn.Chinese())
	}
	var at *zsbot.Date
	what := "到位资金"
	switch rec := e.after.(type) {
	case *zsbot.Payment:
		at = &rec.Date
	case *zsbot.Increase:
		at, what = &rec.Date, "协议引资"
	}
	e.from, e.to, e.note = at.Chinese(), d.Chinese(), periodNote(what, *at, d)
	*at = d
	e.follow(d)
	return nil
}

func setTaskText(_ context.Context, e *recEdit) error {
	t := e.after.(*zsbot.Task)
	if err := checkName("任务内容", e.value, 200); err != nil {
		return err
	}
	e.from, e.to, t.Text = clip(t.Text, 30), clip(e.value, 30), e.value
	if t.Text == e.before.(*zsbot.Task).Text {
		e.from = e.to
	}
	return nil
}

// setTaskDue changes a deadline: a day without a year is the next such day.
// (The card button of an overdue notice sends 改 T12 截止 <日期>.)
func setTaskDue(_ context.Context, e *recEdit) error {
	t := e.after.(*zsbot.Task)
	d, err := parse.ParseDate(e.value, e.r.Today, parse.Future)
	if err != nil {
		return err
	}
	if d < t.CreatedOn {
		return zsbot.Errorf(zsbot.EINVALID, "截止日期%s早于任务登记日%s，请核对。", d.Chinese(), t.CreatedOn.Chinese())
	}
	e.from, e.to, t.Due = t.Due.Chinese(), d.Chinese(), d
	if t.DoneOn.IsZero() {
		e.note = "（" + dueNote(d, e.r.Today) + "）"
	} else if (e.before.(*zsbot.Task).Due >= t.DoneOn) != (d >= t.DoneOn) {
		e.note = "；任务按时完成情况随之改变（季度考核）"
	}
	return nil
}

func setTaskAssignee(ctx context.Context, e *recEdit) error {
	t := e.after.(*zsbot.Task)
	p, err := e.h.findPerson(ctx, e.r.Tx, e.value)
	if err != nil {
		return err
	}
	e.from, e.to = e.h.personName(ctx, e.r.Tx, t.Assignee), p.Name
	if t.Assignee == p.UserID {
		e.from = e.to
	}
	t.Assignee = p.UserID
	return nil
}

func setItemText(_ context.Context, e *recEdit) error {
	it := e.after.(*zsbot.Item)
	if err := checkName("事项内容", e.value, 200); err != nil {
		return err
	}
	e.from, e.to, it.Text = clip(it.Text, 30), clip(e.value, 30), e.value
	if it.Text == e.before.(*zsbot.Item).Text {
		e.from = e.to
	}
	return nil
}

// setCompanyName renames a company; a name that another company goes by
// is refused with the way to merge the two.
func setCompanyName(ctx context.Context, e *recEdit) error {
	co := e.after.(*zsbot.Company)
	if err := checkNewName("企业名称", e.value); err != nil {
		return err
	}
	if err := e.h.nameFree(ctx, e.r.Tx, co.ID, e.value); err != nil {
		return err
	}
	e.from, e.to, co.Name = co.Name, e.value, e.value
	co.Aliases = slices.DeleteFunc(co.Aliases, func(a string) bool { return a == e.value })
	return nil
}

// setCompanyAliases replaces a company's short names: several are written
// apart by spaces or 、; "无" clears them.
func setCompanyAliases(ctx context.Context, e *recEdit) error {
	co := e.after.(*zsbot.Company)
	var aliases []string
	if e.value != "无" {
		for _, a := range strings.FieldsFunc(e.value, func(r rune) bool { return strings.ContainsRune(" 、，,；;/", r) }) {
			if err := checkName("简称", a, 20); err != nil {
				return err
			}
			if err := e.h.nameFree(ctx, e.r.Tx, co.ID, a); err != nil {
				return err
			}
			if a != co.Name && !slices.Contains(aliases, a) {
				aliases = append(aliases, a)
			}
		}
	}
	e.from, e.to, co.Aliases = strings.Join(co.Aliases, "、"), strings.Join(aliases, "、"), aliases
	return nil
}

func setCompanyRegion(_ context.Context, e *recEdit) error {
	co := e.after.(*zsbot.Company)
	if err := checkName("地区", e.value, 20); err != nil {
		return err
	}
	e.from, e.to, co.Region = co.Region, e.value, e.value
	return nil
}

// nameFree refuses a name or short name for company id when another
// company goes by it.
func (h *handlers) nameFree(ctx context.Context, st zsbot.Store, id, name string) error {
	n, err := h.names(ctx, st)
	if err != nil {
		return err
	}
	var byKey []int
	if k := parse.NameKey(name); k != "" {
		byKey = n.companyByKey.at(k)
	}
	for _, c := range n.refs(n.companies, byKey, n.companyByName.at(name)) {
		if c.ID != id {
			return zsbot.Errorf(zsbot.ECONFLICT, "已有企业「%s」（%s）用这个名称。如是同一家企业，请合并：合并 %s 到 %s", c.Name, c.ID, id, c.ID)
		}
	}
	return nil
}
