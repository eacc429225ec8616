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
		c.Add(e.project, e.projAfter) // the project whose follow-up moves (改 A 项目: the new one)
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
// manage the project (mayWriteProject, the one rule); for an activity of no
// project, its recorder; for a company, whoever may manage every project
// of it; leaders and admins always. The refusal says who may.
func (h *handlers) mayCorrect(ctx context.Context, r *Request, rec zsbot.Record, p *zsbot.Project, what string) error {
	if p != nil {
		return h.mayWriteProject(ctx, r, p, what)
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
			if err := h.mayWriteProject(ctx, r, p, what); err != nil {
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
