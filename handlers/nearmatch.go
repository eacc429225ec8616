package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// A company is never created by accident: a name that is no company's
// (by its name, short name or match key) but is close to one — the same
// core, one inside the other, the same reading, a slip of a character or
// two — is asked about, with the command held as a pending choice
// (zsbot.Pick, New set) for ten minutes: 1 (or 是, 第1个…: answerPick)
// runs it with the company offered, 新建 runs it creating the new one.

// nearMatch is the question a command returns instead of creating a
// company whose name is close to known ones; the Mux keeps the command.
type nearMatch struct {
	word   string // the new company's name, as the command read it
	ids    []string
	labels []string
}

func (e *nearMatch) Error() string { return "near match " + e.word }

// Unwrap gives the code EAMBIGUOUS.
func (e *nearMatch) Unwrap() error { return zsbot.Errorf(zsbot.EAMBIGUOUS, "%s", e.question()) }

// question asks which was meant: 「是 E3 康硕科技 吗？…」.
func (e *nearMatch) question() string {
	create := fmt.Sprintf("回复「新建」登记新企业「%s」（10分钟内有效）。", clip(e.word, 20))
	if len(e.ids) == 1 {
		return fmt.Sprintf("是 %s 吗？回复 1 确认；%s", e.labels[0], create)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "「%s」与已有的%d个企业或项目相近，请回复序号选择：", clip(e.word, 20), len(e.ids))
	for i, l := range e.labels {
		fmt.Fprintf(&b, "\n%d. %s", i+1, l)
	}
	b.WriteString("\n或" + create)
	return b.String()
}

// pick is the pending choice that keeps the command raw for the answer.
func (e *nearMatch) pick(raw string) *zsbot.Pick {
	return &zsbot.Pick{Raw: raw, Word: e.word, IDs: e.ids, New: e.word}
}

// nameAnswer is the answer to a near-match question: the name asked
// about and the ID chosen for it, "" for 新建.
type nameAnswer struct{ word, id string }

// answered returns the sender's answer about word, nil when none.
func (r *Request) answered(word string) *nameAnswer {
	if r.named != nil && r.named.word == word {
		return r.named
	}
	return nil
}

// newWords answer a near-match question with 新建.
var newWords = map[string]bool{"新建": true, "新建企业": true, "新企业": true, "新增": true, "登记新企业": true}

// nearAnswer is the answer to the near-match question pick: the command
// held, with the n-th record offered (1-based) or, for 0, the new company.
func nearAnswer(msg *zsbot.Message, pick *zsbot.Pick, n int) answer {
	a := &nameAnswer{word: pick.New}
	if n > 0 {
		a.id = pick.IDs[n-1]
	}
	return answer{msg: resolved(msg, pick.Raw), named: a}
}

// maxNear is how many close names a question offers.
const maxNear = maxChoices

// nearCompanies returns the companies whose names are close to word's
// (nearName), the closest first, at most maxNear. It checks only the
// companies nearCandidates finds, or all of them when those are many.
func (n *names) nearCompanies(word string) []zsbot.NameRef {
	q := parse.NameKey(word)
	if q == "" {
		return nil
	}
	type scored struct {
		ref   zsbot.NameRef
		class int
	}
	var hits []scored
	qk := splitCore(q)
	check := func(i int) {
		best := 0
		for j, k := range n.companyKeys[i] {
			if cl := nearCore(q, qk, k, n.companyCores[i][j]); cl > 0 && (best == 0 || cl < best) {
				best = cl
			}
		}
		if best > 0 {
			hits = append(hits, scored{n.companies[i], best})
		}
	}
	if cand, ok := n.nearCandidates(q, qk); ok {
		for _, i := range cand {
			check(i)
		}
	} else {
		for i := range n.companies {
			check(i)
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return a.class - b.class })
	out := make([]zsbot.NameRef, 0, min(len(hits), maxNear))
	for _, h := range hits[:min(len(hits), maxNear)] {
		out = append(out, h.ref)
	}
	return out
}

