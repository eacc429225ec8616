package handlers

import (
	"fmt"

	"zsbot"
	"zsbot/handlers/parse"
)

// amountDate is the amount and date of a command such as 签约 or 到位.
type amountDate struct {
	amount zsbot.Money
	bare   bool // the amount had no unit and was read as 亿元
	date   zsbot.Date
	rest   []string // the other words
}

// needName returns the first word (the project or company) or an error with
// the verb's example.
func needName(r *Request, v *Verb) (string, []string, error) {
	if len(r.Words) == 0 {
		return "", nil, usageError(v, "请写明项目或企业")
	}
	return r.Words[0], r.Words[1:], nil
}

// usageError is the standard refusal: what was wrong and a correct example.
func usageError(v *Verb, what string) error {
	return zsbot.Errorf(zsbot.EINVALID, "%s。例如：%s", what, v.Example)
}

// takeAmountDate reads an optional or required amount and an optional date
// (no date = today; events look back, deadlines forward) from words.
func takeAmountDate(r *Request, v *Verb, words []string, needAmount bool, dir parse.Direction) (*amountDate, error) {
	mw, dw, rest := parse.TakeMoneyDate(words, true, true)
	out := &amountDate{rest: rest, date: r.Today}
	if mw != "" {
		m, bare, err := parse.ParseMoney(mw)
		if err != nil {
			return nil, err
		}
		out.amount, out.bare = m, bare
	} else if needAmount {
		return nil, usageError(v, "缺少金额")
	}
	if dw != "" {
		d, err := parse.ParseDate(dw, r.Today, dir)
		if err != nil {
			return nil, err
		}
		out.date = d
	}
	return out, nil
}

// bareNote is the reply's note when a bare number was read as 亿元.
func (a *amountDate) bareNote() string {
	if !a.bare {
		return ""
	}
	return fmt.Sprintf("（未写单位，按 %s 亿元记录）", a.amount.Yi())
}

// checkLen refuses names and texts too long to be real.
func checkLen(what, s string, max int) error {
	if n := len([]rune(s)); n > max {
		return zsbot.Errorf(zsbot.EINVALID, "%s太长（%d字），请控制在%d字以内。", what, n, max)
	}
	return nil
}

// undoHint ends every write's reply.
const undoHint = "发送「撤销」可撤回。"
