package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// about is what the first word of an activity command names.
type about int

const (
	aboutCompany about = iota // 拜访 接待: a company, created when unknown
	aboutProject              // 洽谈 研判: a project, or a company that has none yet
	aboutEvent                // 推介: the event's own title
)

// activityKind says how one kind of activity reads its command.
type activityKind struct {
	kind     zsbot.ActivityKind
	about    about
	cities   bool   // a city may follow the name
	counts   bool   // a head count (5人) may follow the name
	noteName string // what the text is called when it is required ("" = optional)
}

// activityVerb fills in v's handler for kind k.
func (h *handlers) activityVerb(v *Verb, k activityKind) *Verb {
	v.Access, v.Creates, v.Subject = Officer, zsbot.KindActivity, zsbot.KindProject
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.activity(ctx, r, v, k) })
	return v
}

func (h *handlers) visitVerb() *Verb {
	return h.activityVerb(&Verb{Name: "拜访", Aliases: []string{"visit", "走访"},
		Usage: "拜访 <企业> [地点] [日期] [备注]", Example: "拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目",
		Brief: "记一次外出拜访"}, activityKind{kind: zsbot.KindVisit, cities: true})
}

func (h *handlers) receiveVerb() *Verb {
	return h.activityVerb(&Verb{Name: "接待", Aliases: []string{"receive"},
		Usage: "接待 <企业> [地点] [人数] [日期] [备注]", Example: "接待 中冶赛迪 5人 11月3日 考察珞璜园区",
		Brief: "记一批来访接待"}, activityKind{kind: zsbot.KindReception, cities: true, counts: true})
}

func (h *handlers) promoteVerb() *Verb {
	return h.activityVerb(&Verb{Name: "推介", Aliases: []string{"promote", "推介会"},
		Usage: "推介 <活动名称> [地点] [日期] [备注] [项目:<项目>]", Example: "推介 长三角地区推介会 上海 4月18日 30家企业",
		Brief: "记一场推介活动"}, activityKind{kind: zsbot.KindPromotion, about: aboutEvent, cities: true, counts: true})
}

func (h *handlers) talkVerb() *Verb {
	return h.activityVerb(&Verb{Name: "洽谈", Aliases: []string{"talk", "进展", "跟进"},
		Usage: "洽谈 <项目> <进展> [日期]", Example: "洽谈 诺比侃 已完成土地预审",
		Brief: "记项目洽谈进展，刷新最近跟进"}, activityKind{kind: zsbot.KindTalk, about: aboutProject, noteName: "洽谈进展"})
}

func (h *handlers) reviewVerb() *Verb {
	return h.activityVerb(&Verb{Name: "研判", Aliases: []string{"review"},
		Usage: "研判 <项目> <研判意见> [日期]", Example: "研判 诺比侃 同意推进",
		Brief: "记项目联合研判意见"}, activityKind{kind: zsbot.KindReview, about: aboutProject, noteName: "研判意见"})
}

