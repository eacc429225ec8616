package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"zsbot"
)

// undoWindow is how long a write may still be undone.
const undoWindow = 24 * time.Hour

func (h *handlers) undoVerb() *Verb {
	v := &Verb{Name: "撤销", Aliases: []string{"undo", "撤回"}, Access: Officer,
		Usage: "撤销（每次撤回自己最近的一次操作，24小时内，可连续撤销）", Example: "撤销",
		Brief: "撤回自己最近一次操作"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.undo(ctx, r, v) })
	return v
}

// undo reverts the sender's most recent write that is not yet undone, as
// one audited change that also takes the entry off the sender's undo
// stack. Each record it wrote goes back field by field on the record as
// it is now (undofields.go): a later change of other fields stands, a
// later change of the same fields refuses the undo. A record it created is
// removed, unless other records now refer to it. The sender must still be
// allowed to do what is undone (mayRedo).
func (h *handlers) undo(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Opts) > 0 || len(r.Words) > 0 && !undoFillers[strings.Join(r.Words, "")] {
		return "", usageError(v, "「撤销」后面不用写内容，每发一次撤回一条")
	}
	last, err := r.Tx.LastUndoable(ctx, r.From)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return zsbot.ErrorMessage(err), nil // none, or archived
	} else if err != nil {
		return "", err
	}
	if age := r.Now.Sub(last.When); age > undoWindow {
		return fmt.Sprintf("您最近一次操作「%s」在%s，已超过24小时，不能撤销；如需更正请用「改」。", clip(last.Raw, 30), h.stamp(last.When)), nil
	}
	if err := h.mayRedo(ctx, r, last); err != nil {
		return "", err
	}
	c := &zsbot.Change{UndoOf: last.ID, Audit: zsbot.Audit{Who: r.From, When: r.At, Raw: r.Text,
		Summary: "撤销 " + last.Summary, Project: last.Project, Undoes: last.ID}}
	if err := h.revert(ctx, r, last, c); err != nil {
		return "", err
	}
	if _, err := r.Tx.Apply(ctx, c); zsbot.ErrorCode(err) == zsbot.ECONFLICT {
		return "", changedSince(last, "相关记录")
	} else if err != nil {
		return "", err
	}
	reply := fmt.Sprintf("已撤销您在%s的操作：「%s」。", h.stamp(last.When), clip(last.Raw, 40))
	if next, err := r.Tx.LastUndoable(ctx, r.From); err == nil && r.Now.Sub(next.When) <= undoWindow {
		reply += fmt.Sprintf("\n再发「撤销」将撤回：「%s」。", clip(next.Raw, 30))
	}
	return reply, nil
}

// changedSince refuses an undo because what names was changed since.
func changedSince(last *zsbot.Audit, what string) error {
	hint := ""
	if last.Project != "" {
		hint = "（发送「历史 " + last.Project + "」查看）"
	}
	return zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：%s之后又被修改过%s。如需更正请用「改」。", clip(last.Raw, 30), what, hint)
}

// revert adds to c the puts that undo last, on the records as they are
// now.
func (h *handlers) revert(ctx context.Context, r *Request, last *zsbot.Audit, c *zsbot.Change) error {
	// The records last wrote go back to before it, when what it created
	// did not exist: none of them refers to it after the undo.
	touched := map[string]bool{}
	additive := map[string]bool{}
	for _, d := range last.Changes {
		touched[d.ID] = true
		switch d.Kind {
		case zsbot.KindPayment:
			additive["funds_wan"] = true
		case zsbot.KindIncrease:
			additive["amount_wan"] = true
		}
	}
	for i := len(last.Changes) - 1; i >= 0; i-- {
		d := last.Changes[i]
		if d.Kind == zsbot.KindGroup {
			cur, prev, err := h.wholeGroup(ctx, r.Tx, last, d)
			if err != nil {
				return err
			}
			c.Add(cur, prev)
			continue
		}
		cur, err := currentRecord(ctx, r.Tx, d)
		if err != nil {
			return err
		}
		switch {
		case len(d.Before) == 0: // created: removed, unless changed or referred to since
			if cur == nil {
				return zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：%s 之后已被删除或合并。", clip(last.Raw, 30), d.ID)
			}
			if fields := changedFields(d.After, cur); len(fields) > 0 {
				return changedSince(last, d.ID+"的"+strings.Join(fields, "、"))
			}
			deps, err := h.dependants(ctx, r.Tx, d.Kind, d.ID, touched)
			if err != nil {
				return err
			}
			if len(deps) > 0 {
				return zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：%s 之后又被其他记录引用：%s。请先处理这些记录（改、删除或合并）。",
					clip(last.Raw, 30), d.ID, idList(deps))
			}
			c.Add(cur, nil)
		case len(d.After) == 0: // removed: put back
			if cur != nil {
				return changedSince(last, d.ID)
			}
			prev, err := decodeRecord(d.Kind, d.Before)
			if err != nil {
				return err
			}
			c.Add(nil, prev)
		default:
			if cur == nil {
				return zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：%s 之后已被删除或合并。", clip(last.Raw, 30), d.ID)
			}
			// A payment or 增资 the change moved must be as it left it:
			// the projects' totals are taken back by its amount then.
			if d.Kind == zsbot.KindPayment || d.Kind == zsbot.KindIncrease {
				if fields := changedFields(d.After, cur); len(fields) > 0 {
					return changedSince(last, d.ID+"的"+strings.Join(fields, "、"))
				}
			}
			next, conflicts, err := revertFields(d, cur, additive)
			if err != nil {
				return err
			}
			if len(conflicts) > 0 {
				return changedSince(last, d.ID+"的"+strings.Join(conflicts, "、"))
			}
			c.Add(cur, next)
		}
	}
	return nil
}

