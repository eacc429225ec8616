package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// ambiguous is returned by the resolvers when a word matches several
// records. The Mux lists them and keeps a pending choice, so that the
// sender's next message of just a number picks one.
type ambiguous struct {
	word   string
	what   string // 项目 or 企业
	ids    []string
	labels []string
}

func (a *ambiguous) Error() string { return "ambiguous " + a.word }

// Unwrap gives the code EAMBIGUOUS.
func (a *ambiguous) Unwrap() error { return zsbot.Errorf(zsbot.EAMBIGUOUS, "%s", a.list()) }

// maxChoices is how many matches a numbered list offers.
const maxChoices = 9

func (a *ambiguous) list() string {
	var b strings.Builder
	fmt.Fprintf(&b, "「%s」匹配到%d个%s，请回复序号选择（10分钟内有效）：", clip(a.word, 20), len(a.ids), a.what)
	for i, l := range a.labels {
		fmt.Fprintf(&b, "\n%d. %s", i+1, l)
	}
	return b.String()
}

func newAmbiguous(word, what string, refs []zsbot.NameRef, label func(zsbot.NameRef) string) error {
	if len(refs) > maxChoices {
		return zsbot.Errorf(zsbot.EAMBIGUOUS, "「%s」匹配到%d个%s，请写得更具体些，或用编号（如 P12）。", clip(word, 20), len(refs), what)
	}
	a := &ambiguous{word: word, what: what}
	for _, r := range refs {
		a.ids = append(a.ids, r.ID)
		a.labels = append(a.labels, label(r))
	}
	return a
}

// matchCompanies returns the companies matching word exactly (by any name)
// or, when none does, whose names contain it.
func (n *names) matchCompanies(word string) []zsbot.NameRef {
	q := parse.NameKey(word)
	if q == "" {
		return nil
	}
	if exact := n.refs(n.companies, n.companyByKey.at(q), n.companyByName.at(word)); len(exact) > 0 {
		return exact
	}
	var sub []zsbot.NameRef
	check := func(i int) {
		for _, k := range n.companyKeys[i] {
			// Only a shorter word matches a longer name: "康硕电子" is not
			// the company "康硕集团" (key 康硕), though it contains its key.
			if k != "" && strings.Contains(k, q) {
				sub = append(sub, n.companies[i])
				return
			}
		}
	}
	// A key holding q holds each of its characters: the companies holding
	// the rarest, when they are few, else all.
	if cand := n.companyByRune.rarest([]rune(q), 1); len(cand) == 1 && len(cand[0]) <= len(n.companies)/2 {
		for _, i := range cand[0] {
			check(i)
		}
		return sub
	}
	for i := range n.companies {
		check(i)
	}
	return sub
}

// findProject resolves a word to a project: by ID, by exact name (which
// always wins), then by its company's names, then by substring.
func (h *handlers) findProject(ctx context.Context, st zsbot.Store, word string) (*zsbot.Project, error) {
	return h.findProjectIn(ctx, st, word)
}

// findProjectIn is findProject for a command that only applies to projects
// in some stages (增资 to signed ones): when a word matches several
// projects and exactly one of them is in those stages, that one is meant.
// Otherwise the choice is the officer's.
func (h *handlers) findProjectIn(ctx context.Context, st zsbot.Store, word string, stages ...zsbot.Stage) (*zsbot.Project, error) {
	if kind, _, ok := parse.ParseID(word); ok && kind == 'P' {
		return st.Project(ctx, strings.ToUpper(word))
	}
	n, err := h.names(ctx, st)
	if err != nil {
		return nil, err
	}
	refs := n.matchProjects(word)
	if len(refs) > 1 {
		// Several match: the choice and the list go by their stages now (the
		// store's names may say only whether a project is 终止).
		if refs, err = h.currentStages(ctx, st, refs); err != nil {
			return nil, err
		}
	}
	if len(refs) > 1 && len(stages) > 0 {
		var fit []zsbot.NameRef
		for _, r := range refs {
			if slices.Contains(stages, r.Stage) {
				fit = append(fit, r)
			}
		}
		if len(fit) == 1 {
			refs = fit
		}
	}
	switch len(refs) {
	case 0:
		return nil, notFound("项目", word, n.projects)
	case 1:
		return st.Project(ctx, refs[0].ID)
	}
	return nil, newAmbiguous(word, "项目", refs, func(r zsbot.NameRef) string {
		return fmt.Sprintf("%s %s（%s）", r.ID, r.Name, r.Stage)
	})
}

