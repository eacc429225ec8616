package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

func (h *handlers) mergeVerb() *Verb {
	v := &Verb{Name: "合并", Aliases: []string{"merge"}, Access: Officer,
		Usage:   "合并 <企业编号> 到 <企业编号>，或 合并 <项目编号> 到 <项目编号>：前者的记录全部移到后者，前者删除",
		Example: "合并 E11 到 E3", Brief: "合并重复的企业或项目（原名成为别名，可撤销）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.merge(ctx, r, v) })
	return v
}

// merge moves every record of one company (or project) to another and
// removes the first, as one audited change that one 撤销 reverts. A
// company's name and short names become short names of the one kept, so
// that what officers type still finds it, and 拜访家数 counts it once.
func (h *handlers) merge(ctx context.Context, r *Request, v *Verb) (string, error) {
	from, to, err := mergeArgs(r, v)
	if err != nil {
		return "", err
	}
	fk, _, _ := parse.ParseID(from)
	tk, _, _ := parse.ParseID(to)
	switch {
	case fk != tk || fk != 'E' && fk != 'P':
		return "", usageError(v, "只能合并两家企业（E）或两个项目（P）")
	case from == to:
		return "", usageError(v, "请写两个不同的编号")
	}
	kind := kindOfPrefix(fk)
	old, oldP, err := recordAndProject(ctx, r.Tx, kind, from)
	if err != nil {
		return "", err
	}
	keep, keepP, err := recordAndProject(ctx, r.Tx, kind, to)
	if err != nil {
		return "", err
	}
	for _, x := range []struct {
		rec zsbot.Record
		p   *zsbot.Project
	}{{old, oldP}, {keep, keepP}} {
		if err := h.mayCorrect(ctx, r, x.rec, x.p, "合并"); err != nil {
			return "", err
		}
	}
	if kind == zsbot.KindCompany {
		return h.mergeCompanies(ctx, r, old.(*zsbot.Company), keep.(*zsbot.Company))
	}
	return h.mergeProjects(ctx, r, oldP, keepP)
}

// mergeArgs reads "<编号> 到 <编号>", also "E5到E2" and "E5 E2".
func mergeArgs(r *Request, v *Verb) (from, to string, err error) {
	words := slices.Clone(r.Words)
	if len(words) == 1 {
		for _, sep := range []string{"到", "并入", "→"} {
			if a, b, ok := strings.Cut(words[0], sep); ok {
				words = []string{a, b}
				break
			}
		}
	}
	if len(words) == 3 && slices.Contains([]string{"到", "并入", "至", "into", "→"}, words[1]) {
		words = []string{words[0], words[2]}
	}
	if len(words) != 2 || len(r.Opts) > 0 {
		return "", "", usageError(v, "请写明两个编号")
	}
	for _, w := range words {
		if _, _, ok := parse.ParseID(w); !ok {
			return "", "", usageError(v, fmt.Sprintf("「%s」不是编号，合并只按编号（查 <名称> 可看编号）", clip(w, 20)))
		}
	}
	return strings.ToUpper(parse.Normalize(words[0])), strings.ToUpper(parse.Normalize(words[1])), nil
}

// mergeCompanies moves old's projects and activities to keep, makes old's
// names short names of keep, and removes old.
func (h *handlers) mergeCompanies(ctx context.Context, r *Request, old, keep *zsbot.Company) (string, error) {
	c := r.change("合并 "+old.ID+" 到 "+keep.ID, "")
	ps, err := h.companyProjects(ctx, r.Tx, old.ID)
	if err != nil {
		return "", err
	}
	for _, p := range ps {
		after := *p
		after.Company = keep.ID
		c.Add(p, &after)
	}
	acts, err := r.Tx.CompanyActivities(ctx, old.ID)
	if err != nil {
		return "", err
	}
	for _, a := range acts {
		after := *a
		after.Company = keep.ID
		c.Add(a, &after)
	}
	kept := copyRecord(keep).(*zsbot.Company)
	for _, name := range append([]string{old.Name}, old.Aliases...) {
		if name != kept.Name && !slices.Contains(kept.Aliases, name) {
			kept.Aliases = append(kept.Aliases, name)
		}
	}
	for _, t := range old.Tags {
		if !slices.Contains(kept.Tags, t) {
			kept.Tags = append(kept.Tags, t)
		}
	}
	kept.Region = firstOf(kept.Region, old.Region)
	c.Add(keep, kept)
	c.Add(old, nil)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已把企业 %s %s 合并到 %s %s：项目%d个、活动%d条移到 %s，「%s」成为 %s 的简称（拜访家数按一家计）；%s 已删除。\n%s",
		old.ID, clip(old.Name, 20), keep.ID, clip(keep.Name, 20), len(ps), len(acts), keep.ID, clip(old.Name, 20), keep.ID, old.ID, undoHint), nil
}