// activity records one activity: the first word names its company, project
// or event; a date, city or head count may follow it or end the message;
// the rest is the note, as typed.
func (h *handlers) activity(ctx context.Context, r *Request, v *Verb, k activityKind) (string, error) {
	e := &extras{dates: true, cities: k.cities, anyPlace: k.cities, counts: k.counts, keys: []string{"城市", "地点", "人数", "项目", "日期"}}
	args := r.Args
	if k.about == aboutCompany {
		var err error
		if args, err = h.companyArgs(ctx, r.Tx, v, args); err != nil {
			return "", err
		}
	}
	f := splitFree(args, e.take)
	if f.name == "" {
		return "", usageError(v, "请写明"+map[about]string{aboutCompany: "企业", aboutProject: "项目", aboutEvent: "活动名称"}[k.about])
	}
	if e.date == "" {
		e.date = e.opts["日期"]
	}
	if f.slip != nil {
		return "", f.slip
	}
	if err := amountAsNote(v, f); err != nil {
		return "", err
	}
	a := &zsbot.Activity{Kind: k.kind, By: r.From, Chat: r.Chat, City: firstOf(e.opts["地点"], firstOf(e.opts["城市"], e.city)), Note: f.text}
	if err := checkPlace(v, a.City); err != nil {
		return "", err
	}
	var err error
	if a.Date, err = textDate(r, e); err != nil {
		return "", err
	}
	if s := firstOf(e.opts["人数"], e.count); s != "" {
		n, ok := headcount(s)
		if !ok {
			if n, ok = parse.ParseCount(s, ""); !ok {
				return "", usageError(v, "人数要写成数字，如 5人")
			}
		}
		a.Headcount = n
	}
	if k.noteName != "" {
		if err := needText(v, f, k.noteName, 500); err != nil {
			return "", err
		}
	}
	if k.about == aboutEvent {
		if err := checkNewName("活动名称", f.name); err != nil {
			return "", err
		}
		a.Note = strings.TrimSpace(f.name + " " + f.text)
	}
	if err := checkLen("备注", a.Note, 500); err != nil {
		return "", err
	}
	c := r.change(string(k.kind), "")
	co, p, created, err := h.activityAbout(ctx, r, k.about, f.name, e.opts["项目"])
	if err != nil {
		return "", err
	}
	if p != nil && k.about == aboutProject {
		if err := h.mayWriteProject(ctx, r, p, "记"+v.Name); err != nil {
			return "", err
		}
	}
	if created {
		c.Add(nil, co)
	}
	if co != nil {
		a.Company = co.ID
	}
	followed := false
	if p != nil {
		a.Project, c.Audit.Project = p.ID, p.ID
		if followed = a.Date > p.FollowedOn; followed {
			after := *p
			after.FollowedOn = a.Date
			c.Add(p, &after)
		}
	}
	if a.ID, err = r.Tx.NextID(ctx, zsbot.KindActivity); err != nil {
		return "", err
	}
	c.Audit.Summary = string(k.kind) + " " + a.ID
	c.Add(nil, a)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return activityReply(a, f, co, p, created, followed, parse.YearNote(e.date, a.Date, r.Today)), nil
}

// activityAbout finds what an activity is about: its company and project
// (either may be nil), and whether the company is new and not yet stored.
func (h *handlers) activityAbout(ctx context.Context, r *Request, ab about, name, projectWord string) (*zsbot.Company, *zsbot.Project, bool, error) {
	st := r.Tx
	switch ab {
	case aboutCompany:
		return h.activityTarget(ctx, r, name, projectWord)
	case aboutEvent:
		if projectWord == "" {
			return nil, nil, false, nil
		}
		p, err := h.findProject(ctx, st, projectWord)
		return nil, p, false, err
	}
	co, p, err := h.projectOrCompany(ctx, st, name)
	return co, p, false, err
}

// projectOrCompany resolves a word to a project and its company or, when no
// project matches, to a known company alone (talks before any project).
func (h *handlers) projectOrCompany(ctx context.Context, st zsbot.Store, word string) (*zsbot.Company, *zsbot.Project, error) {
	p, err := h.findProject(ctx, st, word)
	if err == nil {
		return h.companyOf(ctx, st, p), p, nil
	}
	if zsbot.ErrorCode(err) != zsbot.ENOTFOUND || isProjectID(word) {
		return nil, nil, err
	}
	n, nerr := h.names(ctx, st)
	if nerr != nil {
		return nil, nil, nerr
	}
	co, cerr := h.findCompany(ctx, st, n, word)
	if cerr != nil || co != nil {
		return co, nil, cerr
	}
	return nil, nil, err
}

// companyOf returns a project's company, or nil when it has none.
func (h *handlers) companyOf(ctx context.Context, st zsbot.Store, p *zsbot.Project) *zsbot.Company {
	if p.Company == "" {
		return nil
	}
	co, err := st.Company(ctx, p.Company)
	if err != nil {
		return nil
	}
	return co
}

