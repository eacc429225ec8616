package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) editVerb() *Verb {
	v := &Verb{Name: "改", Subject: zsbot.KindProject, Aliases: []string{"edit", "修改", "更正"}, Access: Officer,
		Usage:   "改 <项目> <字段> <新值>；字段：名称 企业 金额 计划金额 产业 园区 负责人 来源 市外 市内 签约日期 开工日期 投产日期",
		Example: "改 诺比侃 金额 55亿", Brief: "改项目的一项内容（负责人、本园区人员或领导）"}
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

// edit changes one field of a project, audited like every write.
func (h *handlers) edit(ctx context.Context, r *Request, v *Verb) (string, error) {
	name, f, value, err := editArgs(r, v)
	if err != nil {
		return "", err
	}
	p, err := h.findProject(ctx, r.Tx, name)
	if err != nil {
		return "", err
	}
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

// editArgs reads "<项目> <字段> <新值>", also written "<项目> 金额:55亿",
// "<项目> 金额55亿" or "<项目> 金额 改为 55亿".
func editArgs(r *Request, v *Verb) (name string, f *field, value string, err error) {
	if len(r.Words) == 0 {
		return "", nil, "", usageError(v, "请写明项目、字段和新值")
	}
	name, rest := r.Words[0], r.Words[1:]
	switch {
	case len(r.Opts) == 1 && len(rest) == 0:
		for k, val := range r.Opts {
			f, value = lookupField(k), val
		}
		if f == nil {
			return "", nil, "", unknownField(v, fieldWord(r.Opts))
		}
	case len(r.Opts) > 0:
		return "", nil, "", usageError(v, "一次只能改一项")
	case len(rest) == 0:
		return "", nil, "", usageError(v, "请写明要改的字段和新值")
	default:
		var glued string
		if f, glued = splitField(rest[0]); f == nil {
			return "", nil, "", unknownField(v, rest[0])
		}
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
	return name, f, value, nil
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

func fieldWord(opts map[string]string) string {
	for k := range opts {
		return k
	}
	return ""
}

func unknownField(v *Verb, w string) error {
	return zsbot.Errorf(zsbot.EINVALID, "不能改「%s」。可改的字段：%s。例如：%s", clip(w, 10), strings.Join(fieldNames(), " "), v.Example)
}
