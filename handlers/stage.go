package handlers

import (
	"context"
	"fmt"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) signVerb() *Verb {
	v := &Verb{Name: "签约", Subject: zsbot.KindProject, Aliases: []string{"sign"}, Access: Officer,
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
	p, err := h.findProjectIn(ctx, r.Tx, name, zsbot.StageTalking)
	if err != nil {
		return "", err
	}
	switch {
	case !p.SignedOn.IsZero():
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s签约（%s），不能重复签约。追加投资请用：增资 %s 5亿", p.ID, p.Name, p.SignedOn.Chinese(), p.Amount, p.ID)
	case p.Stage == zsbot.StageDropped:
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能签约。", p.ID, p.Name)
	}
	if err := checkSign(r, p, ad.amount); err != nil {
		return "", err
	}
	after := *p
	after.Stage, after.SignedOn, after.Signed, after.Amount = zsbot.StageSigned, ad.date, ad.amount, ad.amount
	after.FollowedOn = maxDate(after.FollowedOn, ad.date)
	c := r.change("签约 "+p.ID, p.ID)
	c.Add(p, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录签约：%s %s，协议引资%s%s，签约日期%s%s。\n%s", p.ID, p.Name, ad.amount, ad.bareNote(), ad.date.Chinese(), ad.year, undoHint), nil
}

func (h *handlers) startVerb() *Verb {
	v := &Verb{Name: "开工", Subject: zsbot.KindProject, Aliases: []string{"start"}, Access: Officer,
		Usage: "开工 <项目> [日期]", Example: "开工 晶帆光电 3月1日", Brief: "已签约项目开工"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.move(ctx, r, v, zsbot.StageStarted) })
	return v
}

func (h *handlers) operateVerb() *Verb {
	v := &Verb{Name: "投产", Subject: zsbot.KindProject, Aliases: []string{"operate"}, Access: Officer,
		Usage: "投产 <项目> [日期]", Example: "投产 晶帆光电", Brief: "已签约（或开工）项目投产"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.move(ctx, r, v, zsbot.StageOperating) })
	return v
}

// move takes a signed project to 开工 or 投产 on a day (default today). A
// project that goes into operation without a recorded start is taken to
// have started that day, so the start figures stay whole.
func (h *handlers) move(ctx context.Context, r *Request, v *Verb, to zsbot.Stage) (string, error) {
	name, rest, err := needName(r, v)
	if err != nil {
		return "", err
	}
	d, year, err := onlyDate(r, v, rest)
	if err != nil {
		return "", err
	}
	p, err := h.findProjectIn(ctx, r.Tx, name, movesFrom[to]...)
	if err != nil {
		return "", err
	}
	if err := canMove(p, to, d); err != nil {
		return "", err
	}
	after := *p
	after.Stage = to
	after.FollowedOn = maxDate(after.FollowedOn, d)
	note := ""
	if after.StartedOn.IsZero() {
		after.StartedOn = d
		if to == zsbot.StageOperating {
			note = "此前未记开工，开工日期一并记为" + d.Short() + "，如有出入请用：改 " + p.ID + " 开工日期 3月1日。\n"
		}
	}
	if to == zsbot.StageOperating {
		after.OperatingOn = d
	}
	c := r.change(string(to)+" "+p.ID, p.ID)
	c.Add(p, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录%s：%s %s，%s日期%s%s。\n%s%s", to, p.ID, p.Name, to, d.Chinese(), year, note, undoHint), nil
}

// movesFrom are the stages a project may move to 开工 or 投产 from.
var movesFrom = map[zsbot.Stage][]zsbot.Stage{
	zsbot.StageStarted:   {zsbot.StageSigned},
	zsbot.StageOperating: {zsbot.StageSigned, zsbot.StageStarted},
}

// canMove refuses a stage change the project's history does not allow.
func canMove(p *zsbot.Project, to zsbot.Stage, d zsbot.Date) error {
	switch {
	case p.Stage == zsbot.StageDropped:
		return zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能%s。", p.ID, p.Name, to)
	case p.SignedOn.IsZero():
		return zsbot.Errorf(zsbot.ECONFLICT, "%s %s 还未签约，不能%s；%s只记已签约的项目。请先：签约 %s 10亿", p.ID, p.Name, to, to, p.ID)
	case to == zsbot.StageStarted && !p.StartedOn.IsZero():
		return zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s开工。", p.ID, p.Name, p.StartedOn.Chinese())
	case to == zsbot.StageOperating && !p.OperatingOn.IsZero():
		return zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s投产。", p.ID, p.Name, p.OperatingOn.Chinese())
	case d < p.SignedOn:
		return zsbot.Errorf(zsbot.EINVALID, "%s日期%s早于签约日期%s，请核对。", to, d.Chinese(), p.SignedOn.Chinese())
	case to == zsbot.StageOperating && d < p.StartedOn:
		return zsbot.Errorf(zsbot.EINVALID, "投产日期%s早于开工日期%s，请核对。", d.Chinese(), p.StartedOn.Chinese())
	}
	return nil
}

func (h *handlers) fundVerb() *Verb {
	v := &Verb{Name: "到位", Subject: zsbot.KindProject, Aliases: []string{"fund", "funds", "到位资金", "资金到位"}, Access: Officer, Creates: zsbot.KindPayment,
		Usage: "到位 <项目> <金额> [日期]", Example: "到位 康硕 3.5亿 11月30日", Brief: "记一笔到位资金"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.fund(ctx, r, v) })
	return v
}

func (h *handlers) fund(ctx context.Context, r *Request, v *Verb) (string, error) {
	p, ad, err := h.signedAmount(ctx, r, v)
	if err != nil {
		return "", err
	}
	if err := checkFund(r, p, ad.amount); err != nil {
		return "", err
	}
	id, err := r.Tx.NextID(ctx, zsbot.KindPayment)
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
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已记录到位资金 %s：%s %s %s%s（%s%s），累计到位%s。\n%s", id, p.ID, p.Name, ad.amount, ad.bareNote(), ad.date.Chinese(), ad.year, after.Funds, undoHint), nil
}

// onlyDate reads an optional date (default today; a time of day is
// dropped) from the words after a project, and the reply's note when a
// yearless date fell a year back; anything else is refused.
func onlyDate(r *Request, v *Verb, words []string) (zsbot.Date, string, error) {
	_, dw, rest := parse.TakeMoneyDate(words, false, true)
	switch {
	case len(rest) > 0:
		return 0, "", usageError(v, fmt.Sprintf("看不懂「%s」", clip(rest[0], 20)))
	case dw == "":
		return r.Today, "", nil
	}
	d, err := eventDate(dw, r.Today)
	if err != nil {
		return 0, "", err
	}
	return d, parse.YearNote(dw, d, r.Today), nil
}

func maxDate(a, b zsbot.Date) zsbot.Date {
	if a > b {
		return a
	}
	return b
}