// currentStages returns refs with each project's stage as stored now,
// dropping any that no longer exists.
func (h *handlers) currentStages(ctx context.Context, st zsbot.Store, refs []zsbot.NameRef) ([]zsbot.NameRef, error) {
	ids := make([]string, len(refs))
	for i, r := range refs {
		ids[i] = r.ID
	}
	ps, err := st.Projects(ctx, ids)
	if err != nil {
		return nil, err
	}
	stage := make(map[string]zsbot.Stage, len(ps))
	for _, p := range ps {
		stage[p.ID] = p.Stage
	}
	out := make([]zsbot.NameRef, 0, len(refs))
	for _, r := range refs {
		if s, ok := stage[r.ID]; ok {
			r.Stage = s
			out = append(out, r)
		}
	}
	return out, nil
}

// matchProjects returns the projects a word names, best matches only.
func (n *names) matchProjects(word string) []zsbot.NameRef {
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
	for _, c := range n.matchCompanies(word) {
		byCompany[c.ID] = true
	}
	// A key holding q holds its rarest character: the projects holding
	// it, and those of the companies matched.
	cand := [][]int{n.projectsWithRune(q)}
	for id := range byCompany {
		cand = append(cand, n.projectByCompany.at(id))
	}
	var hits []zsbot.NameRef
	for _, i := range union(cand) {
		p := n.projects[i]
		if strings.Contains(n.projectKeys[i][0], q) || (p.Company != "" && byCompany[p.Company]) {
			hits = append(hits, p)
		}
	}
	return preferLive(hits)
}

// preferLive drops terminated projects when live ones match too.
func preferLive(refs []zsbot.NameRef) []zsbot.NameRef {
	var live []zsbot.NameRef
	for _, r := range refs {
		if r.Stage != zsbot.StageDropped {
			live = append(live, r)
		}
	}
	if len(live) > 0 {
		return live
	}
	return refs
}

// findCompany resolves a word to a known company; nil (and no error) when
// nothing matches, so the caller may create one.
func (h *handlers) findCompany(ctx context.Context, st zsbot.Store, n *names, word string) (*zsbot.Company, error) {
	if kind, _, ok := parse.ParseID(word); ok && kind == 'E' {
		return st.Company(ctx, strings.ToUpper(word))
	}
	refs := n.matchCompanies(word)
	switch len(refs) {
	case 0:
		return nil, nil
	case 1:
		return st.Company(ctx, refs[0].ID)
	}
	return nil, newAmbiguous(word, "企业", refs, func(r zsbot.NameRef) string {
		return r.ID + " " + r.Name
	})
}

// notFound says nothing matched and offers the closest names.
func notFound(what, word string, refs []zsbot.NameRef) error {
	cands := make([]string, 0, len(refs))
	for _, r := range refs {
		cands = append(cands, r.Name)
	}
	msg := fmt.Sprintf("未找到%s「%s」。", what, clip(word, 30))
	if close := parse.Closest(word, cands, 3); len(close) > 0 {
		msg += "最接近的有：" + strings.Join(close, "、") + "。"
	} else if what == "项目" {
		msg += "可先登记：新项目 <名称> 企业:<企业> <金额>。"
	}
	return zsbot.Errorf(zsbot.ENOTFOUND, "%s", msg)
}

// projectsWithRune returns the positions of the projects whose keys hold
// q's rarest character (every project's when q has none): every project
// whose key holds q is among them.
func (n *names) projectsWithRune(q string) []int {
	if lists := n.projectByRune.rarest([]rune(q), 1); len(lists) == 1 {
		return lists[0]
	}
	all := make([]int, len(n.projects))
	for i := range all {
		all[i] = i
	}
	return all
}

// union returns the positions of lists ascending, once each.
func union(lists [][]int) []int {
	if len(lists) == 1 {
		return lists[0] // ascending, once each, as every list of positions
	}
	var out []int
	for _, ps := range lists {
		out = append(out, ps...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}