// stageRank orders the live stages.
var stageRank = map[zsbot.Stage]int{zsbot.StageTalking: 0, zsbot.StageSigned: 1, zsbot.StageStarted: 2, zsbot.StageOperating: 3}

// mergeProjects moves old's activities, payments, increases, tasks and
// items to keep, which takes what it lacks of old (company, amounts, stage
// dates: a signing it has not, the furthest stage); old is removed. When
// both were signed, keep's signing stands and old's 增资 move onto it.
func (h *handlers) mergeProjects(ctx context.Context, r *Request, old, keep *zsbot.Project) (string, error) {
	if keep.Stage == zsbot.StageDropped {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s %s 已终止，不能合并到它；可反过来：合并 %s 到 %s", keep.ID, clip(keep.Name, 20), keep.ID, old.ID)
	}
	c := r.change("合并 "+old.ID+" 到 "+keep.ID, keep.ID)
	acts, err := r.Tx.ProjectActivities(ctx, old.ID, maxDependants)
	if err != nil {
		return "", err
	}
	for _, a := range acts {
		after := *a
		after.Project = keep.ID
		if keep.Company != "" && a.Company == old.Company {
			after.Company = keep.Company
		}
		c.Add(a, &after)
	}
	pays, err := r.Tx.ProjectPayments(ctx, old.ID)
	if err != nil {
		return "", err
	}
	for _, f := range pays {
		after := *f
		after.Project = keep.ID
		c.Add(f, &after)
	}
	zs, err := r.Tx.ProjectIncreases(ctx, old.ID)
	if err != nil {
		return "", err
	}
	for _, z := range zs {
		after := *z
		after.Project = keep.ID
		c.Add(z, &after)
	}
	ts, err := r.Tx.ProjectTasks(ctx, old.ID)
	if err != nil {
		return "", err
	}
	for _, t := range ts {
		after := *t
		after.Project = keep.ID
		c.Add(t, &after)
	}
	items, err := r.Tx.ProjectItems(ctx, old.ID)
	if err != nil {
		return "", err
	}
	for _, it := range items {
		after := *it
		after.Project = keep.ID
		c.Add(it, &after)
	}
	moved := len(acts) + len(pays) + len(zs) + len(ts) + len(items)
	k := *keep
	note := ""
	k.Company = firstOf(k.Company, old.Company)
	k.Industry, k.Park, k.Source = firstOf(k.Industry, old.Industry), firstOf(k.Park, old.Park), firstOf(k.Source, old.Source)
	if k.Planned == 0 {
		k.Planned = old.Planned
	}
	k.Funds += old.Funds
	switch {
	case k.SignedOn.IsZero() && !old.SignedOn.IsZero():
		k.SignedOn, k.Signed, k.Amount = old.SignedOn, old.Signed, k.Amount+old.Amount
	case !old.SignedOn.IsZero():
		k.Amount += old.Amount - old.Signed
		note = fmt.Sprintf("；两个项目都已签约，保留 %s 的签约（%s %s），%s 的签约（%s）不再计入", keep.ID, keep.Signed, keep.SignedOn.Short(), old.ID, old.Signed)
	}
	if k.StartedOn.IsZero() {
		k.StartedOn = old.StartedOn
	}
	if k.OperatingOn.IsZero() {
		k.OperatingOn = old.OperatingOn
	}
	if rank, ok := stageRank[old.Stage]; ok && rank > stageRank[k.Stage] {
		k.Stage = old.Stage
	}
	if k.CreatedOn.IsZero() || !old.CreatedOn.IsZero() && old.CreatedOn < k.CreatedOn {
		k.CreatedOn = old.CreatedOn
	}
	k.FollowedOn = maxDate(k.FollowedOn, old.FollowedOn)
	if !k.StartedOn.IsZero() && k.StartedOn < k.SignedOn || !k.OperatingOn.IsZero() && k.OperatingOn < max(k.SignedOn, k.StartedOn) {
		return "", zsbot.Errorf(zsbot.EINVALID, "合并后阶段日期顺序不对（签约%s，开工%s，投产%s），请先用「改」核对两个项目的日期。",
			orDash(k.SignedOn.Short()), orDash(k.StartedOn.Short()), orDash(k.OperatingOn.Short()))
	}
	c.Add(keep, &k)
	c.Add(old, nil)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已把项目 %s %s 合并到 %s %s：%d条记录移到 %s；%s 现为%s，协议引资累计%s，累计到位%s%s；%s 已删除。\n%s",
		old.ID, clip(old.Name, 20), keep.ID, clip(keep.Name, 20), moved, keep.ID, keep.ID, k.Stage, k.Amount, k.Funds, note, old.ID, undoHint), nil
}
