package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

// historyDepth is how many audit entries 历史 reads; the reply is cut to
// fit anyway.
const historyDepth = 40

func (h *handlers) historyVerb() *Verb {
	v := &Verb{Name: "历史", Aliases: []string{"history", "操作记录"}, Access: Member,
		Usage: "历史 <项目或编号>", Example: "历史 诺比侃", Brief: "项目的操作记录（谁、何时、发了什么）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.history(ctx, r, v) })
	return v
}

// history lists a project's audit entries, newest first: when, who, and the
// message as it was typed; entries since undone are marked.
func (h *handlers) history(ctx context.Context, r *Request, v *Verb) (string, error) {
	p, err := h.projectArg(ctx, r, v)
	if err != nil {
		return "", err
	}
	entries, archived, err := r.Tx.History(ctx, p.ID, historyDepth)
	if err != nil {
		return "", err
	}
	note := ""
	if archived > 0 {
		note = fmt.Sprintf("更早的记录已归档（保留%s）", zsbot.KeepText(archived))
	}
	if len(entries) == 0 && note != "" {
		return fmt.Sprintf("%s %s 近期没有操作记录；%s。", p.ID, p.Name, note), nil
	} else if len(entries) == 0 {
		return fmt.Sprintf("%s %s 还没有操作记录。", p.ID, p.Name), nil
	}
	undone := map[string]bool{}
	for _, e := range entries {
		if e.Undoes != "" {
			undone[e.Undoes] = true
		}
	}
	who := map[string]string{}
	if people, err := r.Tx.People(ctx); err == nil {
		for _, person := range people {
			who[person.UserID] = person.Name
		}
	}
	lines := []string{fmt.Sprintf("%s %s 的操作记录（新→旧）：", p.ID, clip(p.Name, 30))}
	for _, e := range entries {
		mark := ""
		if undone[e.ID] {
			mark = "〔已撤销〕"
		}
		lines = append(lines, fmt.Sprintf("%s %s：%s%s", h.stamp(e.When), firstOf(who[e.Who], e.Who), clip(oneLine(e.Raw), 50), mark))
	}
	if note != "" {
		return list(lines, historyDepth+1) + "\n" + note, nil
	}
	return list(lines, historyDepth+1), nil
}

// projectArg resolves the project a reading command names: all its words
// first (a name with spaces), then the first word alone.
func (h *handlers) projectArg(ctx context.Context, r *Request, v *Verb) (*zsbot.Project, error) {
	if len(r.Words) == 0 {
		return nil, usageError(v, "请写明项目")
	}
	p, err := h.findProject(ctx, r.Tx, strings.Join(r.Words, " "))
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND && len(r.Words) > 1 {
		p, err = h.findProject(ctx, r.Tx, r.Words[0])
	}
	return p, err
}

// oneLine flattens a raw message for a list.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
