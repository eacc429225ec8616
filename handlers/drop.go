package handlers

import (
	"context"
	"fmt"

	"zsbot"
)

func (h *handlers) dropVerb() *Verb {
	v := &Verb{Name: "终止", Subject: zsbot.KindProject, Aliases: []string{"drop"}, Access: Officer,
		Usage: "终止 <项目> <原因> [日期]", Example: "终止 晶帆光电 企业战略调整",
		Brief: "终止项目并记原因（负责人、本园区人员或领导）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.drop(ctx, r, v) })
	return v
}

// drop takes a project from any live stage to 终止, with the reason. Its
// stage dates stay, so a signing that was counted stays counted in its
// period.
func (h *handlers) drop(ctx context.Context, r *Request, v *Verb) (string, error) {
	p, text, d, err := h.projectNote(ctx, r, v, "终止原因", 200)
	if err != nil {
		return "", err
	}
	if p.Stage == zsbot.StageDropped {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已于%s终止（%s）。", p.ID, p.Name, p.DroppedOn.Chinese(), p.DropReason)
	}
	if err := h.mayWriteProject(ctx, r, p, "终止"); err != nil {
		return "", err
	}
	after := *p
	after.Stage, after.DroppedOn, after.DropReason = zsbot.StageDropped, d, text
	c := r.change("终止 "+p.ID, p.ID)
	c.Add(p, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已终止项目 %s %s（原为%s），终止日期%s，原因：%s。\n%s",
		p.ID, p.Name, p.Stage, d.Chinese(), clip(text, 60), undoHint), nil
}