// activityTarget finds the company (and, when it is clear, the project) a
// visit or reception is about: the record the officer chose for the word,
// the company it names exactly, or the project it names by ID or exactly.
// A word that names none is a new company, not yet stored — unless it is
// close to known companies or held in projects' names, which is asked
// about (companyFor).
func (h *handlers) activityTarget(ctx context.Context, r *Request, word, projectWord string) (*zsbot.Company, *zsbot.Project, bool, error) {
	st := r.Tx
	n, err := h.names(ctx, st)
	if err != nil {
		return nil, nil, false, err
	}
	var p *zsbot.Project
	if projectWord != "" {
		if p, err = h.findProject(ctx, st, projectWord); err != nil {
			return nil, nil, false, err
		}
	}
	asNew := false
	if a := r.answered(word); a != nil {
		if asNew = a.id == ""; !asNew {
			word = a.id // the company or project chosen
		}
	}
	var co *zsbot.Company
	if !asNew {
		if co, err = h.exactCompany(ctx, st, n, word); err != nil {
			return nil, nil, false, err
		}
	}
	if co == nil && p == nil && !asNew && (isProjectID(word) || len(n.exactProjects(word)) > 0) {
		if p, err = h.findProject(ctx, st, word); err != nil {
			return nil, nil, false, err
		}
		co = h.companyOf(ctx, st, p)
	}
	created := false
	if co == nil {
		var also func([]zsbot.NameRef) []zsbot.NameRef
		if p == nil {
			also = func(near []zsbot.NameRef) []zsbot.NameRef { return n.projectsHolding(word, near) }
		}
		if co, created, err = h.companyFor(ctx, r, n, word, "", also); err != nil {
			return nil, nil, false, err
		}
	}
	if p == nil && !created {
		p, err = h.soleProject(ctx, st, n, co.ID)
	}
	return co, p, created, err
}

// exactProjects returns the projects word names by their exact name or
// match key.
func (n *names) exactProjects(word string) []zsbot.NameRef {
	q := parse.NameKey(word)
	if q == "" {
		return nil
	}
	return n.refs(n.projects, n.projectByName.at(word), n.projectByKey.at(q))
}

// soleProject returns a company's only live project, or nil.
func (h *handlers) soleProject(ctx context.Context, st zsbot.Store, n *names, company string) (*zsbot.Project, error) {
	var only string
	for _, i := range n.projectByCompany.at(company) {
		if p := n.projects[i]; p.Stage != zsbot.StageDropped {
			if only != "" {
				return nil, nil
			}
			only = p.ID
		}
	}
	if only == "" {
		return nil, nil
	}
	return st.Project(ctx, only)
}

func isProjectID(w string) bool {
	k, _, ok := parse.ParseID(w)
	return ok && k == 'P'
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func activityReply(a *zsbot.Activity, f freeText, co *zsbot.Company, p *zsbot.Project, created, followed bool, year string) string {
	var b strings.Builder
	subject, note := f.name, a.Note
	switch {
	case a.Kind == zsbot.KindPromotion:
		note = f.text
	case p != nil && (a.Kind == zsbot.KindTalk || a.Kind == zsbot.KindReview):
		subject = p.ID + " " + p.Name
	case co != nil:
		subject = co.Name
	}
	fmt.Fprintf(&b, "已记录%s %s：%s，%s%s", a.Kind, a.ID, subject, a.Date.Chinese(), year)
	if a.City != "" {
		b.WriteString("，" + a.City)
	}
	if a.Headcount > 0 {
		fmt.Fprintf(&b, "，%d人", a.Headcount)
	}
	if p != nil && !strings.HasPrefix(subject, p.ID+" ") {
		fmt.Fprintf(&b, "，项目 %s %s", p.ID, p.Name)
	}
	b.WriteString("。")
	if note != "" {
		b.WriteString("内容：" + clip(note, 60) + "。")
	}
	if followed && a.Kind != zsbot.KindVisit && a.Kind != zsbot.KindReception {
		b.WriteString("最近跟进已更新。")
	}
	if co != nil {
		b.WriteString("\n" + companyNote(co, created) + "。")
	}
	b.WriteString("\n" + undoHint)
	return b.String()
}

// amountAsNote refuses an activity whose whole note is an amount ("拜访
// 诺比侃 5亿"): an activity records no amount, and a bare amount as its
// note is a signing or a payment sent to the wrong verb, never a note.
func amountAsNote(v *Verb, f freeText) error {
	w := strings.TrimSpace(f.text)
	if w == "" || strings.ContainsAny(w, " ，,") || !strings.ContainsAny(w, "亿万元") || !parse.LooksLikeMoney(w) {
		return nil
	}
	return zsbot.Errorf(zsbot.EINVALID, "「%s」是金额，%s不记金额。签约请发「签约 %s %s」，到位请发「到位 %s %s」；要记在内容里请写成一句话，例如：%s %s 谈%s项目。",
		clip(w, 12), v.Name, clip(f.name, 20), clip(w, 12), clip(f.name, 20), clip(w, 12), v.Name, clip(f.name, 20), clip(w, 12))
}
