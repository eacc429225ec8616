package aibot

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"zsbot"
	"zsbot/bot"
)

// The keys of a card's buttons: an action and the record's ID.
const (
	actDone    = "done"    // 完成 T12
	actDelay   = "delay"   // 改 T12 截止 <a week later>
	actResolve = "resolve" // 解决 C7
	actNone    = "none"    // a finished card's inert button
)

var cardID = regexp.MustCompile(`^[TC][1-9][0-9]{0,8}$`)

// parseKey reads a button's key "done:T12".
func parseKey(key string) (act, id string, ok bool) {
	act, id, ok = strings.Cut(key, ":")
	if !ok || !cardID.MatchString(id) {
		return "", "", false
	}
	switch act {
	case actDone, actDelay:
		return act, id, id[0] == 'T'
	case actNone:
		return act, id, true
	case actResolve:
		return act, id, id[0] == 'C'
	}
	return "", "", false
}

// TaskCard is the card of an open task: its project, due date and
// assignee, with 「已完成」 and 「延期一周」.
func TaskCard(t *zsbot.Task, project string, today zsbot.Date, taskID string) *Card {
	title := "任务提醒 " + t.ID
	if t.Overdue(today) {
		title = fmt.Sprintf("逾期任务 %s（逾期%d天）", t.ID, today.DaysSince(t.Due))
	}
	c := &Card{CardType: "button_interaction", TaskID: taskID,
		MainTitle: Title{Title: title, Desc: clip(project, 24)}, SubTitle: clip(t.Text, 60),
		Fields: []Field{{Key: "截止", Value: t.Due.String()}, {Key: "负责人", Value: t.Assignee}}}
	c.Buttons = []Button{{Text: "已完成", Style: 1, Key: actDone + ":" + t.ID}, {Text: "延期一周", Style: 2, Key: actDelay + ":" + t.ID}}
	return c
}

// ItemCard is the card of an open 协调 item, with 「已解决」.
func ItemCard(it *zsbot.Item, project string, today zsbot.Date, taskID string) *Card {
	return &Card{CardType: "button_interaction", TaskID: taskID,
		MainTitle: Title{Title: fmt.Sprintf("协调事项 %s（已%d天）", it.ID, today.DaysSince(it.OpenedOn)), Desc: clip(project, 24)},
		SubTitle:  clip(it.Text, 60), Fields: []Field{{Key: "提出", Value: it.OpenedOn.String()}},
		Buttons: []Button{{Text: "已解决", Style: 1, Key: actResolve + ":" + it.ID}}}
}

// cardTaskID names a card for WeCom: unique per card, of letters, digits
// and _ (at most 128 characters).
func cardTaskID(recordID string, h *Handler) string {
	return "zs_" + recordID + "_" + strconv.FormatInt(h.opt.Now().UnixNano(), 36)
}

// click runs a card button's command as the member who clicked, once per
// event msgid, and answers with the card updated from the record: who did
// what, and the buttons gone once the record is closed.
func (h *Handler) click(ctx context.Context, m *Message) (*Reply, error) {
	ev := m.Event.CardEvent
	act, id, ok := parseKey(ev.EventKey)
	if !ok {
		return nil, nil // not one of ours
	}
	today := zsbot.DateOf(h.opt.Now().In(h.opt.Location))
	var reply string
	if act != actNone {
		text, err := h.clickCommand(ctx, act, id, today)
		if err != nil {
			return nil, err
		}
		d := h.delivery(m)
		d.Command, d.Text = true, text
		res := h.Run(ctx, d)
		switch res.Outcome {
		case bot.OutcomeUnavailable:
			return nil, res.Err
		case bot.OutcomeAsync:
			reply = "正在处理，稍后发送「查 " + id + "」查看结果。"
		case bot.OutcomeDuplicate:
			reply = res.Reply
			if reply == "" {
				if rec, err := h.units.GetDelivery(ctx, d.ID); err == nil && rec.Done {
					reply = rec.Reply
				}
			}
		default:
			reply = res.Reply
		}
	}
	card, err := h.recordCard(ctx, id, today, ev.TaskID)
	if err != nil {
		return nil, err
	}
	if card == nil {
		return nil, nil
	}
	if reply != "" {
		who := m.From.UserID
		if p, err := h.units.Person(ctx, m.From.UserID); err == nil && p.Name != "" {
			who = p.Name
		}
		card.Fields = append(card.Fields, Field{Key: "操作", Value: clip(who+"："+firstLine(reply), 60)})
	}
	return &Reply{ResponseType: "update_template_card", Card: card}, nil
}

