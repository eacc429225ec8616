package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// field is one thing 改 may change on a project.
type field struct {
	name       string
	label      string // how replies call it, when not name
	aliases    []string
	needsValue bool
	set        func(ctx context.Context, e *edit) error
}

// fields are the project fields 改 knows, in the order help lists them.
var fields = []*field{
	{name: "名称", aliases: []string{"项目名称", "项目名", "name"}, needsValue: true, set: setName},
	{name: "企业", aliases: []string{"公司", "企业名称", "company"}, needsValue: true, set: setCompany},
	{name: "金额", aliases: []string{"协议金额", "签约金额", "协议引资", "amount"}, needsValue: true, set: setAmount},
	{name: "计划金额", aliases: []string{"计划投资", "计划", "planned"}, needsValue: true, set: setPlanned},
	{name: "产业", aliases: []string{"行业", "industry"}, needsValue: true, set: setText("产业", 20, func(p *zsbot.Project) *string { return &p.Industry })},
	{name: "园区", aliases: []string{"park"}, needsValue: true, set: setPark},
	{name: "来源", aliases: []string{"source"}, needsValue: true, set: setText("来源", 20, func(p *zsbot.Project) *string { return &p.Source })},
	{name: "负责人", aliases: []string{"owner"}, needsValue: true, set: setOwner},
	{name: "市外", label: "市内外", aliases: []string{"市外项目"}, set: setOutOfCity(true)},
	{name: "市内", label: "市内外", aliases: []string{"市内项目"}, set: setOutOfCity(false)},
	{name: "签约日期", aliases: []string{"签约时间"}, needsValue: true, set: setDate(zsbot.StageSigned)},
	{name: "开工日期", aliases: []string{"开工时间"}, needsValue: true, set: setDate(zsbot.StageStarted)},
	{name: "投产日期", aliases: []string{"投产时间"}, needsValue: true, set: setDate(zsbot.StageOperating)},
	{name: "终止日期", aliases: []string{"终止时间"}, needsValue: true, set: setDate(zsbot.StageDropped)},
}

func lookupField(w string) *field {
	w = strings.ToLower(w)
	for _, f := range fields {
		if f.name == w || slices.Contains(f.aliases, w) {
			return f
		}
	}
	return nil
}

// splitField reads a field name at the start of w, returning the rest
// ("金额55亿" gives 金额 and "55亿"); the longest name wins.
func splitField(w string) (*field, string) {
	if f := lookupField(w); f != nil {
		return f, ""
	}
	var best *field
	var rest string
	n := 0
	for _, f := range fields {
		for _, name := range append([]string{f.name}, f.aliases...) {
			if t, ok := strings.CutPrefix(w, name); ok && len(name) > n && !parse.LooksLikeDate(w) {
				best, rest, n = f, t, len(name)
			}
		}
	}
	return best, rest
}

func fieldNames() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

func setName(ctx context.Context, e *edit) error {
	if err := checkNewName("项目名称", e.value); err != nil {
		return err
	}
	n, err := e.h.names(ctx, e.r.Tx)
	if err != nil {
		return err
	}
	for _, p := range n.projects {
		if p.Name == e.value && p.ID != e.before.ID {
			return zsbot.Errorf(zsbot.ECONFLICT, "已有项目叫「%s」（%s），请换一个名称。", e.value, p.ID)
		}
	}
	e.from, e.to, e.after.Name = e.before.Name, e.value, e.value
	return nil
}

func setCompany(ctx context.Context, e *edit) error {
	n, err := e.h.names(ctx, e.r.Tx)
	if err != nil {
		return err
	}
	co, created, err := e.h.companyFor(ctx, e.r, n, e.value, "", nil)
	if err != nil {
		return err
	}
	if old := e.h.companyOf(ctx, e.r.Tx, e.before); old != nil {
		e.from = old.Name
	}
	if created {
		e.created = co
	}
	e.note = "（" + companyNote(co, created) + "）"
	e.to, e.after.Company = co.Name, co.ID
	return nil
}

// setAmount changes the agreed amount at signing; every 增资 stays on top
// of it. An unsigned project has no agreed amount: its planned one changes.
func setAmount(ctx context.Context, e *edit) error {
	if e.before.SignedOn.IsZero() {
		e.label, e.note = "计划金额", "（项目未签约，改的是计划金额）"
		return setPlanned(ctx, e)
	}
	m, bare, err := parse.ParseMoney(e.value)
	if err != nil {
		return err
	}
	e.after.Signed = m
	e.after.Amount = m + e.before.Amount - e.before.Signed
	e.from, e.to = e.before.Signed.String(), m.String()
	if e.after.Amount != m {
		e.note = "，协议引资累计" + e.after.Amount.String()
	}
	e.note += (&amountDate{amount: m, bare: bare}).bareNote()
	return nil
}

func setPlanned(_ context.Context, e *edit) error {
	m, bare, err := parse.ParseMoney(e.value)
	if err != nil {
		return err
	}
	e.after.Planned = m
	e.from, e.to = e.before.Planned.String(), m.String()
	if e.before.Planned == 0 {
		e.from = ""
	}
	e.note += (&amountDate{amount: m, bare: bare}).bareNote()
	return nil
}

