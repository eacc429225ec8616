package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) editVerb() *Verb {
	v := &Verb{Name: "改", Subject: zsbot.KindProject, Aliases: []string{"edit", "修改", "更正"}, Access: Officer,
		Usage: "改 <项目> <字段> <新值>；字段：名称 企业 金额 计划金额 产业 园区 负责人 来源 市外 市内 签约日期 开工日期 投产日期 终止日期。" +
			"其他记录按编号改：改 A12 日期 3月10日、改 F7 金额 1亿、改 T12 截止 1月10日、改 E3 名称 恒瑞医药",
		Example: "改 诺比侃 金额 55亿", Brief: "改项目或任一记录（按编号）的一项内容（负责人、本园区人员或领导）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.edit(ctx, r, v) })
	return v
}

// edit is one 改 in progress: the project before and after, the new value
// as typed, and what the reply shows.
type edit struct {
	h        *handlers
	r        *Request
	v        *Verb
	field    *field
	before   *zsbot.Project
	after    zsbot.Project
	value    string
	created  zsbot.Record // a company made on the way, or nil
	from, to string       // the value before and after, as shown
	label    string       // the field as the reply names it, when not the field's own
	note     string
}

// edit changes one field of a project, or of the record an ID names
// (editrec.go), audited like every write.
func (h *handlers) edit(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) > 0 {
		if kind, _, ok := parse.ParseID(r.Words[0]); ok && kind != 'P' {
			return h.editRecord(ctx, r, v, kind)
		}
	}
	name, key, word, value, err := editArgs(r, v, func(w string) (string, string) {
		if f, rest := splitField(w); f != nil {
			return f.name, rest
		}
		return "", ""
	})
	if err != nil {
		return "", err
	}
	p, err := h.findProject(ctx, r.Tx, name)
	if err != nil {
		return "", err
	}
	if key == "" {
		return "", h.notAProjectField(ctx, r, v, p, word)
	}
	f := lookupField(key)
	if err := h.mayWriteProject(ctx, r, p, "修改"); err != nil {
		return "", err
	}
	e := &edit{h: h, r: r, v: v, field: f, before: p, after: *p, value: value}
	if f.needsValue && value == "" {
		return "", usageError(v, "请写明"+f.name+"的新值")
	}
	if !f.needsValue && value != "" {
		return "", usageError(v, fmt.Sprintf("「%s」后面不用写值，例如：改 %s %s", f.name, p.ID, f.name))
	}
	if err := f.set(ctx, e); err != nil {
		return "", err
	}
	if e.from == e.to {
		return fmt.Sprintf("%s %s 的%s本来就是%s，没有修改。", p.ID, p.Name, firstOf(e.label, f.shown()), orDash(e.to)), nil
	}
	c := r.change("改 "+p.ID+" "+f.name, p.ID)
	if e.created != nil {
		c.Add(nil, e.created)
	}
	c.Add(p, &e.after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已修改 %s %s：%s %s → %s%s。\n%s", p.ID, clip(e.after.Name, 30), firstOf(e.label, f.shown()), orDash(e.from), orDash(e.to), e.note, undoHint), nil
}

// editArgs reads "<记录> <字段> <新值>", also written "<记录> 金额:55亿",
// "<记录> 金额55亿" or "<记录> 金额 改为 55亿". split reads a field name at
// the start of a word: the field's key and the rest of the word ("" key
// when the word names no field; word is then the field as typed).
func editArgs(r *Request, v *Verb, split func(w string) (key, rest string)) (name, key, word, value string, err error) {
	if len(r.Words) == 0 {
		return "", "", "", "", usageError(v, "请写明项目、字段和新值")
	}
	name, rest := r.Words[0], r.Words[1:]
	switch {
	case len(r.Opts) == 1 && len(rest) == 0:
		for k, val := range r.Opts {
			word, value = k, val
		}
		if k, glued := split(word); k != "" && glued == "" {
			key = k
		}
	case len(r.Opts) > 0:
		return "", "", "", "", usageError(v, "一次只能改一项")
	case len(rest) == 0:
		return "", "", "", "", usageError(v, "请写明要改的字段和新值")
	default:
		word = rest[0]
		k, glued := split(word)
		key = k
		words := rest[1:]
		if glued != "" {
			words = append([]string{glued}, words...)
		}
		if len(words) > 0 {
			if t := trimTo(words[0]); t == "" {
				words = words[1:]
			} else {
				words[0] = t
			}
		}
		value = strings.Join(words, " ")
	}
	return name, key, word, value, nil
}

// trimTo drops the "改为", "改成", "为" officers put before a new value.
func trimTo(w string) string {
	for _, p := range []string{"改为", "改成", "变更为", "调整为", "更正为", "为", "成", "是"} {
		if t, ok := strings.CutPrefix(w, p); ok {
			return t
		}
	}
	return w
}

func unknownField(v *Verb, w string) error {
	return zsbot.Errorf(zsbot.EINVALID, "不能改「%s」。可改的字段：%s。例如：%s", clip(w, 10), strings.Join(fieldNames(), " "), v.Example)
}

// notAProjectField refuses a field that is no field of a project. Where it
// names records of the project (到位, 增资, 拜访, 任务), it lists them with
// their IDs, since each is corrected by its own ID.
func (h *handlers) notAProjectField(ctx context.Context, r *Request, v *Verb, p *zsbot.Project, w string) error {
	var lines []string
	var what, example string
	switch {
	case slices.Contains([]string{"到位", "到位资金", "资金", "资金到位", "到位金额"}, w):
		pays, err := r.Tx.ProjectPayments(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, f := range pays {
			lines = append(lines, fmt.Sprintf("%s %s %s", f.ID, f.Amount, f.Date.Chinese()))
		}
		what, example = "到位资金", "金额 1亿"
	case slices.Contains([]string{"增资", "增资金额"}, w):
		zs, err := r.Tx.ProjectIncreases(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, z := range zs {
			lines = append(lines, fmt.Sprintf("%s %s %s", z.ID, z.Amount, z.Date.Chinese()))
		}
		what, example = "增资", "金额 5亿"
	case slices.Contains([]string{"拜访", "接待", "洽谈", "活动", "推介", "研判"}, w):
		acts, err := r.Tx.ProjectActivities(ctx, p.ID, maxChoices)
		if err != nil {
			return err
		}
		for _, a := range acts {
			lines = append(lines, fmt.Sprintf("%s %s %s", a.ID, a.Kind, a.Date.Chinese()))
		}
		what, example = "活动", "日期 3月10日"
	case slices.Contains([]string{"任务", "截止", "截止日期"}, w):
		ts, err := r.Tx.ProjectTasks(ctx, p.ID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			lines = append(lines, fmt.Sprintf("%s %s（%s到期）", t.ID, clip(t.Text, 20), t.Due.Short()))
		}
		what, example = "任务", "截止 1月10日"
	default:
		return unknownField(v, w)
	}
	if len(lines) == 0 {
		return zsbot.Errorf(zsbot.ENOTFOUND, "%s %s 没有%s记录。", p.ID, clip(p.Name, 20), what)
	}
	id, _, _ := strings.Cut(lines[0], " ")
	return zsbot.Errorf(zsbot.EINVALID, "%s每笔有自己的编号，请按编号改，例如：改 %s %s。%s %s 的%s：\n%s",
		what, id, example, p.ID, clip(p.Name, 20), what, list(lines, maxChoices))
}