// nearCandidates returns, ascending and once each, the positions of the
// companies that can be close to the key q (split qk) by nearCore, from
// the index; ok is false when they would be more than half the companies
// (a scan of all is then as cheap). For a known key k split kk, nearCore
// finds them close only when
//
//   - their cores are equal (1), or kk's core, of two characters or more,
//     is inside qk's (2): companyByCore of each part of qk's core;
//   - k, of two characters or more, is inside q (2): companyByKey of each
//     part of q;
//   - q is inside k (2): k holds every character of q, so its rarest one
//     (companyByRune);
//   - the cores read the same (3): companyBySound of qk's core;
//   - kk's core, of two characters or more, reads as a part of qk's (3):
//     companyBySound of each part of qk's core's sound;
//   - qk's core reads as a part of kk's (3): kk's sound holds every
//     character of qk's sound, so its rarest one (companyByRune holds the
//     characters of the sounds too);
//   - qk's core is inside kk's (2), or they differ by a slip of at most d
//     characters (4; d is 2 when qk's core has four characters or more,
//     else 1): of any d+1 places of qk's core one is neither dropped nor
//     replaced in kk's, so kk's core holds a character of theirs; the
//     rarest d+1 are taken.
func (n *names) nearCandidates(q string, qk *core) ([]int, bool) {
	var lists [][]int
	total := 0
	add := func(ps []int) {
		if len(ps) > 0 {
			lists, total = append(lists, ps), total+len(ps)
		}
	}
	qr, cr := []rune(q), qk.runes
	add(n.companyByCore.at(qk.core))
	parts(cr, func(s string) { add(n.companyByCore.at(s)) })
	parts(qr, func(s string) { add(n.companyByKey.at(s)) })
	add(n.companyBySound.at(qk.sound))
	sr := []rune(qk.sound)
	parts(sr, func(s string) { add(n.companyBySound.at(s)) })
	if len(cr) >= 2 {
		for _, ps := range n.companyByRune.rarest(sr, 1) {
			add(ps)
		}
	}
	for _, ps := range n.companyByRune.rarest(qr, 1) {
		add(ps)
	}
	if len(cr) >= 2 {
		d := 1
		if len(cr) >= 4 {
			d = 2
		}
		for _, ps := range n.companyByRune.rarest(cr, d+1) {
			add(ps)
		}
	}
	if total > len(n.companies)/2 {
		return nil, false
	}
	return union(lists), true
}

// parts calls f with every part of rs of two characters or more.
func parts(rs []rune, f func(string)) {
	for a := range rs {
		for b := a + 2; b <= len(rs); b++ {
			f(string(rs[a:b]))
		}
	}
}

// rarest returns the positions holding each of the m characters of rs (m
// places; all when rs has fewer) that the fewest entries hold, in by (a
// map by character: companyByRune, projectByRune).
func (by positions) rarest(rs []rune, m int) [][]int {
	lists := make([][]int, len(rs))
	for i, r := range rs {
		lists[i] = by.at(string(r))
	}
	slices.SortStableFunc(lists, func(a, b []int) int { return len(a) - len(b) })
	return lists[:min(m, len(lists))]
}

// sound is rs with each character of a homophone group written as its
// group: two cores of one length read the same (samePinyin) exactly when
// their sounds are equal.
func sound(rs []rune) string {
	out := make([]rune, len(rs))
	for i, r := range rs {
		if g := homophone[r]; g != 0 {
			r = soundBase + rune(g)
		}
		out[i] = r
	}
	return string(out)
}

// soundBase places the homophone groups in Unicode's supplementary
// private use area, where names have no characters (were one there, it
// would only add candidates, which nearCore checks).
const soundBase = 0xF0000

