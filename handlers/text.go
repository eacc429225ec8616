package handlers

import (
	"context"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// freeText is a command whose tail is free text (a note, a task, a reason):
// its first word and the text after it as typed, without the words
// recognised at either end (kept by the take function).
type freeText struct {
	name string
	text string
	slip error // a date in the text that cannot exist ("2月30日")
}

// splitFree splits args into a freeText. take is asked about each word of
// the tail from the front until it declines, then from the back; a word in
// the middle of the text stays text ("约定 12月30日 签约" keeps its date),
// but a date there that cannot exist ("约定 2月30日 签约") is kept as slip
// for the handler to refuse.
func splitFree(args string, take func(w string) bool) freeText {
	ts := parse.Tokens(args)
	if len(ts) == 0 {
		return freeText{}
	}
	f := freeText{name: ts[0].Word}
	rest := ts[1:]
	i := 0
	for i < len(rest) && take(rest[i].Word) {
		i++
	}
	j := len(rest)
	for j > i && take(rest[j-1].Word) {
		j--
	}
	var b strings.Builder
	for k, t := range rest[i:j] {
		if err := parse.ImpossibleDate(t.Word); err != nil && f.slip == nil {
			f.slip = err
		}
		b.WriteString(t.Word)
		if k < j-i-1 {
			b.WriteString(t.Sep)
		}
	}
	f.text = b.String()
	return f
}

// extras are the words a free-text command recognises at the ends of its
// text: a date (a time of day next to it is dropped), a city, a head count,
// an @mention and key:value options. Each is taken once; a second date at
// an end is kept apart for oneDate to refuse, and a date in the middle of
// the text stays text.
type extras struct {
	dates, cities, counts, mentions bool
	deadline                        bool // dates may read "12月15日前", "截止12月15日"
	keys                            []string
	people                          map[string]bool // names that count as a mention without @

	// anyPlace takes any place (mayBePlace), not only a known one, among
	// the words right after the first: "拜访 宁德时代 宁德 昨天".
	anyPlace bool
	declined bool // take has declined a word: the words after the first are behind

	date, city, count, mention string
	again                      string // a second date at an end of the text
	badTime                    error  // a time of day that cannot be ("25点")
	opts                       map[string]string
}

// take reports whether w is one of the extras still wanted, and keeps it.
func (e *extras) take(w string) bool {
	if k, v, ok := strings.Cut(w, ":"); ok && v != "" && slices.Contains(e.keys, strings.ToLower(k)) {
		if e.opts == nil {
			e.opts = map[string]string{}
		}
		e.opts[strings.ToLower(k)] = v
		return true
	}
	switch {
	case e.dates && parse.IsTimeOfDay(e.dateWord(w)):
		// Dropped: a time of day belongs to the date, or to today; one
		// that cannot be is refused (oneDate).
		if err := parse.TimeOfDayError(e.dateWord(w)); err != nil && e.badTime == nil {
			e.badTime = err
		}
	case e.dates && e.date == "" && parse.LooksLikeDate(e.dateWord(w)):
		e.date = e.dateWord(w)
	case e.dates && e.again == "" && parse.LooksLikeDate(e.dateWord(w)):
		e.again = w
	case e.cities && e.city == "" && (isCity(w) || e.anyPlace && !e.declined && mayBePlace(w)):
		e.city = w
	case e.counts && e.count == "" && isHeadcount(w):
		e.count = w
	case e.mentions && e.mention == "" && (isMention(w) || e.people[strings.TrimPrefix(w, "负责人")]):
		e.mention = strings.TrimPrefix(w, "负责人")
	default:
		e.declined = true
		return false
	}
	return true
}

// dateWord strips the words around a deadline: 截止, 截至, 之前, 以前, 前.
func (e *extras) dateWord(w string) string {
	if !e.deadline {
		return w
	}
	for _, p := range []string{"截止到", "截止", "截至", "在", "于"} {
		w = strings.TrimPrefix(w, p)
	}
	for _, s := range []string{"之前", "以前", "前"} {
		if t, ok := strings.CutSuffix(w, s); ok {
			return t
		}
	}
	return w
}

func isHeadcount(w string) bool {
	_, ok := headcount(w)
	return ok
}

func isMention(w string) bool {
	_, ok := parse.ParseMention(w)
	return ok
}

// needText refuses a free-text command whose text is missing or too long.
func needText(v *Verb, f freeText, what string, max int) error {
	if f.text == "" {
		return usageError(v, "请写明"+what)
	}
	return checkName(what, f.text, max)
}

// projectNote reads "<项目> <text> [日期]": the project, its text (what,
// at most max runes) and the event's date.
func (h *handlers) projectNote(ctx context.Context, r *Request, v *Verb, what string, max int) (*zsbot.Project, string, zsbot.Date, error) {
	e := &extras{dates: true}
	f := splitFree(r.Args, e.take)
	if f.name == "" {
		return nil, "", 0, usageError(v, "请写明项目和"+what)
	}
	if err := needText(v, f, what, max); err != nil {
		return nil, "", 0, err
	}
	d, err := textDate(r, e)
	if err != nil {
		return nil, "", 0, err
	}
	p, err := h.findProject(ctx, r.Tx, f.name)
	return p, f.text, d, err
}

// oneDate refuses a text with two dates at its ends ("3月5日 … 3月6日"):
// which one was meant is not guessed.
func (e *extras) oneDate() error {
	if e.badTime != nil {
		return e.badTime
	}
	if e.again == "" {
		return nil
	}
	return zsbot.Errorf(zsbot.EINVALID, "写了两个日期（%s、%s），请只写一个。", clip(e.date, 12), clip(e.again, 12))
}

// textDate reads the date among a command's extras: the event's day (no
// date = today) for records of what happened.
func textDate(r *Request, e *extras) (zsbot.Date, error) {
	if err := e.oneDate(); err != nil {
		return 0, err
	}
	if e.date == "" {
		return r.Today, nil
	}
	return eventDate(e.date, r.Today)
}

// headcount reads the size of a delegation: 5人, 八人, 一行8人, 共5名, 等3位.
func headcount(w string) (int, bool) {
	for _, p := range []string{"一行", "共计", "共", "计", "等"} {
		w = strings.TrimPrefix(w, p)
	}
	for _, unit := range []string{"人", "名", "位"} {
		if n, ok := parse.ParseCount(w, unit); ok {
			return n, true
		}
	}
	return 0, false
}

// dateFirst rewrites a message that starts with its date ("昨天 拜访 比亚迪",
// "昨天拜访比亚迪") to put the verb first and the date last; it returns ""
// when the message does not start that way.
func dateFirst(text string, known []string) string {
	first, rest := parse.Cut(text)
	if parse.LooksLikeDate(first) && rest != "" {
		if verb, args := parse.Verb(rest, known...); slices.Contains(known, verb) {
			return strings.TrimSpace(verb + " " + args + " " + first)
		}
	}
	rs := []rune(first)
	for i := min(len(rs)-1, 12); i >= 2; i-- {
		day := string(rs[:i])
		if !parse.LooksLikeDate(day) {
			continue
		}
		if verb, args := parse.Verb(string(rs[i:])+" "+rest, known...); slices.Contains(known, verb) {
			return strings.TrimSpace(verb + " " + args + " " + day)
		}
	}
	return ""
}

// gluedDeadline finds a deadline written into a task's text
// ("12月15日前完成土地摘牌") and returns it and the text without it.
func gluedDeadline(text string) (date, rest string) {
	left, right, ok := strings.Cut(text, "前")
	if !ok {
		return "", text
	}
	left = strings.TrimSuffix(left, "之")
	start := strings.LastIndexAny(left, " ，,") + 1
	word := strings.TrimLeft(left[start:], "于在截止至到")
	if !parse.LooksLikeDate(word) {
		return "", text
	}
	return word, strings.TrimSpace(left[:start] + right)
}
