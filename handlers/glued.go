package handlers

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"zsbot"
	"zsbot/handlers/parse"
)

// leadParticles are the words of a sentence that may come between a verb
// and its company ("拜访了恒瑞医药", "接待 了中冶赛迪", "拜访了一下宁德时代");
// they are dropped (一下 only after 了, or before a known name: 一下科技 is a
// company).
// strayParticles at the start of a new company's name make it refused:
// "和中冶赛迪" is no company.
var (
	leadParticles  = []string{"了一下", "了", "去"}
	strayParticles = []string{"和", "与", "等", "共", "一行"}
	tailParticles  = []string{"一行人", "一行", "等人", "等"}
)

// companyArgs reads the first word of a 拜访 or 接待 as its company and what
// was typed onto it: particles are dropped, words joined by 、 are parted,
// and an unknown name is cut before a place, date or head count glued to
// it ("康硕重庆昨天" is 康硕 重庆 昨天; "中冶赛迪一行5人" is 中冶赛迪 一行5人).
// It returns args with those words apart, the company first. A name that
// still holds an amount or starts with a stray particle is refused.
func (h *handlers) companyArgs(ctx context.Context, st zsbot.Store, v *Verb, args string) (string, error) {
	ts := parse.Tokens(args)
	if len(ts) == 0 {
		return args, nil
	}
	rest, ok := strings.CutPrefix(args, ts[0].Word)
	if !ok {
		return args, nil
	}
	parts := strings.FieldsFunc(ts[0].Word, func(r rune) bool { return r == '、' })
	if len(parts) == 0 {
		return strings.TrimSpace(rest), nil
	}
	name := parts[0]
	for _, p := range leadParticles {
		name = strings.TrimPrefix(name, p)
	}
	n, err := h.names(ctx, st)
	if err != nil {
		return "", err
	}
	// "拜访了一下宁德时代": 一下 is dropped before a known name (一下科技 is
	// a company too).
	if t, ok := strings.CutPrefix(name, "一下"); ok && t != "" && !n.knownName(name) && n.knownName(t) {
		name = t
	}
	var glued []string
	if !n.knownName(name) {
		name, glued = unglue(name, n)
		if err := strayName(v, name); err != nil {
			return "", err
		}
	}
	words := append(append([]string{name}, glued...), parts[1:]...)
	return strings.TrimSpace(strings.Join(words, " ") + rest), nil
}

// knownName reports whether w names a company or project exactly, or by ID.
func (n *names) knownName(w string) bool {
	if _, _, ok := parse.ParseID(w); ok {
		return true
	}
	k := parse.NameKey(w)
	return len(n.refs(n.companies, n.companyByKey.at(k), n.companyByName.at(w))) > 0 || len(n.matchProjects(w)) > 0
}

// maxGlued is the longest word unglue searches: a name of 60 characters
// with a place, date or head count glued to it.
const maxGlued = 100

// unglue cuts the words glued to the end of a name, last first: a date
// that is no amount, a head count, a particle (一行, 等), a known place,
// or a word written as a place after the name of a known company
// ("康硕江津区", "宁德时代福建宁德").
func unglue(name string, n *names) (string, []string) {
	if utf8.RuneCountInString(name) > maxGlued {
		return name, nil // no name is that long: it is refused whole, without a quadratic search
	}
	var tail []string
	for !parse.LooksLikeDate(name) && !parse.LooksLikeMoney(name) {
		r := []rune(name)
		cut := 0
		for i := 2; i < len(r) && cut == 0; i++ {
			w := string(r[i:])
			switch {
			case !nameEnd(r[i-1]):
				// "2月30日" is one date, not 2月 and 30日
			case parse.LooksLikeDate(w) && !parse.LooksLikeMoney(w), isHeadcount(w), isCity(w):
				cut = i
			case slices.Contains(tailParticles, w):
				cut = i
			}
		}
		if cut == 0 {
			for i := len(r) - 1; i >= 2; i-- {
				if n.knownName(string(r[:i])) && looksLikePlace(string(r[i:])) {
					cut = i
					break
				}
			}
		}
		if cut == 0 {
			return name, tail
		}
		if w := string(r[cut:]); !slices.Contains(tailParticles, w) {
			tail = append([]string{w}, tail...)
		}
		name = string(r[:cut])
	}
	return name, tail
}

// nameEnd reports whether a name may end with r: not with a digit or a
// piece of a date.
func nameEnd(r rune) bool {
	return !strings.ContainsRune("0123456789.-/年月日号周", r)
}

// strayName refuses a new company's name that starts with a particle or
// holds an amount: the officer typed more than the name.
func strayName(v *Verb, name string) error {
	for _, p := range strayParticles {
		if strings.HasPrefix(name, p) {
			return usageError(v, "企业名称「"+clip(name, 20)+"」以「"+p+"」开头，请只写企业名称")
		}
	}
	r := []rune(name)
	for i := 1; i < len(r); i++ {
		if w := string(r[i:]); strings.ContainsAny(w, "亿万元") && parse.LooksLikeMoney(w) {
			return usageError(v, "「"+clip(name, 20)+"」里有金额「"+w+"」，"+v.Name+"不记金额，请只写企业名称")
		}
	}
	return nil
}
