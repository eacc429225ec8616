package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// recEdit is one 改 of a record other than a project, named by its ID: the
// record before and after, its project (and the project after, when the
// change moves its totals), and what the reply shows.
type recEdit struct {
	h         *handlers
	r         *Request
	before    zsbot.Record
	after     zsbot.Record
	project   *zsbot.Project // the record's project as read, nil for none
	projAfter *zsbot.Project // the project changed too, nil when it is not
	created   zsbot.Record   // a company made on the way, or nil
	value     string
	from, to  string
	note      string
}

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

// kindOfPrefix is the kind of record whose IDs start with c.
func kindOfPrefix(c byte) zsbot.Kind {
	for _, k := range []zsbot.Kind{zsbot.KindProject, zsbot.KindCompany, zsbot.KindActivity, zsbot.KindPayment,
		zsbot.KindIncrease, zsbot.KindTask, zsbot.KindItem} {
		if k.IDPrefix() == string(c) {
			return k
		}
	}
	return ""
}

// kindWord is how replies call a kind of record.
var kindWord = map[zsbot.Kind]string{zsbot.KindProject: "项目", zsbot.KindCompany: "企业", zsbot.KindActivity: "活动",
	zsbot.KindPayment: "到位资金", zsbot.KindIncrease: "增资", zsbot.KindTask: "任务", zsbot.KindItem: "协调事项"}

// fieldsOf returns the fields of kind.
func fieldsOf(kind zsbot.Kind) []*recField {
	var out []*recField
	for _, f := range recFields {
		if f.kind == kind {
			out = append(out, f)
		}
	}
	return out
}

// splitRecField reads a field of kind at the start of w; the longest name
// wins.
func splitRecField(kind zsbot.Kind, w string) (*recField, string) {
	var best *recField
	var rest string
	n := 0
	for _, f := range fieldsOf(kind) {
		for _, name := range append([]string{f.name}, f.aliases...) {
			if name == w {
				return f, ""
			}
			if t, ok := strings.CutPrefix(w, name); ok && len(name) > n && !parse.LooksLikeDate(w) {
				best, rest, n = f, t, len(name)
			}
		}
	}
	return best, rest
}

// readRecord reads the record an ID names; ENOTFOUND says so in words.
func readRecord(ctx context.Context, st zsbot.Store, kind zsbot.Kind, id string) (zsbot.Record, error) {
	var rec zsbot.Record
	var err error
	switch kind {
	case zsbot.KindProject:
		rec, err = st.Project(ctx, id)
	case zsbot.KindCompany:
		rec, err = st.Company(ctx, id)
	case zsbot.KindActivity:
		rec, err = st.Activity(ctx, id)
	case zsbot.KindPayment:
		rec, err = st.Payment(ctx, id)
	case zsbot.KindIncrease:
		rec, err = st.Increase(ctx, id)
	case zsbot.KindTask:
		rec, err = st.Task(ctx, id)
	case zsbot.KindItem:
		rec, err = st.Item(ctx, id)
	default:
		return nil, zsbot.Errorf(zsbot.EINVALID, "不认识编号 %s：编号以 P E A F Z T C 开头，例如 F7、A12。", clip(id, 12))
	}
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "未找到%s %s，请核对编号（查 %s 可查看）。", kindWord[kind], clip(id, 12), clip(id, 12))
	}
	return rec, err
}

// copyRecord returns a copy of rec that may be changed without touching it.
func copyRecord(rec zsbot.Record) zsbot.Record {
	switch r := rec.(type) {
	case *zsbot.Project:
		c := *r
		return &c
	case *zsbot.Company:
		c := *r
		c.Aliases, c.Tags = slices.Clone(r.Aliases), slices.Clone(r.Tags)
		return &c
	case *zsbot.Activity:
		c := *r
		return &c
	case *zsbot.Payment:
		c := *r
		return &c
	case *zsbot.Increase:
		c := *r
		return &c
	case *zsbot.Task:
		c := *r
		return &c
	case *zsbot.Item:
		c := *r
		return &c
	}
	return rec
}

// projectOfRecord is the project a record belongs to ("" for none).
func projectOfRecord(rec zsbot.Record) string {
	switch r := rec.(type) {
	case *zsbot.Project:
		return r.ID
	case *zsbot.Activity:
		return r.Project
	case *zsbot.Payment:
		return r.Project
	case *zsbot.Increase:
		return r.Project
	case *zsbot.Task:
		return r.Project
	case *zsbot.Item:
		return r.Project
	}
	return ""
}

// recordAndProject reads the record an ID names and the project it
// belongs to (nil for none).
func recordAndProject(ctx context.Context, st zsbot.Store, kind zsbot.Kind, id string) (zsbot.Record, *zsbot.Project, error) {
	rec, err := readRecord(ctx, st, kind, id)
	if err != nil {
		return nil, nil, err
	}
	if p, ok := rec.(*zsbot.Project); ok {
		return rec, p, nil
	}
	pid := projectOfRecord(rec)
	if pid == "" {
		return rec, nil, nil
	}
	p, err := st.Project(ctx, pid)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return rec, nil, nil // an orphan of an older undo: its recorder or a leader may correct it
	}
	return rec, p, err
}

