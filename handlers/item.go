package handlers

import (
	"context"
	"fmt"

	"zsbot"
)

func (h *handlers) issueVerb() *Verb {
	v := &Verb{Name: "协调", Subject: zsbot.KindProject, Aliases: []string{"issue", "协调事项"}, Access: Officer, Creates: zsbot.KindItem,
		Usage: "协调 <项目> <需协调的问题>", Example: "协调 诺比侃 用电指标需区里协调",
		Brief: "提出需区里协调的事项，列入月度协调"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.issue(ctx, r, v) })
	return v
}

// issue opens a coordination item on a project.
func (h *handlers) issue(ctx context.Context, r *Request, v *Verb) (string, error) {
	p, text, d, err := h.projectNote(ctx, r, v, "需协调的问题", 300)
	if err != nil {
		return "", err
	}
	if p.Stage == zsbot.StageDropped {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能再提协调事项。", p.ID, p.Name)
	}
	if err := h.mayWriteProject(ctx, r, p, "给项目提协调事项"); err != nil {
		return "", err
	}
	id, err := r.Tx.NextID(ctx, zsbot.KindItem)
	if err != nil {
		return "", err
	}
	it := &zsbot.Item{ID: id, Project: p.ID, Text: text, OpenedOn: d, By: r.From}
	c := r.change("协调 "+id, p.ID)
	c.Add(nil, it)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已登记协调事项 %s：%s %s「%s」，将列入月度协调。\n解决后发送「解决 %s 结果」；%s",
		id, p.ID, clip(p.Name, 20), clip(it.Text, 40), id, undoHint), nil
}

func (h *handlers) resolveVerb() *Verb {
	v := &Verb{Name: "解决", Subject: zsbot.KindItem, Aliases: []string{"resolve"}, Access: Officer,
		Usage: "解决 <事项编号> [结果] [日期]", Example: "解决 C7 已落实",
		Brief: "关闭一项协调事项"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.resolve(ctx, r, v) })
	return v
}

// items is how 解决 finds a coordination item.
func (h *handlers) items(st zsbot.Store) closing[*zsbot.Item] {
	return closing[*zsbot.Item]{prefix: 'C', what: "协调事项", st: st, get: st.Item, list: st.ProjectItems,
		ref: func(i *zsbot.Item) openRef { return openRef{i.ID, i.Text, i.ResolvedOn.IsZero()} }}
}

// resolve closes a coordination item with its outcome.
func (h *handlers) resolve(ctx context.Context, r *Request, v *Verb) (string, error) {
	e := &extras{dates: true}
	f := splitFree(r.Args, e.take)
	if f.name == "" {
		return "", usageError(v, "请写明事项编号")
	}
	if err := oneID(v, f); err != nil {
		return "", err
	}
	if err := checkLen("结果", f.text, 300); err != nil {
		return "", err
	}
	d, err := textDate(r, e)
	if err != nil {
		return "", err
	}
	it, err := h.items(r.Tx).find(ctx, h, v, f.name, "")
	if err != nil {
		return "", err
	}
	if err := h.mayResolveItem(ctx, r, it); err != nil {
		return "", err
	}
	if !it.ResolvedOn.IsZero() {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "协调事项 %s 已于%s解决。", it.ID, it.ResolvedOn.Chinese())
	}
	after := *it
	after.ResolvedOn, after.Resolution = d, f.text
	ch := r.change("解决 "+it.ID, it.Project)
	ch.Add(it, &after)
	if _, err := r.Tx.Apply(ctx, ch); err != nil {
		return "", err
	}
	outcome := ""
	if f.text != "" {
		outcome = "，结果：" + clip(f.text, 40)
	}
	return fmt.Sprintf("已解决协调事项 %s「%s」（%s），%s%s。\n%s", it.ID, clip(it.Text, 40), it.Project, d.Chinese(), outcome, undoHint), nil
}
