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

// undo reverts the sender's most recent write that is not yet undone: every
// record goes back to what it was (records it created are removed), as one
// audited change that also takes the entry off the sender's undo stack.
// Storage refuses it when a record has changed since, and a second undo of
// the same entry.
func (h *handlers) undo(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Opts) > 0 || len(r.Words) > 0 && !undoFillers[strings.Join(r.Words, "")] {
		return "", usageError(v, "「撤销」后面不用写内容，每发一次撤回一条")
	}
	last, err := r.Tx.LastUndoable(ctx, r.From)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "没有可撤销的操作。", nil
	} else if err != nil {
		return "", err
	}
	if age := r.Now.Sub(last.When); age > undoWindow {
		return fmt.Sprintf("您最近一次操作「%s」在%s，已超过24小时，不能撤销；如需更正请用「改」。", clip(last.Raw, 30), h.stamp(last.When)), nil
	}
	c := &zsbot.Change{UndoOf: last.ID, Audit: zsbot.Audit{Who: r.From, When: r.At, Raw: r.Text,
		Summary: "撤销 " + last.Summary, Project: last.Project, Undoes: last.ID}}
	for i := len(last.Changes) - 1; i >= 0; i-- {
		d := last.Changes[i]
		cur, err := decodeRecord(d.Kind, d.After)
		if err != nil {
			return "", err
		}
		prev, err := decodeRecord(d.Kind, d.Before)
		if err != nil {
			return "", err
		}
		c.Add(cur, prev)
	}
	if _, err := r.Tx.Apply(ctx, c); zsbot.ErrorCode(err) == zsbot.ECONFLICT {
		hint := ""
		if last.Project != "" {
			hint = "（发送「历史 " + last.Project + "」查看）"
		}
		return "", zsbot.Errorf(zsbot.ECONFLICT, "不能撤销「%s」：相关记录之后又被修改过%s。如需更正请用「改」。", clip(last.Raw, 30), hint)
	} else if err != nil {
		return "", err
	}
	reply := fmt.Sprintf("已撤销您在%s的操作：「%s」。", h.stamp(last.When), clip(last.Raw, 40))
	if next, err := r.Tx.LastUndoable(ctx, r.From); err == nil && r.Now.Sub(next.When) <= undoWindow {
		reply += fmt.Sprintf("\n再发「撤销」将撤回：「%s」。", clip(next.Raw, 30))
	}
	return reply, nil
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