// projectsHolding returns the live projects whose names hold word's key,
// but not those of the companies in skip: an officer may name a visit by
// its project ("拜访 新材料" when two projects hold 新材料).
func (n *names) projectsHolding(word string, skip []zsbot.NameRef) []zsbot.NameRef {
	q := parse.NameKey(word)
	if len([]rune(q)) < 2 {
		return nil
	}
	var out []zsbot.NameRef
	for _, i := range n.projectsWithRune(q) {
		p := n.projects[i]
		if p.Stage == zsbot.StageDropped || !strings.Contains(n.projectKeys[i][0], q) ||
			slices.ContainsFunc(skip, func(c zsbot.NameRef) bool { return c.ID == p.Company }) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// nearName tells how close a new name's key q is to a known one k,
// closest first: 1 the same core (without a leading place and the words
// every company has), 2 one inside the other (k of two characters at
// least, when inside q), 3 the same reading, 4 a slip of one character (two
// in names of four or more) other than numerals alone; 0 not close. Equal
// keys are not asked about: they are one company. Nor are names of two
// places with one core (重庆啤酒, 青岛啤酒), unless one holds the other.
func nearName(q, k string) int { return nearCore(q, splitCore(q), k, splitCore(k)) }

// nearCore is nearName with q and k already split (qk, kk): a new name is
// compared with every known one, split once in the names' index.
func nearCore(q string, qk *core, k string, kk *core) int {
	if q == k || q == "" || k == "" {
		return 0
	}
	qp, qc, qr := qk.place, qk.core, qk.runes
	kp, kc, kr := kk.place, kk.core, kk.runes
	otherPlace := qp != "" && kp != "" && qp != kp
	short := min(len(qr), len(kr))
	switch {
	case qc == kc && !otherPlace:
		return 1
	case strings.Contains(k, q) || len([]rune(k)) >= 2 && strings.Contains(q, k):
		return 2
	case otherPlace:
		return 0
	case short >= 2 && (strings.Contains(kc, qc) || strings.Contains(qc, kc)):
		return 2
	case samePinyin(qr, kr):
		return 3
	case short >= 2 && (strings.Contains(kk.sound, qk.sound) || strings.Contains(qk.sound, kk.sound)):
		return 3 // one inside the other, read the same: 康朔 and 康硕电子
	case short >= 2 && abs(len(qr)-len(kr)) <= 2 && !numbered(qr, kr):
		// (Names whose lengths differ by more than two are never a slip.)
		if d := boundedEdits(qr, kr, 2); d <= 1 || d <= 2 && short >= 4 {
			return 4
		}
	}
	return 0
}

func abs(n int) int { return max(n, -n) }

// boundedEdits is parse.EditDistance when it is at most bound, else
// bound+1, stopping as soon as a row exceeds bound; names of up to 63
// runes need no allocation.
func boundedEdits(a, b []rune, bound int) int {
	if len(b) > 63 {
		return min(parse.EditDistance(a, b), bound+1)
	}
	var rows [2][64]int
	prev, cur := &rows[0], &rows[1]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			low = min(low, cur[j])
		}
		if low > bound {
			return bound + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], bound+1)
}

// core is a match key split by coreKey, with its core's runes and sound.
type core struct {
	place, core string
	runes       []rune
	sound       string
}

// splitCore splits k by coreKey.
func splitCore(k string) *core {
	place, kc := coreKey(k)
	rs := []rune(kc)
	return &core{place: place, core: kc, runes: rs, sound: sound(rs)}
}

// numbered reports whether a and b differ only in numerals (or the
// ordinals 甲乙丙丁…) at the same places ("康硕一厂", "康硕二厂"; "甲公司",
// "乙公司"): numbered siblings, not a slip.
func numbered(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	const numerals = "0123456789零〇一二三四五六七八九十百千甲乙丙丁戊己庚辛壬癸"
	for i := range a {
		if a[i] != b[i] && (!strings.ContainsRune(numerals, a[i]) || !strings.ContainsRune(numerals, b[i])) {
			return false
		}
	}
	return true
}

// coreWords are the words of a company's name that tell nothing of which
// company it is, stripped from the end of its core (after the match key's
// 有限公司, 集团, 科技…).
var coreWords = []string{"控股", "实业", "发展", "国际", "工业", "产业", "制造", "有限", "中国"}

