package handlers

import (
	"fmt"
	"strings"
	"unicode"

	"zsbot"
	"zsbot/handlers/parse"
)

// amountDate is the amount and date of a command such as 签约 or 到位.
type amountDate struct {
	amount zsbot.Money
	bare   bool // the amount had no unit and was read as 亿元
	date   zsbot.Date
	year   string   // the reply's note when a yearless date fell a year back
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
// (no date = today; events look back, deadlines forward) from words. A
// second amount or date, or a currency typed apart ("2亿 USD"), is refused:
// which one was meant is not guessed.
func takeAmountDate(r *Request, v *Verb, words []string, needAmount bool, dir parse.Direction) (*amountDate, error) {
	mw, dw, rest := parse.TakeMoneyDate(words, true, true)
	for _, w := range rest {
		switch {
		case parse.IsCurrency(w):
			return nil, zsbot.Errorf(zsbot.EINVALID, "金额只记人民币，「%s」请换算为人民币后再记。例如：%s", clip(w, 12), v.Example)
		case parse.IsTimeOfDay(w):
			if _, err := parse.ParseDate(w, r.Today, parse.Past); err != nil {
				return nil, err // 25点: a time that cannot be
			}
		case parse.LooksLikeMoney(w) && mw != "":
			return nil, usageError(v, fmt.Sprintf("写了两个金额（%s、%s），请只写一个", clip(mw, 12), clip(w, 12)))
		case parse.LooksLikeDate(w) && dw != "":
			return nil, usageError(v, fmt.Sprintf("写了两个日期（%s、%s），请只写一个", clip(dw, 12), clip(w, 12)))
		}
	}
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
		if dir == parse.Past {
			d, err = eventDate(dw, r.Today)
		}
		if err != nil {
			return nil, err
		}
		out.date = d
		if dir == parse.Past {
			out.year = parse.YearNote(dw, d, r.Today)
		}
	}
	return out, nil
}

// eventDate reads the date of something that has happened (a visit, a
// signing, a payment): without a year, the nearest such day not after
// today. A day still to come is refused, and so is a yearless day that is
// just ahead ("12月28日" typed on 23 December would otherwise fall a year
// back): the officer most likely meant the coming one.
func eventDate(word string, today zsbot.Date) (zsbot.Date, error) {
	d, err := parse.ParseDate(word, today, parse.Past)
	if err != nil {
		return 0, err
	}
	if d > today {
		return 0, zsbot.Errorf(zsbot.EINVALID, "日期%s还没到（今天是%s），请在事情发生后再记录。", d.Chinese(), today.Chinese())
	}
	if next, err := parse.ParseDate(word, today, parse.Future); err == nil && next != d &&
		next.DaysSince(today) <= 31 && today.DaysSince(d) > 183 {
		return 0, zsbot.Errorf(zsbot.EINVALID, "「%s」还没到（今天是%s）。如指%s，请写上年份：%s。",
			clip(word, 12), today.Chinese(), d.Chinese(), d.Chinese())
	}
	return d, nil
}

// bareNote is the reply's note when a bare number was read as 亿元.
func (a *amountDate) bareNote() string {
	if !a.bare {
		return ""
	}
	return fmt.Sprintf("（未写单位，按 %s 亿元记录）", a.amount.Yi())
}

// checkName refuses a name or text that is too long to be real or has no
// letter in it at all ("😀😀", "123", "、、"): such a thing is a slip, not a
// company, project or note.
func checkName(what, s string, max int) error {
	if strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return zsbot.Errorf(zsbot.EINVALID, "%s「%s」看不懂，请用中文或字母写明。", what, clip(s, 20))
	}
	return checkLen(what, s, max)
}

// checkNewName refuses a word as the name of a new company, project or
// event when it is no name at all: too long, with no Han character and
// fewer than two letters ("[31m", "😀"), or written like an ID, an amount or
// a date ("P0", "-5亿", "2月30日"), which is a slip in the command.
func checkNewName(what, s string) error {
	if err := checkName(what, s, 60); err != nil {
		return err
	}
	letters, han := 0, false
	for _, r := range s {
		han = han || unicode.Is(unicode.Han, r)
		if unicode.IsLetter(r) {
			letters++
		}
	}
	_, _, isID := parse.ParseID(s)
	if !han && letters < 2 || isID || parse.LooksLikeMoney(s) || parse.LooksLikeDate(s) || isIDShape(s) {
		return zsbot.Errorf(zsbot.EINVALID, "「%s」不像%s，请写明%s。", clip(s, 20), what, what)
	}
	return nil
}

// isIDShape reports whether s is a letter and digits, like an ID ("P0").
func isIDShape(s string) bool {
	return len(s) >= 2 && len(s) <= 10 && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z' && strings.Trim(s[1:], "0123456789") == ""
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
