package handlers

import (
	"context"
	"fmt"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) increaseVerb() *Verb {
	v := &Verb{Name: "增资", Subject: zsbot.KindProject, Aliases: []string{"increase", "追加投资"}, Access: Officer, Creates: zsbot.KindIncrease,
		Usage: "增资 <项目> <金额> [日期]", Example: "增资 康硕 5亿",
		Brief: "已签约项目追加协议引资（签约项目数不变）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.increase(ctx, r, v) })
	return v
}

// increase records an 增资: a dated Increase, and the project's agreed
// amount grows by it. The project keeps its first signing, so it still
// counts once among the signed projects.
func (h *handlers) increase(ctx context.Context, r *Request, v *Verb) (string, error) {
	p, ad, err := h.signedAmount(ctx, r, v)
	if err != nil {
		return "", err
	}
	if err := checkIncrease(r, p, ad.amount); err != nil {
		return "", err
	}
	id, err := r.Tx.NextID(ctx, zsbot.KindIncrease)
	if err != nil {
		return "", err
	}
	z := &zsbot.Increase{ID: id, Project: p.ID, Date: ad.date, Amount: ad.amount, By: r.From}
	after := *p
	after.Amount += ad.amount
	after.FollowedOn = maxDate(after.FollowedOn, ad.date)
	c := r.change("增资 "+p.ID, p.ID)
	c.Add(nil, z)
	c.Add(p, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录增资 %s：%s %s 增资%s%s（%s%s），协议引资累计%s；签约项目数不变。\n%s",
		id, p.ID, p.Name, ad.amount, ad.bareNote(), ad.date.Chinese(), ad.year, after.Amount, undoHint), nil
}

// signedAmount reads "<项目> <金额> [日期]" for a command that adds money to
// a signed project (到位, 增资): the project, and the amount and day, which
// may not precede the signing.
func (h *handlers) signedAmount(ctx context.Context, r *Request, v *Verb) (*zsbot.Project, *amountDate, error) {
	if err := parse.CheckOpts(r.Opts); err != nil {
		return nil, nil, err
	}
	name, rest, err := needName(r, v)
	if err != nil {
		return nil, nil, err
	}
	ad, err := takeAmountDate(r, v, rest, true, parse.Past)
	if err != nil {
		return nil, nil, err
	}
	if len(ad.rest) > 0 {
		return nil, nil, usageError(v, fmt.Sprintf("看不懂「%s」", clip(ad.rest[0], 20)))
	}
	p, err := h.findProjectIn(ctx, r.Tx, name, zsbot.StageSigned, zsbot.StageStarted, zsbot.StageOperating)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case p.Stage == zsbot.StageDropped:
		return nil, nil, zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能记%s。", p.ID, p.Name, v.Name)
	case p.SignedOn.IsZero():
		return nil, nil, zsbot.Errorf(zsbot.ECONFLICT, "%s %s 是%s项目，%s只记已签约的项目。请先：签约 %s 10亿", p.ID, p.Name, p.Stage, v.Name, p.ID)
	case ad.date < p.SignedOn:
		return nil, nil, zsbot.Errorf(zsbot.EINVALID, "%s日期%s早于签约日期%s，请核对。", v.Name, ad.date.Chinese(), p.SignedOn.Chinese())
	}
	return p, ad, nil
}
