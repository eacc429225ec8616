package aibot

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"zsbot"
	"zsbot/bot"
)

// taskUnits serves one task; nothing else of the store is used.
type taskUnits struct {
	bot.Units
	t *zsbot.Task
}

func (u taskUnits) Task(_ context.Context, id string) (*zsbot.Task, error) {
	if u.t == nil || u.t.ID != id {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "no %s", id)
	}
	return u.t, nil
}

// TestClickCommand: the command each button runs; 延期一周 moves the due
// date a week on from the due date, or from today when that is past.
func TestClickCommand(t *testing.T) {
	today := zsbot.Date(20260312)
	h := &Handler{opt: Options{Now: time.Now}}
	for _, c := range []struct {
		act, id string
		task    *zsbot.Task
		want    string
	}{
		{actDone, "T12", nil, "完成 T12"},
		{actResolve, "C7", nil, "解决 C7"},
		{actDelay, "T3", &zsbot.Task{ID: "T3", Due: 20260305}, "改 T3 截止 2026-03-19"},
		{actDelay, "T3", &zsbot.Task{ID: "T3", Due: 20260320}, "改 T3 截止 2026-03-27"},
		{actDelay, "T4", nil, "完成 T4"}, // gone: the command says so
	} {
		h.units = taskUnits{t: c.task}
		got, err := h.clickCommand(context.Background(), c.act, c.id, today)
		if err != nil || got != c.want {
			t.Errorf("%s %s: %q, %v; want %q", c.act, c.id, got, err, c.want)
		}
	}
}

// TestStreamLong: a reply over WeCom's stream limit is cut at a line, as
// valid UTF-8, with a note; in a group the mention leads.
func TestStreamLong(t *testing.T) {
	h := &Handler{}
	long := strings.Repeat("· P12 康硕重庆基地 签约（5亿元）\n", 600)
	m := &Message{ChatType: ChatGroup, From: From{UserID: "zhangsan"}}
	r := h.stream(m, "s.x", true, long)
	c := r.Stream.Content
	if len(c) > maxContent+200 || !utf8.ValidString(c) || !strings.HasPrefix(c, "<@zhangsan> · P12") ||
		!strings.HasSuffix(c, "）\n……（内容过长，请用「导出」查看全部）") {
		t.Fatalf("%d bytes, ends %q", len(c), c[len(c)-80:])
	}
	if short := h.stream(&Message{ChatType: ChatSingle, From: From{UserID: "u"}}, "s.x", true, "好"); short.Stream.Content != "好" {
		t.Fatalf("short: %q", short.Stream.Content)
	}
}
