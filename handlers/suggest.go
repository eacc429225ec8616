package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"zsbot"
	"zsbot/handlers/parse"
)

// pickSaver keeps a pending numbered choice (the message's zsbot.Tx).
type pickSaver interface {
	SavePick(ctx context.Context, userID string, p *zsbot.Pick) error
}

// unknownVerb answers a message whose first word names no verb. When the
// word starts with a slip of a verb ("签月", "拜方", "到未": one character
// off), it asks whether that verb was meant and keeps the corrected
// command as a numbered choice; otherwise it refuses with an example that
// fits what the message looks like.
func (m *Mux) unknownVerb(ctx context.Context, s pickSaver, from, text, word string) (string, error) {
	first, _ := parse.Cut(text)
	if slip, verbs := m.closeVerbs(first); len(verbs) > 0 {
		pick := &zsbot.Pick{Raw: text, Word: slip, IDs: verbs}
		if len(verbs) == 1 {
			return holdPick(ctx, s, from, pick, fmt.Sprintf("是不是要「%s」？回复 1 按此执行（10分钟内有效）：%s",
				verbs[0], strings.Replace(text, slip, verbs[0], 1)))
		}
		var b strings.Builder
		fmt.Fprintf(&b, "「%s」不是指令，是不是要：", slip)
		for i, v := range verbs {
			fmt.Fprintf(&b, "\n%d. %s", i+1, v)
		}
		b.WriteString("\n回复序号按此执行（10分钟内有效）。")
		return holdPick(ctx, s, from, pick, b.String())
	}
	return "", zsbot.Errorf(zsbot.EINVALID, "不认识的指令「%s」。发送「帮助」查看全部指令，例如：%s。", clip(word, 20), m.exampleFor(text))
}

// closeVerbs returns the start of word that is one character off a verb's
// Chinese name, alias or phrasing of two or more characters, and the verbs
// it may have meant, by their names.
func (m *Mux) closeVerbs(word string) (slip string, verbs []string) {
	w := []rune(word)
	try := func(name, verb string) {
		n := utf8.RuneCountInString(name)
		if n < 2 || n > len(w) || asciiWord(name) || slip != "" && slip != string(w[:n]) || !oneOff([]rune(name), w[:n]) {
			return
		}
		if slip = string(w[:n]); !slices.Contains(verbs, verb) {
			verbs = append(verbs, verb)
		}
	}
	for _, v := range m.verbs {
		for _, name := range append([]string{v.Name}, v.Aliases...) {
			try(name, v.Name)
		}
	}
	for _, p := range phrasings {
		try(p.word, p.verb)
	}
	return slip, verbs
}

// oneOff reports whether a and b, of one length, differ in exactly one
// rune, and not in the first of two ("好的" is no slip of "我的").
func oneOff(a, b []rune) bool {
	if len(a) == 2 && a[0] != b[0] {
		return false
	}
	diff := 0
	for i := range a {
		if a[i] != b[i] {
			diff++
		}
	}
	return diff == 1
}

func asciiWord(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r >= utf8.RuneSelf }) < 0
}

// exampleFor picks the example a refusal shows by what the message looks
// like: an amount → 签约, a head count → 接待, a mention → 任务, a lone
// name → 查, anything else → 拜访.
func (m *Mux) exampleFor(text string) string {
	words, _ := parse.Split(text)
	if len(words) <= 1 {
		return m.Lookup("查").Example
	}
	name := "拜访"
	for _, w := range words[1:] {
		switch {
		case parse.LooksLikeMoney(w) && strings.ContainsAny(w, "亿万元"):
			name = "签约"
		case isHeadcount(w):
			name = "接待"
		case isMention(w):
			name = "任务"
		default:
			continue
		}
		break
	}
	return m.Lookup(name).Example
}
