package handlers

import (
	"slices"
	"strings"

	"zsbot/handlers/parse"
)

// phrasings are the words officers use for a verb, mapped to it before the
// verb is looked up. A first word that starts with one is that verb
// ("考察诺比侃" is "拜访 诺比侃"); one marked after may also follow the project
// ("诺比侃签了 51亿", "晶帆光电开工了"). 走访 is an alias of 拜访.
var phrasings = []struct {
	word, verb string
	after      bool
}{
	{"拜会", "拜访", false}, {"回访", "拜访", false}, {"考察", "拜访", false},
	{"来访", "接待", false},
	{"到资", "到位", false},
	{"签约仪式", "签约", true}, {"开工仪式", "开工", true},
	{"签约了", "签约", true}, {"签了", "签约", true}, {"开工了", "开工", true},
}

// timeWords are the times of day an officer may start with ("刚才拜访了…");
// they name no other day than today.
var timeWords = []string{"刚才", "刚刚", "今早", "早上", "上午", "中午", "下午", "傍晚", "晚上"}

// placeVerbs are the verbs whose place a leading "去成都" gives.
var placeVerbs = []string{"拜访", "接待", "推介"}

// fillers are the sounds voice input writes between words ("呃，拜访 通威…"):
// a word that is only one of them is dropped, never a verb, name or note.
var fillers = map[string]bool{"呃": true, "嗯": true, "额": true, "啊": true, "哦": true, "噢": true, "那个": true,
	"呃呃": true, "嗯嗯": true, "然后": true, "就是": true}

// dropFillers returns text without its filler words, with the separators
// around the rest as typed; text unchanged when it has none.
func dropFillers(text string) string {
	ts := parse.Tokens(text)
	found := false
	for _, t := range ts {
		found = found || fillers[t.Word]
	}
	if !found {
		return text
	}
	var b strings.Builder
	for _, t := range ts {
		if !fillers[t.Word] {
			b.WriteString(t.Word)
			b.WriteString(firstOf(t.Sep, " "))
		}
	}
	return strings.TrimSpace(b.String())
}

// rephrase rewrites the natural phrasings of a command to the form the verbs
// read, verb first: leading time words and dates go to the end ("今天接待了…"
// → "接待了… 今天"), a place before the verb becomes 地点: ("去成都拜访了通威"
// → "拜访 通威 地点:成都"), and a synonym or a phrasing such as "X签了"
// becomes its verb. Text that none of this fits is returned unchanged.
func rephrase(text string, known []string) string {
	s, date := text, ""
	for verbOf(s, known) == "" {
		t, d, ok := leadingTime(s)
		if !ok {
			break
		}
		s = t
		if date == "" {
			date = d
		}
	}
	first, rest := parse.Cut(s)
	place := ""
	if r := []rune(first); len(r) > 2 && strings.ContainsRune("去到在", r[0]) && verbOf(first, known) == "" {
		for i := 3; i < len(r); i++ { // a place of two characters or more
			if v, _, _ := phrased(string(r[i:]), "", known); slices.Contains(placeVerbs, v) {
				place, first = string(r[1:i]), string(r[i:])
				break
			}
		}
	}
	verb, args, phrasing := phrased(first, rest, known)
	if verb == "" || !phrasing && s == text && place == "" {
		return text
	}
	out := joinWords(verb, strings.TrimSpace(strings.TrimPrefix(args, "了")))
	if place != "" {
		out += " 地点:" + place
	}
	return joinWords(out, date)
}

// phrased reads the verb a message starting with first (then rest) names:
// a phrasing (then phrasing is true), a known verb, or a phrasing after the
// project; "" when none.
func phrased(first, rest string, known []string) (verb, args string, phrasing bool) {
	for _, p := range phrasings {
		// "考察团来访" names a delegation, not a visit to 「团来访」.
		if t, ok := strings.CutPrefix(first, p.word); ok && !strings.ContainsAny(firstRune(t), "团组队") {
			return p.verb, joinWords(t, rest), true
		}
	}
	if v, args := parse.Verb(joinWords(first, rest), known...); slices.Contains(known, v) {
		return v, args, false
	}
	for _, p := range phrasings {
		// "诺比侃签了吗" asks; it records nothing.
		if name, tail, ok := strings.Cut(first, p.word); ok && p.after && name != "" && !strings.ContainsAny(tail, "吗没么?") {
			return p.verb, joinWords(name, joinWords(tail, rest)), true
		}
	}
	return "", "", false
}

// leadingTime cuts a time word or a date off the front of s ("昨天拜访…",
// "上周三 去成都…", "下午接待…"); d is the date word, "" for a time of day.
func leadingTime(s string) (rest, d string, ok bool) {
	first, tail := parse.Cut(s)
	for _, w := range timeWords {
		if t, ok := strings.CutPrefix(first, w); ok {
			return joinWords(t, tail), "", true
		}
	}
	r := []rune(first)
	for i := min(len(r), 12); i >= 2; i-- {
		if w := string(r[:i]); parse.LooksLikeDate(w) && (i < len(r) || tail != "") {
			return joinWords(string(r[i:]), tail), w, true
		}
	}
	return s, "", false
}

// verbOf returns the known verb text starts with, or "".
func verbOf(text string, known []string) string {
	if v, _ := parse.Verb(text, known...); slices.Contains(known, v) {
		return v
	}
	return ""
}

// joinWords joins two pieces of text with a space, either may be empty.
func joinWords(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " " + b
}

// firstRune returns the first character of s, or "".
func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}
