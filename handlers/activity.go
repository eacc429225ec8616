package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) visitVerb() *Verb {
	v := &Verb{Name: "拜访", Aliases: []string{"visit"}, Access: Officer,
		Usage: "拜访 <企业> [城市] [日期] [备注]", Example: "拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目",
		Brief: "记一次外出拜访"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) {
		return h.activity(ctx, r, v, zsbot.KindVisit)
	})
	return v
}

func (h *handlers) receiveVerb() *Verb {
	v := &Verb{Name: "接待", Aliases: []string{"receive"}, Access: Officer,
		Usage: "接待 <企业> [人数] [日期] [备注]", Example: "接待 中冶赛迪 5人 11月3日 考察珞璜园区",
		Brief: "记一批来访接待"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) {
		return h.activity(ctx, r, v, zsbot.KindReception)
	})
	return v
}

// activity records a visit or reception of a company: known by any of its
// names, by a project's name or ID, or new (and then created, and said so).
func (h *handlers) activity(ctx context.Context, r *Request, v *Verb, kind zsbot.ActivityKind) (string, error) {
	if err := parse.CheckOpts(r.Opts, "城市", "人数", "项目"); err != nil {
		return "", err
	}
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	_, dw, rest := parse.TakeMoneyDate(rest, false, true)
	a := &zsbot.Activity{Kind: kind, Date: r.Today, By: r.From, City: r.Opts["城市"]}
	if dw != "" {
		if a.Date, err = parse.ParseDate(dw, r.Today, parse.Past); err != nil {
			return "", err
		}
	}
	var note []string
	for _, w := range rest {
		switch n, ok := parse.ParseCount(w, "人"); {
		case ok && kind == zsbot.KindReception && a.Headcount == 0:
			a.Headcount = n
		case a.City == "" && kind == zsbot.KindVisit && len(note) == 0 && isCity(w):
			a.City = w
		default:
			note = append(note, w)
		}
	}
	if s := r.Opts["人数"]; s != "" {
		n, ok := parse.ParseCount(s, "人")
		if !ok {
			return "", usageError(v, "人数要写成数字")
		}
		a.Headcount = n
	}
	a.Note = strings.Join(note, " ")
	if err := checkLen("备注", a.Note, 500); err != nil {
		return "", err
	}
	c := r.change(string(kind), "")
	co, p, created, err := h.activityTarget(ctx, name, r.Opts["项目"])
	if err != nil {
		return "", err
	}
	if created {
		c.Add(nil, co)
	}
	a.Company = co.ID
	if p != nil {
		a.Project = p.ID
		c.Audit.Project = p.ID
		if a.Date > p.FollowedOn {
			after := *p
			after.FollowedOn = a.Date
			c.Add(p, &after)
		}
	}
	if a.ID, err = h.store.NextID(ctx, zsbot.KindActivity); err != nil {
		return "", err
	}
	c.Audit.Summary = string(kind) + " " + a.ID
	c.Add(nil, a)
	if _, err := h.store.Apply(ctx, c); err != nil {
		return "", err
	}
	return activityReply(a, co, p, created), nil
}

// activityTarget finds the company (and, when it is clear, the project) an
// activity is about. A word that names no company and no project is a new
// company, not yet stored.
func (h *handlers) activityTarget(ctx context.Context, word, projectWord string) (*zsbot.Company, *zsbot.Project, bool, error) {
	n, err := h.names(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	var p *zsbot.Project
	if projectWord != "" {
		if p, err = h.findProject(ctx, projectWord); err != nil {
			return nil, nil, false, err
		}
	}
	co, err := h.findCompany(ctx, n, word)
	if err != nil {
		return nil, nil, false, err
	}
	if co == nil && p == nil {
		// Not a company: perhaps a project's name or ID.
		if refs := n.matchProjects(word); len(refs) == 1 || isProjectID(word) {
			if p, err = h.findProject(ctx, word); err != nil {
				return nil, nil, false, err
			}
			if p.Company != "" {
				if co, err = h.store.Company(ctx, p.Company); err != nil {
					return nil, nil, false, err
				}
			}
		}
	}
	created := false
	if co == nil {
		if co, created, err = h.companyFor(ctx, n, word, ""); err != nil {
			return nil, nil, false, err
		}
	}
	if p == nil && !created {
		p, err = h.soleProject(ctx, n, co.ID)
	}
	return co, p, created, err
}

// soleProject returns a company's only live project, or nil.
func (h *handlers) soleProject(ctx context.Context, n *names, company string) (*zsbot.Project, error) {
	var only string
	for _, p := range n.projects {
		if p.Company == company && p.Stage != zsbot.StageDropped {
			if only != "" {
				return nil, nil
			}
			only = p.ID
		}
	}
	if only == "" {
		return nil, nil
	}
	return h.store.Project(ctx, only)
}

func isProjectID(w string) bool {
	k, _, ok := parse.ParseID(w)
	return ok && k == 'P'
}

func activityReply(a *zsbot.Activity, co *zsbot.Company, p *zsbot.Project, created bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "已记录%s %s：%s，%s", a.Kind, a.ID, co.Name, a.Date.Chinese())
	if a.City != "" {
		b.WriteString("，" + a.City)
	}
	if a.Headcount > 0 {
		fmt.Fprintf(&b, "，%d人", a.Headcount)
	}
	if p != nil {
		fmt.Fprintf(&b, "，项目 %s %s", p.ID, p.Name)
	}
	if a.Note != "" {
		b.WriteString("。备注：" + clip(a.Note, 60))
	}
	b.WriteString("。")
	if created {
		fmt.Fprintf(&b, "\n「%s」是新企业，已新建企业记录 %s。", co.Name, co.ID)
	}
	b.WriteString("\n" + undoHint)
	return b.String()
}