// coreKey splits a match key into its leading place (a city, province or
// country, with its 省 or 市; 中国; "" for none) and its core, which is
// the rest without coreWords at its end: "重庆市康硕实业" → "重庆市",
// "康硕". The core is never empty.
func coreKey(k string) (place, core string) {
	for cut := true; cut; {
		cut = false
		r := []rune(k)
		for n := min(len(r)-2, 6); n >= 2; n-- {
			p := string(r[:n])
			if cities[p] || p == "中国" || (cities[string(r[:n-1])] && strings.ContainsRune("省市", r[n-1])) {
				place, k, cut = place+p, string(r[n:]), true
				break
			}
		}
	}
	for cut := true; cut; {
		cut = false
		for _, w := range coreWords {
			if t, ok := strings.CutSuffix(k, w); ok && len([]rune(t)) >= 2 {
				k, cut = parse.NameKey(t), true
			}
		}
	}
	return strings.TrimRight(place, "省市"), k
}

// companyFor finds the company a word names or makes a new one (not yet
// stored: the caller adds it to its change): the company the officer
// chose for it, the one it names by ID, name, short name or match key —
// or, when it names none, a new company, unless its name is close to
// known ones (nearCompanies, and also: more records the caller offers
// for a name fit to be a company's, nil for none), which is asked about
// (nearMatch).
func (h *handlers) companyFor(ctx context.Context, r *Request, n *names, word, region string, also func(near []zsbot.NameRef) []zsbot.NameRef) (*zsbot.Company, bool, error) {
	if a := r.answered(word); a != nil {
		if a.id == "" {
			return h.newCompany(ctx, r.Tx, word, region)
		}
		co, err := r.Tx.Company(ctx, a.id)
		return co, false, err
	}
	co, err := h.exactCompany(ctx, r.Tx, n, word)
	if err != nil || co != nil {
		return co, false, err
	}
	if err := checkNewName("企业名称", word); err != nil {
		return nil, false, err
	}
	near := n.nearCompanies(word)
	if also != nil {
		near = append(near, also(near)...)
	}
	if len(near) > 0 {
		return nil, false, newNearMatch(word, near[:min(len(near), maxNear)])
	}
	return h.newCompany(ctx, r.Tx, word, region)
}

// newCompany makes the company named word, with its ID.
func (h *handlers) newCompany(ctx context.Context, st zsbot.Store, word, region string) (*zsbot.Company, bool, error) {
	if err := checkNewName("企业名称", word); err != nil {
		return nil, false, err
	}
	id, err := st.NextID(ctx, zsbot.KindCompany)
	if err != nil {
		return nil, false, err
	}
	return &zsbot.Company{ID: id, Name: word, Region: region}, true, nil
}

// exactCompany returns the company word names by ID, or exactly by a
// name, short name or match key; nil when none does, and the officer's
// choice when several do.
func (h *handlers) exactCompany(ctx context.Context, st zsbot.Store, n *names, word string) (*zsbot.Company, error) {
	if kind, _, ok := parse.ParseID(word); ok && kind == 'E' {
		return st.Company(ctx, strings.ToUpper(word))
	}
	refs := n.refs(n.companies, n.companyByKey.at(parse.NameKey(word)), n.companyByName.at(word))
	switch len(refs) {
	case 0:
		return nil, nil
	case 1:
		return st.Company(ctx, refs[0].ID)
	}
	return nil, newAmbiguous(word, "企业", refs, func(r zsbot.NameRef) string { return r.ID + " " + r.Name })
}

// newNearMatch asks whether word meant one of refs (companies and
// projects).
func newNearMatch(word string, refs []zsbot.NameRef) error {
	e := &nearMatch{word: word}
	for _, r := range refs {
		e.ids = append(e.ids, r.ID)
		if isProjectID(r.ID) {
			e.labels = append(e.labels, "项目 "+r.ID+" "+r.Name)
		} else {
			e.labels = append(e.labels, r.ID+" "+r.Name)
		}
	}
	return e
}

// companyNote names the company a reply linked or created:
// 「企业：E3 康硕科技」 or 「新建企业 E9 康朔」.
func companyNote(co *zsbot.Company, created bool) string {
	if created {
		return "新建企业 " + co.ID + " " + co.Name
	}
	return "企业：" + co.ID + " " + co.Name
}