// editRecord changes one field of the record an ID names: an activity, a
// payment, an increase, a task, an item or a company.
func (h *handlers) editRecord(ctx context.Context, r *Request, v *Verb, prefix byte) (string, error) {
	id := strings.ToUpper(parse.Normalize(r.Words[0]))
	kind := kindOfPrefix(prefix)
	if len(fieldsOf(kind)) == 0 {
		return "", zsbot.Errorf(zsbot.EINVALID, "不认识编号 %s：可改的编号以 P E A F Z T C 开头，例如 改 F7 金额 1亿。", clip(id, 12))
	}
	_, key, word, value, err := editArgs(r, v, func(w string) (string, string) {
		if f, rest := splitRecField(kind, w); f != nil {
			return f.name, rest
		}
		return "", ""
	})
	if err != nil {
		return "", err
	}
	rec, p, err := recordAndProject(ctx, r.Tx, kind, id)
	if err != nil {
		return "", err
	}
	var f *recField
	for _, g := range fieldsOf(kind) {
		if g.name == key {
			f = g
		}
	}
	if f == nil {
		names := make([]string, 0, 6)
		for _, g := range fieldsOf(kind) {
			names = append(names, g.name)
		}
		return "", zsbot.Errorf(zsbot.EINVALID, "%s %s 不能改「%s」。%s可改的字段：%s。例如：改 %s %s <新值>",
			kindWord[kind], id, clip(word, 10), kindWord[kind], strings.Join(names, " "), id, names[0])
	}
	if value == "" {
		return "", usageError(v, fmt.Sprintf("请写明%s的新值，例如：改 %s %s <新值>", f.name, id, f.name))
	}
	if err := h.mayCorrect(ctx, r, rec, p, "修改"); err != nil {
		return "", err
	}
	e := &recEdit{h: h, r: r, before: rec, after: copyRecord(rec), project: p, value: value}
	if err := f.set(ctx, e); err != nil {
		return "", err
	}
	if e.from == e.to {
		return fmt.Sprintf("%s %s 的%s本来就是%s，没有修改。", kindWord[kind], id, f.name, orDash(e.to)), nil
	}
	c := r.change("改 "+id+" "+f.name, projectOfRecord(rec))
	if e.created != nil {
		c.Add(nil, e.created)
	}
	c.Add(rec, e.after)
	if e.projAfter != nil {
		c.Add(p, e.projAfter)
	}
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	of := ""
	if p != nil {
		of = "（" + p.ID + " " + clip(p.Name, 20) + "）"
	}
	return fmt.Sprintf("已修改%s %s%s：%s %s → %s%s。\n%s", kindWord[kind], id, of, f.name, orDash(e.from), orDash(e.to), e.note, undoHint), nil
}

// mayCorrect refuses unless the sender may correct, delete or merge rec
// (of project p, nil for none): for a project's records, whoever may
// manage the project (mayManage, the one rule); for an activity of no
// project, its recorder; for a company, whoever may manage every project
// of it; leaders and admins always. The refusal says who may.
func (h *handlers) mayCorrect(ctx context.Context, r *Request, rec zsbot.Record, p *zsbot.Project, what string) error {
	if p != nil {
		return h.mayManage(ctx, r, p, what)
	}
	if r.Sender.IsLeader() {
		return nil
	}
	switch rec := rec.(type) {
	case *zsbot.Company:
		ps, err := h.companyProjects(ctx, r.Tx, rec.ID)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := h.mayManage(ctx, r, p, what); err != nil {
				return zsbot.Errorf(zsbot.EFORBIDDEN, "企业 %s 有您不负责的项目 %s，只有领导和管理员可以%s它。", rec.ID, p.ID, what)
			}
		}
		return nil
	case *zsbot.Activity:
		if rec.By == r.From {
			return nil
		}
		return zsbot.Errorf(zsbot.EFORBIDDEN, "只有登记人%s、领导和管理员可以%s %s。", h.personName(ctx, r.Tx, rec.By), what, rec.ID)
	}
	return zsbot.Errorf(zsbot.EFORBIDDEN, "只有领导和管理员可以%s %s。", what, rec.RecordID())
}

// companyProjects returns the projects of a company.
func (h *handlers) companyProjects(ctx context.Context, st zsbot.Store, company string) ([]*zsbot.Project, error) {
	n, err := h.names(ctx, st)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, i := range n.projectByCompany.at(company) {
		ids = append(ids, n.projects[i].ID)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return st.Projects(ctx, ids)
}

// firstDay and lastDay bound every dated record.
const firstDay, lastDay zsbot.Date = 19000101, 99991231

// projectIncreases returns a project's 增资 (there is no index of them by
// project: they are few, and read from the ledger of all time).
func (h *handlers) projectIncreases(ctx context.Context, st zsbot.Store, project string) ([]*zsbot.Increase, error) {
	l, err := st.Ledger(ctx, firstDay, lastDay)
	if err != nil {
		return nil, err
	}
	var out []*zsbot.Increase
	for _, z := range l.Increases {
		if z.Project == project {
			out = append(out, z)
		}
	}
	return out, nil
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
	co, created, err := e.h.companyFor(ctx, e.r.Tx, n, e.value, "")
	if err != nil {
		return err
	}
	e.from = a.Company
	if old, err := e.r.Tx.Company(ctx, a.Company); err == nil {
		e.from = old.Name
	}
	if created {
		e.created = co
		e.note = fmt.Sprintf("（已新建企业 %s）", co.ID)
	}
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
	if p.Company != "" {
		a.Company = p.Company
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