// wholeGroup reverts a group whole, as stored (its robot key is kept in
// the group record alone; unmaskGroup).
func (h *handlers) wholeGroup(ctx context.Context, st zsbot.Store, last *zsbot.Audit, d zsbot.Diff) (zsbot.Record, zsbot.Record, error) {
	cur, err := decodeRecord(d.Kind, d.After)
	if err != nil {
		return nil, nil, err
	}
	prev, err := decodeRecord(d.Kind, d.Before)
	if err != nil {
		return nil, nil, err
	}
	return h.unmaskGroup(ctx, st, last, d.ID, cur, prev)
}

// managed are the verbs whose right depends on the project written, not on
// the verb alone (mayCorrect): the project's records of the access rule
// (access.go).
var managed = map[string]bool{"改": true, "终止": true, "删除": true, "合并": true,
	"签约": true, "增资": true, "开工": true, "投产": true, "到位": true, "任务": true, "协调": true, "洽谈": true, "研判": true}

// mayRedo refuses an undo that the sender could not do as a command today:
// the verb undone must still be theirs (its access), and for a verb whose
// right goes with the project (改 终止 删除 合并), every record it wrote must
// still be theirs to correct (mayCorrect, the one rule).
func (h *handlers) mayRedo(ctx context.Context, r *Request, last *zsbot.Audit) error {
	word, _, _ := strings.Cut(last.Summary, " ")
	v := h.mux.Lookup(word)
	if v == nil {
		return nil
	}
	if err := h.mux.allowed(v, r.Sender, r.From); err != nil {
		return zsbot.Errorf(zsbot.EFORBIDDEN, "不能撤销「%s」：%s", clip(last.Raw, 30), zsbot.ErrorMessage(err))
	}
	if !managed[v.Name] {
		return nil
	}
	for _, d := range last.Changes {
		side := d.After
		if len(side) == 0 {
			side = d.Before
		}
		rec, err := decodeRecord(d.Kind, side)
		if err != nil || rec == nil {
			return err
		}
		var p *zsbot.Project
		if pid := projectOfRecord(rec); pid != "" {
			if p, err = r.Tx.Project(ctx, pid); zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
				p, _ = rec.(*zsbot.Project) // a project the undo puts back
			} else if err != nil {
				return err
			}
		}
		if p == nil && d.Kind != zsbot.KindActivity && d.Kind != zsbot.KindCompany {
			continue
		}
		if err := h.mayCorrect(ctx, r, rec, p, "撤销"); err != nil {
			return zsbot.Errorf(zsbot.EFORBIDDEN, "不能撤销「%s」：%s", clip(last.Raw, 30), zsbot.ErrorMessage(err))
		}
	}
	return nil
}

// unmaskGroup gives back the robot key that the audit masks (storage keeps
// the key in the group record alone). The group as stored now stands for
// cur when it is cur with its key masked, so that storage's check compares
// it whole. prev gets its key back from the stored group when the masks
// match (the key did not change): so undoing 群 添加 works, and so does
// undoing a change of a group's scope or notices. Undoing 群 删除, or a
// change of key, would need a key that is kept nowhere: rather than keep a
// removed group's secret (a tombstone), the undo is refused with a reply
// that asks to register the group again.
func (h *handlers) unmaskGroup(ctx context.Context, st zsbot.Store, last *zsbot.Audit, name string, cur, prev zsbot.Record) (zsbot.Record, zsbot.Record, error) {
	live, err := st.Group(ctx, name)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		live = nil
	} else if err != nil {
		return nil, nil, err
	}
	if g, ok := cur.(*zsbot.Group); ok && live != nil && sameJSON(live.Masked(), g) {
		cur = live
	}
	if g, ok := prev.(*zsbot.Group); ok && zsbot.IsMaskedKey(g.RobotKey) {
		if live == nil || live.Masked().RobotKey != g.RobotKey {
			return nil, nil, zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：为保护机器人key，操作记录里不保存key。"+
				"请重新登记：群 添加 %s <机器人key> %s", clip(last.Raw, 30), g.Name, g.Scope)
		}
		g.RobotKey = live.RobotKey
	}
	return cur, prev, nil
}

// sameJSON reports whether a and b encode alike.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

// stamp shows an audit time as 12月23日 10:05 in the bureau's zone.
func (h *handlers) stamp(t time.Time) string {
	t = t.In(h.loc)
	return zsbot.DateOf(t).Short() + t.Format(" 15:04")
}

// undoFillers are what officers add to 撤销 that changes nothing.
var undoFillers = map[string]bool{"一下": true, "上一条": true, "上一步": true, "上条": true, "刚才": true,
	"刚才的": true, "刚才那条": true, "最后一条": true, "last": true}

// decodeRecord decodes one side of a Diff; an absent record is a nil
// Record (not a typed nil pointer), which is what Change.Add expects.
func decodeRecord(kind zsbot.Kind, b []byte) (zsbot.Record, error) {
	if len(b) == 0 {
		return nil, nil
	}
	r := zsbot.NewRecord(kind)
	if r == nil {
		return nil, fmt.Errorf("handlers: undo: unknown record kind %q", kind)
	}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("handlers: undo: decode %s: %w", kind, err)
	}
	return r, nil
}
