package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) newProjectVerb() *Verb {
	v := &Verb{Name: "新项目", Aliases: []string{"new", "新建项目"}, Access: Officer, Creates: zsbot.KindProject,
		Usage:   "新项目 <项目名称> [企业:<企业>] [计划金额] [产业:<产业>] [园区:<园区>] [来源:<来源>] [市内]",
		Example: "新项目 中科纳米新材料西南智造基地 企业:京纳清科 30亿 产业:新材料 园区:珞璜",
		Brief:   "登记在谈项目"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.newProject(ctx, r, v) })
	return v
}

func (h *handlers) newProject(ctx context.Context, r *Request, v *Verb) (string, error) {
	if err := parse.CheckOpts(r.Opts, "企业", "产业", "园区", "来源", "地区"); err != nil {
		return "", err
	}
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	if err := checkNewName("项目名称", name); err != nil {
		return "", err
	}
	out := true
	var words []string
	for _, w := range rest {
		switch w {
		case "市内":
			out = false
		case "市外":
			out = true
		default:
			words = append(words, w)
		}
	}
	ad, err := takeAmountDate(r, v, words, false, parse.Past)
	if err != nil {
		return "", err
	}
	if len(ad.rest) > 0 {
		return "", usageError(v, fmt.Sprintf("看不懂「%s」，选项请写成 企业:xxx 的形式", clip(strings.Join(ad.rest, " "), 20)))
	}
	n, err := h.names(ctx, r.Tx)
	if err != nil {
		return "", err
	}
	for _, p := range n.projects {
		if p.Name == name {
			return "", zsbot.Errorf(zsbot.ECONFLICT, "项目「%s」已登记为 %s，发送「查 %s」查看。", name, p.ID, p.ID)
		}
	}
	pid, err := r.Tx.NextID(ctx, zsbot.KindProject)
	if err != nil {
		return "", err
	}
	park, err := h.projectPark(ctx, r)
	if err != nil {
		return "", err
	}
	p := &zsbot.Project{ID: pid, Name: name, Industry: r.Opts["产业"], Park: park, Owner: r.From,
		OutOfCity: out, Source: r.Opts["来源"], Planned: ad.amount, Stage: zsbot.StageTalking,
		CreatedOn: r.Today, FollowedOn: r.Today}
	c := r.change("新项目 "+pid, pid)
	note := ""
	if cw := r.Opts["企业"]; cw != "" {
		co, created, err := h.companyFor(ctx, r, n, cw, r.Opts["地区"], nil)
		if err != nil {
			return "", err
		}
		if created {
			c.Add(nil, co)
		}
		note = "\n" + companyNote(co, created) + "。"
		p.Company = co.ID
	}
	c.Add(nil, p)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	where := "市外"
	if !out {
		where = "市内"
	}
	planned := ""
	if p.Planned > 0 {
		planned = "，计划投资" + p.Planned.String() + ad.bareNote()
	}
	return fmt.Sprintf("已登记项目 %s %s（在谈，%s%s，园区：%s）。%s\n%s", pid, name, where, planned, orDash(park), note, undoHint), nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// projectPark is a new project's park: the one 园区: names (a listed one),
// else the sender's when it is listed (or there is no list). An officer's
// park was resolved to the list when he was registered (人员 添加, the
// start-up migration, 园区 改名), so it is taken as it is, without reading
// the list: 新项目 stays within its round trips.
func (h *handlers) projectPark(ctx context.Context, r *Request) (string, error) {
	if r.Opts["园区"] == "" && r.Sender.Role == zsbot.RoleOfficer {
		return r.Sender.Park, nil
	}
	l, err := loadParks(ctx, r.Tx)
	if err != nil {
		return "", err
	}
	if w := r.Opts["园区"]; w != "" {
		return l.resolve(w)
	}
	if park, err := l.resolve(r.Sender.Park); err == nil {
		return park, nil
	}
	return "", nil
}