func setText(what string, max int, at func(*zsbot.Project) *string) func(context.Context, *edit) error {
	return func(_ context.Context, e *edit) error {
		if err := checkLen(what, e.value, max); err != nil {
			return err
		}
		e.from, e.to, *at(&e.after) = *at(e.before), e.value, e.value
		return nil
	}
}

// setPark sets a project's park to a listed one (any text of 20 characters
// when there is no list).
func setPark(ctx context.Context, e *edit) error {
	l, err := loadParks(ctx, e.r.Tx)
	if err != nil {
		return err
	}
	if e.value, err = l.resolve(e.value); err != nil {
		return err
	}
	return setText("园区", 20, func(p *zsbot.Project) *string { return &p.Park })(ctx, e)
}

func setOwner(ctx context.Context, e *edit) error {
	p, err := e.h.findPerson(ctx, e.r.Tx, e.value)
	if err != nil {
		return err
	}
	e.from, e.to, e.after.Owner = e.h.personName(ctx, e.r.Tx, e.before.Owner), p.Name, p.UserID
	if e.before.Owner == p.UserID {
		e.from = e.to
	}
	return nil
}

func setOutOfCity(out bool) func(context.Context, *edit) error {
	word := map[bool]string{true: "市外项目", false: "市内项目"}
	return func(_ context.Context, e *edit) error {
		e.from, e.to, e.after.OutOfCity = word[e.before.OutOfCity], word[out], out
		return nil
	}
}

// setDate changes the day a project reached a stage it has reached, keeping
// the stages in order: 开工 not before 签约, 投产 not before either, 终止
// not before any of them. The reply says which period's figures move.
func setDate(s zsbot.Stage) func(context.Context, *edit) error {
	return func(ctx context.Context, e *edit) error {
		p := &e.after
		at := map[zsbot.Stage]*zsbot.Date{zsbot.StageSigned: &p.SignedOn, zsbot.StageStarted: &p.StartedOn,
			zsbot.StageOperating: &p.OperatingOn, zsbot.StageDropped: &p.DroppedOn}[s]
		if at.IsZero() {
			return zsbot.Errorf(zsbot.ECONFLICT, "%s %s 还没有%s，不能改%s日期。", p.ID, p.Name, s, s)
		}
		d, err := eventDate(e.value, e.r.Today)
		if err != nil {
			return err
		}
		e.from, e.to = at.Chinese(), d.Chinese()
		old := *at
		*at = d
		order := [][2]zsbot.Date{{p.SignedOn, p.StartedOn}, {p.StartedOn, p.OperatingOn}, {p.SignedOn, p.OperatingOn},
			{p.SignedOn, p.DroppedOn}, {p.StartedOn, p.DroppedOn}, {p.OperatingOn, p.DroppedOn}}
		for _, pair := range order {
			if !pair[0].IsZero() && !pair[1].IsZero() && pair[1] < pair[0] {
				return zsbot.Errorf(zsbot.EINVALID, "改后阶段日期顺序不对（签约%s，开工%s，投产%s，终止%s），请核对。",
					orDash(p.SignedOn.Short()), orDash(p.StartedOn.Short()), orDash(p.OperatingOn.Short()), orDash(p.DroppedOn.Short()))
			}
		}
		if s == zsbot.StageSigned && d > old {
			if err := e.h.noMoneyBefore(ctx, e.r, p, d); err != nil {
				return err
			}
		}
		if s != zsbot.StageDropped {
			e.note = periodNote(string(s)+"项目", old, d)
		}
		return nil
	}
}

// noMoneyBefore refuses a signing date later than a payment or an 增资 of
// the project: 到位 and 增资 never precede the signing (as when they are
// recorded), or a period would count their money with no signing.
func (h *handlers) noMoneyBefore(ctx context.Context, r *Request, p *zsbot.Project, d zsbot.Date) error {
	pays, err := r.Tx.ProjectPayments(ctx, p.ID)
	if err != nil {
		return err
	}
	zs, err := r.Tx.ProjectIncreases(ctx, p.ID)
	if err != nil {
		return err
	}
	var early []string
	first := ""
	for _, f := range pays {
		if f.Date < d {
			early = append(early, fmt.Sprintf("到位 %s（%s）", f.ID, f.Date.Chinese()))
			first = firstOf(first, f.ID)
		}
	}
	for _, z := range zs {
		if z.Date < d {
			early = append(early, fmt.Sprintf("增资 %s（%s）", z.ID, z.Date.Chinese()))
			first = firstOf(first, z.ID)
		}
	}
	if len(early) == 0 {
		return nil
	}
	return zsbot.Errorf(zsbot.EINVALID, "签约日期不能晚于%s：到位和增资不早于签约。请先改它们的日期，例如：改 %s 日期 %s",
		strings.Join(early[:min(len(early), 3)], "、"), first, d.Chinese())
}

// periodNote says how a new date moves a record between the months the
// figures count it in ("", when it stays in its month).
func periodNote(what string, from, to zsbot.Date) string {
	if from.Year() == to.Year() && from.Month() == to.Month() {
		return ""
	}
	return fmt.Sprintf("；%s统计由%d年%d月改计入%d年%d月", what, from.Year(), from.Month(), to.Year(), to.Month())
}

// shown is how replies call f.
func (f *field) shown() string { return firstOf(f.label, f.name) }
