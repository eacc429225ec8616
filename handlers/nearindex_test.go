package handlers

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"zsbot"
	"zsbot/handlers/parse"
)

// nearScan is nearCompanies by checking every company, as it was before
// the index: the oracle of TestNearCandidatesComplete.
func nearScan(n *names, word string) []zsbot.NameRef {
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
	for i, c := range n.companies {
		best := 0
		for j, k := range n.companyKeys[i] {
			if cl := nearCore(q, qk, k, n.companyCores[i][j]); cl > 0 && (best == 0 || cl < best) {
				best = cl
			}
		}
		if best > 0 {
			hits = append(hits, scored{c, best})
		}
	}
	slices.SortStableFunc(hits, func(a, b scored) int { return a.class - b.class })
	var out []zsbot.NameRef
	for _, h := range hits[:min(len(hits), maxNear)] {
		out = append(out, h.ref)
	}
	return out
}

// matchScan is matchCompanies' substring search over every company.
func matchScan(n *names, word string) []zsbot.NameRef {
	q := parse.NameKey(word)
	var out []zsbot.NameRef
	for i, c := range n.companies {
		if slices.ContainsFunc(n.companyKeys[i], func(k string) bool { return k != "" && strings.Contains(k, q) }) {
			out = append(out, c)
		}
	}
	return out
}

// matchProjectsScan is matchProjects' search past exact names over every
// project, and holdingScan projectsHolding's.
func matchProjectsScan(n *names, word string) []zsbot.NameRef {
	if exact := n.refs(n.projects, n.projectByName.at(word)); len(exact) > 0 {
		return exact
	}
	q := parse.NameKey(word)
	if keyed := n.refs(n.projects, n.projectByKey.at(q)); q != "" && len(keyed) > 0 {
		return keyed
	}
	if q == "" {
		return nil
	}
	byCompany := map[string]bool{}
	for _, c := range matchScan(n, word) {
		byCompany[c.ID] = true
	}
	var hits []zsbot.NameRef
	for i, p := range n.projects {
		if strings.Contains(n.projectKeys[i][0], q) || (p.Company != "" && byCompany[p.Company]) {
			hits = append(hits, p)
		}
	}
	return preferLive(hits)
}

func holdingScan(n *names, word string, skip []zsbot.NameRef) []zsbot.NameRef {
	q := parse.NameKey(word)
	if len([]rune(q)) < 2 {
		return nil
	}
	var out []zsbot.NameRef
	for i, p := range n.projects {
		if p.Stage != zsbot.StageDropped && strings.Contains(n.projectKeys[i][0], q) &&
			!slices.ContainsFunc(skip, func(c zsbot.NameRef) bool { return c.ID == p.Company }) {
			out = append(out, p)
		}
	}
	return out
}

