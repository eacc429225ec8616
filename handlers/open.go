package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// openRef is how 完成 and 解决 see a task or a coordination item.
type openRef struct {
	id, text string
	open     bool
}

// closing describes the records a closing verb (完成, 解决) works on.
type closing[T any] struct {
	prefix byte   // 'T' or 'C'
	what   string // 任务 or 协调事项
	st     zsbot.Store
	get    func(context.Context, string) (T, error)
	list   func(context.Context, string) ([]T, error) // a project's records
	ref    func(T) openRef
}

// find returns the record a closing command names: by its ID ("T12"), or
// else the one open record of the project the word names (whose text
// contains hint, when given). Several candidates are listed with their IDs
// and nothing is written.
func (c closing[T]) find(ctx context.Context, h *handlers, v *Verb, word, hint string) (T, error) {
	var zero T
	if ids := strings.FieldsFunc(word, func(r rune) bool { return r == '、' || r == '/' }); len(ids) > 1 {
		return zero, usageError(v, "请一次写一个编号") // "T12、T13"
	}
	if k, _, ok := parse.ParseID(word); ok && !isProjectID(word) {
		id := strings.ToUpper(parse.Normalize(word))
		if k != c.prefix {
			return zero, usageError(v, fmt.Sprintf("「%s」不是%s编号", clip(word, 12), c.what))
		}
		t, err := c.get(ctx, id)
		if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
			return zero, zsbot.Errorf(zsbot.ENOTFOUND, "未找到%s %s。发送「我的」或「查 <项目>」可看到编号。", c.what, id)
		}
		return t, err
	}
	p, err := h.findProject(ctx, c.st, word)
	if err != nil {
		return zero, err
	}
	all, err := c.list(ctx, p.ID)
	if err != nil {
		return zero, err
	}
	var open []T
	var lines []string
	for _, t := range all {
		if r := c.ref(t); r.open && strings.Contains(r.text, hint) {
			open = append(open, t)
			lines = append(lines, r.id+" "+clip(r.text, 30))
		}
	}
	switch len(open) {
	case 1:
		return open[0], nil
	case 0:
		return zero, zsbot.Errorf(zsbot.ENOTFOUND, "%s %s 没有未完成的%s%s。", p.ID, clip(p.Name, 20), c.what, quoted(hint))
	}
	return zero, zsbot.Errorf(zsbot.EINVALID, "%s %s 有%d项未完成的%s，请写编号，例如：%s %s\n%s",
		p.ID, clip(p.Name, 20), len(open), c.what, v.Name, c.ref(open[0]).id, list(lines, 9))
}

// quoted shows a hint as 「hint」, or nothing.
func quoted(s string) string {
	if s == "" {
		return ""
	}
	return "「" + clip(s, 20) + "」"
}

// oneID refuses a closing command that names several records ("完成 T12
// T13"): each is closed by its own message, so each can be undone.
func oneID(v *Verb, f freeText) error {
	first, _ := parse.Cut(f.text)
	if _, _, ok := parse.ParseID(first); ok {
		return usageError(v, "请一次写一个编号")
	}
	return nil
}
