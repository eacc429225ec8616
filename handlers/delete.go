package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) deleteVerb() *Verb {
	v := &Verb{Name: "删除", Aliases: []string{"delete"}, Access: Officer,
		Usage:   "删除 <编号>：误录的活动 A、到位 F、增资 Z、任务 T、协调事项 C、企业 E，或没有关联记录的项目 P",
		Example: "删除 A12", Brief: "删除误录的记录（有记录关联它时列出并拒绝）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.delete(ctx, r, v) })
	return v
}

// delete removes a record created by mistake, audited and undoable. A
// record that others refer to (a project's activities, payments, tasks; a
// company's projects and visits) is refused with their IDs. Removing a
// payment or an increase takes it off its project's total.
func (h *handlers) delete(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) != 1 || len(r.Opts) > 0 {
		return "", usageError(v, "请写明一个编号")
	}
	prefix, _, ok := parse.ParseID(r.Words[0])
	kind := kindOfPrefix(prefix)
	if !ok || kind == "" {
		return "", usageError(v, fmt.Sprintf("「%s」不是记录编号，删除只按编号", clip(r.Words[0], 20)))
	}
	id := strings.ToUpper(parse.Normalize(r.Words[0]))
	rec, p, err := recordAndProject(ctx, r.Tx, kind, id)
	if err != nil {
		return "", err
	}
	if kind == zsbot.KindProject {
		p = rec.(*zsbot.Project)
	}
	if err := h.mayCorrect(ctx, r, rec, p, "删除"); err != nil {
		return "", err
	}
	deps, err := h.dependants(ctx, r.Tx, kind, id, nil)
	if err != nil {
		return "", err
	}
	if len(deps) > 0 {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "不能删除%s %s：有%d条记录关联它：%s。请先删除或改到别处，或用「合并 %s 到 <编号>」。",
			kindWord[kind], id, len(deps), idList(deps), id)
	}
	pid := projectOfRecord(rec)
	if kind == zsbot.KindProject {
		pid = id
	}
	c := r.change("删除 "+id, pid)
	c.Add(rec, nil)
	note := ""
	if p != nil && kind != zsbot.KindProject {
		after := *p
		switch rec := rec.(type) {
		case *zsbot.Payment:
			after.Funds -= rec.Amount
			note = fmt.Sprintf("，%s累计到位 %s → %s", p.ID, p.Funds, after.Funds)
		case *zsbot.Increase:
			after.Amount -= rec.Amount
			note = fmt.Sprintf("，%s协议引资累计 %s → %s", p.ID, p.Amount, after.Amount)
		}
		if note != "" {
			c.Add(p, &after)
		}
	}
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已删除%s %s（%s）%s。\n%s", kindWord[kind], id, recordLine(rec), note, undoHint), nil
}

// recordLine describes a record in a few words, for replies.
func recordLine(rec zsbot.Record) string {
	switch r := rec.(type) {
	case *zsbot.Project:
		return clip(r.Name, 30) + "，" + string(r.Stage)
	case *zsbot.Company:
		return clip(r.Name, 30)
	case *zsbot.Activity:
		return fmt.Sprintf("%s %s", r.Kind, r.Date.Chinese())
	case *zsbot.Payment:
		return fmt.Sprintf("%s %s %s", r.Project, r.Amount, r.Date.Chinese())
	case *zsbot.Increase:
		return fmt.Sprintf("%s %s %s", r.Project, r.Amount, r.Date.Chinese())
	case *zsbot.Task:
		return r.Project + " " + clip(r.Text, 20)
	case *zsbot.Item:
		return r.Project + " " + clip(r.Text, 20)
	}
	return rec.RecordID()
}

// maxDependants is how many of a project's activities are read to find
// what depends on it.
const maxDependants = 10000

// dependants returns the IDs of the records that refer to the project,
// company or park id (none for other kinds), leaving out those in except.
func (h *handlers) dependants(ctx context.Context, st zsbot.Store, kind zsbot.Kind, id string, except map[string]bool) ([]string, error) {
	var out []string
	add := func(rid string) {
		if !except[rid] {
			out = append(out, rid)
		}
	}
	switch kind {
	case zsbot.KindProject:
		acts, err := st.ProjectActivities(ctx, id, maxDependants)
		if err != nil {
			return nil, err
		}
		for _, a := range acts {
			add(a.ID)
		}
		pays, err := st.ProjectPayments(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, f := range pays {
			add(f.ID)
		}
		zs, err := st.ProjectIncreases(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, z := range zs {
			add(z.ID)
		}
		ts, err := st.ProjectTasks(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			add(t.ID)
		}
		items, err := st.ProjectItems(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			add(it.ID)
		}
	case zsbot.KindCompany:
		n, err := h.names(ctx, st)
		if err != nil {
			return nil, err
		}
		for _, i := range n.projectByCompany.at(id) {
			add(n.projects[i].ID)
		}
		acts, err := st.CompanyActivities(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, a := range acts {
			add(a.ID)
		}
	case zsbot.KindPark:
		people, projects, groups, err := parkUsers(ctx, st, func(s string) bool { return s == id })
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			add(p.UserID)
		}
		for _, p := range projects {
			add(p.ID)
		}
		for _, g := range groups {
			add(g.Name)
		}
	}
	return out, nil
}

// idList shows IDs in a reply: the first dozen, then how many in all.
func idList(ids []string) string {
	if len(ids) <= 12 {
		return strings.Join(ids, " ")
	}
	return strings.Join(ids[:12], " ") + fmt.Sprintf(" 等%d条", len(ids))
}