// TestNearCandidatesComplete: the near-name check and the substring
// search over the index's candidates answer exactly as a scan of every
// company, for names typed as officers slip: a character dropped, added,
// replaced (by a homophone or not), two slips in long names, a part of the
// name, the name within a longer one, another place before it, a short
// name; over companies built incrementally, as a serving process does.
func TestNearCandidatesComplete(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	// Many characters, so that most come rarely, as in real names; the
	// homophone groups' first characters among them.
	var alpha []rune
	for _, g := range homophoneGroups {
		alpha = append(alpha, []rune(g)...)
	}
	alpha = append(alpha, []rune("甲乙丙丁一二三四五六七八九十机电器件纸业包装物流冷链餐饮酒店医疗器械电缆")...)
	places := []string{"", "", "", "重庆", "成都市", "四川省", "中国", "深圳"}
	tails := []string{"有限公司", "科技有限公司", "实业有限公司", "集团", "控股集团有限公司", ""}
	word := func(n int) []rune {
		w := make([]rune, n)
		for i := range w {
			w[i] = alpha[r.IntN(len(alpha))]
		}
		return w
	}
	var refs, projects []zsbot.NameRef
	var cores [][]rune
	var cache nameCache
	var n *names
	for len(refs) < 3000 {
		for range 1 + r.IntN(300) {
			c := word(2 + r.IntN(5))
			ref := zsbot.NameRef{ID: fmt.Sprintf("E%d", len(refs)+1), Name: places[r.IntN(len(places))] + string(c) + tails[r.IntN(len(tails))]}
			if r.IntN(5) == 0 {
				ref.Aliases = []string{string(c[:2])}
			}
			refs, cores = append(refs, ref), append(cores, c)
			if r.IntN(3) > 0 {
				p := zsbot.NameRef{ID: fmt.Sprintf("P%d", len(projects)+1), Company: ref.ID,
					Name: string(c[r.IntN(len(c)):]) + []string{"项目", "基地", "二期", ""}[r.IntN(4)]}
				if r.IntN(6) == 0 {
					p.Stage = zsbot.StageDropped
				}
				projects = append(projects, p)
			}
		}
		n = cache.index(slices.Clone(projects), slices.Clone(refs))
	}
	slip := func(c []rune) []rune {
		c = slices.Clone(c)
		switch i := r.IntN(len(c)); r.IntN(4) {
		case 0:
			return slices.Delete(c, i, i+1)
		case 1:
			return slices.Insert(c, i, alpha[r.IntN(len(alpha))])
		case 2:
			if g := homophone[c[i]]; g != 0 {
				c[i] = []rune(homophoneGroups[g-1])[r.IntN(len([]rune(homophoneGroups[g-1])))]
				return c
			}
			fallthrough
		default:
			c[i] = alpha[r.IntN(len(alpha))]
		}
		return c
	}
	indexed, near, holding := 0, 0, 0
	for q := range 4000 {
		c := cores[r.IntN(len(cores))]
		var w []rune
		switch r.IntN(8) {
		case 0:
			w = slip(c)
		case 1:
			w = slip(slip(c))
		case 2: // a part
			a := r.IntN(len(c) - 1)
			w = c[a : a+2+r.IntN(len(c)-a-1)]
		case 3: // within a longer name
			w = slices.Concat(word(r.IntN(3)), c, word(r.IntN(3)))
		case 4:
			w = slices.Concat([]rune(places[r.IntN(len(places))]), c)
		case 5:
			w = word(1 + r.IntN(6))
		case 6:
			if r.IntN(2) == 0 {
				w = c[:1]
				break
			}
			// a part or the whole with a character read the same, or
			// within a longer name so
			a := r.IntN(len(c) - 1)
			w = slices.Clone(c[a : a+2+r.IntN(len(c)-a-1)])
			for i, ch := range w {
				if g := homophone[ch]; g != 0 {
					w[i] = []rune(homophoneGroups[g-1])[r.IntN(len([]rune(homophoneGroups[g-1])))]
					break
				}
			}
			if r.IntN(2) == 0 {
				w = slices.Concat(word(1+r.IntN(2)), w)
			}
		default:
			w = slices.Clone(c)
		}
		typed := string(w) + tails[r.IntN(len(tails))]
		if _, ok := n.nearCandidates(parse.NameKey(typed), splitCore(parse.NameKey(typed))); ok {
			indexed++
		}
		got, want := n.nearCompanies(typed), nearScan(n, typed)
		if len(want) > 0 {
			near++
		}
		if !slices.EqualFunc(got, want, func(a, b zsbot.NameRef) bool { return a.ID == b.ID }) {
			t.Fatalf("query %d %q: near %v, a scan finds %v", q, typed, got, want)
		}
		if got, want := n.matchCompanies(typed), matchScan(n, typed); parse.NameKey(typed) != "" && n.refs(n.companies, n.companyByKey.at(parse.NameKey(typed)), n.companyByName.at(typed)) == nil &&
			!slices.EqualFunc(got, want, func(a, b zsbot.NameRef) bool { return a.ID == b.ID }) {
			t.Fatalf("query %d %q: match %v, a scan finds %v", q, typed, got, want)
		}
		ids := func(a, b zsbot.NameRef) bool { return a.ID == b.ID }
		if got, want := n.matchProjects(typed), matchProjectsScan(n, typed); !slices.EqualFunc(got, want, ids) {
			t.Fatalf("query %d %q: projects %v, a scan finds %v", q, typed, got, want)
		}
		skip := n.refs(n.companies, n.companyByKey.at(parse.NameKey(string(c))))
		if got, want := n.projectsHolding(typed, skip), holdingScan(n, typed, skip); !slices.EqualFunc(got, want, ids) {
			t.Fatalf("query %d %q: projects holding it %v, a scan finds %v", q, typed, got, want)
		}
		if got, want := n.projectsHolding(string(w), nil), holdingScan(n, string(w), nil); !slices.EqualFunc(got, want, ids) {
			t.Fatalf("query %d %q: projects holding it %v, a scan finds %v", q, string(w), got, want)
		} else if len(want) > 0 {
			holding++
		}
	}
	t.Logf("%d of 4000 queries checked only the index's candidates; %d found near names, %d projects holding them", indexed, near, holding)
	if indexed < 3000 || near < 1000 || holding < 200 {
		t.Fatalf("%d queries used the index, %d found near names, %d projects holding them: the test does not test what it should", indexed, near, holding)
	}
}