// clickCommand is the command a click runs: 完成 T12, 改 T12 截止 <date>
// (a week after the due date, or after today when that is past already),
// 解决 C7.
func (h *Handler) clickCommand(ctx context.Context, act, id string, today zsbot.Date) (string, error) {
	switch act {
	case actDone:
		return "完成 " + id, nil
	case actResolve:
		return "解决 " + id, nil
	}
	t, err := h.units.Task(ctx, id)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "完成 " + id, nil // the command says it is not found
	} else if err != nil {
		return "", err
	}
	return "改 " + id + " 截止 " + max(t.Due, today).AddDays(7).String(), nil
}

// recordCard is the card of record id as it stands: open with its
// buttons, or closed with one inert button saying so; nil when the
// record is gone.
func (h *Handler) recordCard(ctx context.Context, id string, today zsbot.Date, taskID string) (*Card, error) {
	if taskID == "" {
		taskID = cardTaskID(id, h)
	}
	if id[0] == 'C' {
		it, err := h.units.Item(ctx, id)
		if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		c := ItemCard(it, h.projectName(ctx, it.Project), today, taskID)
		if !it.ResolvedOn.IsZero() {
			c.MainTitle.Title = "协调事项 " + it.ID + " 已解决"
			c.Fields = append(c.Fields, Field{Key: "解决", Value: it.ResolvedOn.String()})
			c.Buttons = []Button{{Text: "已解决", Style: 4, Key: actNone + ":" + it.ID}}
		}
		return c, nil
	}
	t, err := h.units.Task(ctx, id)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	c := TaskCard(t, h.projectName(ctx, t.Project), today, taskID)
	if !t.DoneOn.IsZero() {
		c.MainTitle.Title = "任务 " + t.ID + " 已完成"
		c.Fields = append(c.Fields, Field{Key: "完成", Value: t.DoneOn.String()})
		c.Buttons = []Button{{Text: "已完成", Style: 4, Key: actNone + ":" + t.ID}}
	}
	return c, nil
}

func (h *Handler) projectName(ctx context.Context, id string) string {
	if p, err := h.units.Project(ctx, id); err == nil {
		return id + " " + p.Name
	}
	return id
}

// offerCard is the card shown with a passive answer in a bot chat: for
// 查 T12 or 查 C7, the open record's; for 我的 in a one-to-one chat, the
// member's most overdue task's. nil for none.
func (h *Handler) offerCard(ctx context.Context, m *Message, text string) *Card {
	if h.opt.VerbOf == nil {
		return nil
	}
	today := zsbot.DateOf(h.opt.Now().In(h.opt.Location))
	switch h.opt.VerbOf(text) {
	case "查":
		f := strings.Fields(text)
		if len(f) != 2 {
			return nil
		}
		id := strings.ToUpper(f[1])
		if !cardID.MatchString(id) {
			return nil
		}
		c, err := h.recordCard(ctx, id, today, "")
		if err != nil || c == nil || strings.HasPrefix(c.Buttons[0].Key, actNone) {
			return nil // closed records get no card
		}
		return c
	case "我的":
		if m.Group() {
			return nil
		}
		ts, err := h.units.OpenTasks(ctx, m.From.UserID, today.AddDays(-1))
		if err != nil || len(ts) == 0 {
			return nil
		}
		oldest := ts[0]
		for _, t := range ts[1:] {
			if t.Due < oldest.Due {
				oldest = t
			}
		}
		return TaskCard(oldest, h.projectName(ctx, oldest.Project), today, cardTaskID(oldest.ID, h))
	}
	return nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// clip cuts s to n characters with "…".
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
