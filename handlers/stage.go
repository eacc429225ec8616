package handlers

import (
	"context"
	"fmt"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) signVerb() *Verb {
	v := &Verb{Name: "签约", Aliases: []string{"sign"}, Access: Officer,
		Usage: "签约 <项目> <协议金额> [日期]", Example: "签约 诺比侃 51亿 12月20日",
		Brief: "项目签约，记协议引资"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.sign(ctx, r, v) })
	return v
}

func (h *handlers) sign(ctx context.Context, r *Request, v *Verb) (string, error) {
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	ad, err := takeAmountDate(r, v, rest, true, parse.Past)
	if err != nil {
		return "", err
	}
	p, err := h.findProject(ctx, name)
	if err != nil {
		return "", err
	}
	switch {
	case !p.SignedOn.IsZero():
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s签约（%s），不能重复签约。追加投资请用：增资 %s 5亿", p.ID, p.Name, p.SignedOn.Chinese(), p.Amount, p.ID)
	case p.Stage == zsbot.StageDropped:
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能签约。", p.ID, p.Name)
	}
	after := *p
	after.Stage, after.SignedOn, after.Signed, after.Amount = zsbot.StageSigned, ad.date, ad.amount, ad.amount
	after.FollowedOn = maxDate(after.FollowedOn, ad.date)
	c := r.change("签约 "+p.ID, p.ID)
	c.Add(p, &after)
	if _, err := h.store.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录签约：%s %s，协议引资%s%s，签约日期%s。\n%s", p.ID, p.Name, ad.amount, ad.bareNote(), ad.date.Chinese(), undoHint), nil
}

func (h *handlers) startVerb() *Verb {
	v := &Verb{Name: "开工", Aliases: []string{"start"}, Access: Officer,
		Usage: "开工 <项目> [日期]", Example: "开工 晶帆光电 3月1日", Brief: "已签约项目开工"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.start(ctx, r, v) })
	return v
}

func (h *handlers) start(ctx context.Context, r *Request, v *Verb) (string, error) {
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	d, err := onlyDate(r, v, rest)
	if err != nil {
		return "", err
	}
	p, err := h.findProject(ctx, name)
	if err != nil {
		return "", err
	}
	switch {
	case p.Stage == zsbot.StageDropped:
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能开工。", p.ID, p.Name)
	case p.SignedOn.IsZero():
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 还未签约，不能开工。请先：签约 %s 10亿", p.ID, p.Name, p.ID)
	case !p.StartedOn.IsZero():
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s开工。", p.ID, p.Name, p.StartedOn.Chinese())
	case d < p.SignedOn:
		return "", zsbot.Errorf(zsbot.EINVALID, "开工日期%s早于签约日期%s，请核对。", d.Chinese(), p.SignedOn.Chinese())
	}
	after := *p
	after.Stage, after.StartedOn = zsbot.StageStarted, d
	after.FollowedOn = maxDate(after.FollowedOn, d)
	c := r.change("开工 "+p.ID, p.ID)
	c.Add(p, &after)
	if _, err := h.store.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录开工：%s %s，开工日期%s。\n%s", p.ID, p.Name, d.Chinese(), undoHint), nil
}

func (h *handlers) fundVerb() *Verb {
	v := &Verb{Name: "到位", Aliases: []string{"fund", "funds"}, Access: Officer,
		Usage: "到位 <项目> <金额> [日期]", Example: "到位 康硕 3.5亿 11月30日", Brief: "记一笔到位资金"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.fund(ctx, r, v) })
	return v
}

func (h *handlers) fund(ctx context.Context, r *Request, v *Verb) (string, error) {
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	ad, err := takeAmountDate(r, v, rest, true, parse.Past)
	if err != nil {
		return "", err
	}
	if len(ad.rest) > 0 {
		return "", usageError(v, fmt.Sprintf("看不懂「%s」", clip(ad.rest[0], 20)))
	}
	p, err := h.findProject(ctx, name)
	if err != nil {
		return "", err
	}
	if p.SignedOn.IsZero() || p.Stage == zsbot.StageDropped {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 是%s项目，到位资金只记已签约的项目。", p.ID, p.Name, p.Stage)
	}
	id, err := h.store.NextID(ctx, zsbot.KindPayment)
	if err != nil {
		return "", err
	}
	pay := &zsbot.Payment{ID: id, Project: p.ID, Date: ad.date, Amount: ad.amount, By: r.From}
	after := *p
	after.Funds += ad.amount
	after.FollowedOn = maxDate(after.FollowedOn, ad.date)
	c := r.change("到位 "+p.ID, p.ID)
	c.Add(nil, pay)
	c.Add(p, &after)
	if _, err := h.store.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录到位资金：%s %s %s%s（%s），累计到位%s。\n%s", p.ID, p.Name, ad.amount, ad.bareNote(), ad.date.Chinese(), after.Funds, undoHint), nil
}

// onlyDate reads an optional date (default today) from the words after a
// project; anything else is refused.
func onlyDate(r *Request, v *Verb, words []string) (zsbot.Date, error) {
	switch len(words) {
	case 0:
		return r.Today, nil
	case 1:
		return parse.ParseDate(words[0], r.Today, parse.Past)
	}
	return 0, usageError(v, fmt.Sprintf("看不懂「%s」", clip(words[1], 20)))
}

func maxDate(a, b zsbot.Date) zsbot.Date {
	if a > b {
		return a
	}
	return b
}
