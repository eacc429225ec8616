package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

var _ zsbot.Greeter = (*Mux)(nil)

// greetVerbs is how many verbs a greeting names at most; 帮助 lists all.
const greetVerbs = 14

// Greet returns the short text that greets m.From when they open the app:
// by name, the commands their role may use (those only their role may use
// first, then as 帮助 orders them, the first few) and how to see the rest; for an unregistered member, their userid
// for the admin. The day is m.At's in the bureau's zone.
func (m *Mux) Greet(ctx context.Context, tx zsbot.Tx, msg *zsbot.Message) (string, string, error) {
	day := msg.At.In(m.cfg.Loc).Format("2006-01-02")
	sender, _, err := tx.Session(ctx, msg.From)
	if err != nil {
		return "", day, err
	}
	sender = m.bootstrap(msg.From, sender)
	r := &Request{Message: msg, Sender: sender}
	if sender == nil || !sender.Active {
		return fmt.Sprintf("您好！我是招商助手。您还未登记，userid：%s，请发给管理员登记后使用。", msg.From), day, nil
	}
	// The verbs of their role first (leaders', admins'), then everyone's.
	var own, common []string
	for _, v := range m.verbs {
		switch {
		case v.Access == Anyone || !canSee(r, v):
		case v.Access >= Leader:
			own = append(own, v.Name)
		default:
			common = append(common, v.Name)
		}
	}
	names := append(own, common...)
	more := ""
	if len(names) > greetVerbs {
		names, more = names[:greetVerbs], "等"
	}
	return fmt.Sprintf("%s，您好！我是招商助手，每条消息一个指令。您可以用：%s%s。例如「拜访 诺比侃 成都 昨天」。发送「帮助」看全部指令和用法。",
		sender.Name, strings.Join(names, "、"), more), day, nil
}
