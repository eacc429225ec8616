package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// historyPage is how many entries a page of 历史 shows: ten lines of a
// message as typed fit one WeCom reply.
const historyPage = 10

func (h *handlers) historyVerb() *Verb {
	v := &Verb{Name: "历史", Aliases: []string{"history", "操作记录"}, Access: Member,
		Usage: "历史 <项目或编号> [第N页]", Example: "历史 诺比侃", Brief: "项目的操作记录（谁、何时、发了什么）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.history(ctx, r, v) })
	return v
}

// history lists a project's audit entries, newest first, a page at a time
// (第2页 for the next): how many there are, then when, who, and the
// message as it was typed; entries since undone are marked.
func (h *handlers) history(ctx context.Context, r *Request, v *Verb) (string, error) {
	words, page, err := pageArg(r.Words)
	if err != nil {
		return "", err
	}
	r.Words = words
	p, err := h.projectArg(ctx, r, v)
	if err != nil {
		return "", err
	}
	// The entries up to the page's end: an undo newer than the page marks
	// an entry on it.
	hist, err := r.Tx.History(ctx, p.ID, page*historyPage)
	if err != nil {
		return "", err
	}
	note := ""
	if hist.Archived > 0 {
		note = fmt.Sprintf("更早的记录已归档（保留%s）。", zsbot.KeepText(hist.Archived))
	}
	pages := (hist.Total + historyPage - 1) / historyPage
	switch {
	case hist.Total == 0 && note != "":
		return fmt.Sprintf("%s %s 近期没有操作记录；%s", p.ID, p.Name, note), nil
	case hist.Total == 0:
		return fmt.Sprintf("%s %s 还没有操作记录。", p.ID, p.Name), nil
	case page > pages:
		return "", zsbot.Errorf(zsbot.EINVALID, "%s 的操作记录共%d条，只有%d页。例如：历史 %s 第%d页", p.ID, hist.Total, pages, p.ID, pages)
	}
	undone := map[string]bool{}
	for _, e := range hist.Entries {
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
	head := fmt.Sprintf("%s %s 的操作记录共%d条（新→旧）", p.ID, clip(p.Name, 20), hist.Total)
	if pages > 1 {
		head += fmt.Sprintf("，第%d/%d页", page, pages)
	}
	lines := []string{head + "："}
	for i := (page - 1) * historyPage; i < len(hist.Entries); i++ {
		e, mark := hist.Entries[i], ""
		if undone[e.ID] {
			mark = "〔已撤销〕"
		}
		lines = append(lines, fmt.Sprintf("%d. %s %s：%s%s", i+1, h.stamp(e.When), firstOf(who[e.Who], e.Who), clip(oneLine(e.Raw), 40), mark))
	}
	if page < pages {
		lines = append(lines, fmt.Sprintf("更早的%d条：历史 %s 第%d页", hist.Total-page*historyPage, p.ID, page+1))
	} else if note != "" {
		lines = append(lines, note)
	}
	return strings.Join(lines, "\n"), nil
}

// pageArg takes a trailing 第N页 (第二页, 2页) off words and returns the
// page, 1 when none is asked for.
func pageArg(words []string) ([]string, int, error) {
	if len(words) == 0 {
		return words, 1, nil
	}
	last := words[len(words)-1]
	s, ok := strings.CutSuffix(last, "页")
	if !ok {
		return words, 1, nil
	}
	s = strings.TrimPrefix(s, "第")
	n, err := strconv.Atoi(s)
	if err != nil {
		c, ok := parse.ParseChineseInt(s)
		if !ok {
			return nil, 0, zsbot.Errorf(zsbot.EINVALID, "页码「%s」看不懂，例如：历史 诺比侃 第2页", clip(last, 10))
		}
		n = int(c)
	}
	if n < 1 || n > 1000 {
		return nil, 0, zsbot.Errorf(zsbot.EINVALID, "页码「%s」看不懂，例如：历史 诺比侃 第2页", clip(last, 10))
	}
	return words[:len(words)-1], n, nil
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
