package handlers

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"zsbot"
)

// TestNameIndexIncremental proves that an index built from the last one
// (shared, extended, folded or rebuilt) answers every lookup exactly as one
// built from scratch, through a random history of stage changes,
// additions, renames and removals.
func TestNameIndexIncremental(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var projects, companies []zsbot.NameRef
	next := 0
	add := func() {
		next++
		co := zsbot.NameRef{ID: fmt.Sprintf("E%d", next), Name: fmt.Sprintf("星河%d科技", next%40), Aliases: []string{fmt.Sprintf("星%d", next%7)}}
		companies = append(companies, co)
		projects = append(projects, zsbot.NameRef{ID: fmt.Sprintf("P%d", next), Name: fmt.Sprintf("项目%d基地", next%50), Company: co.ID})
	}
	for range 20 {
		add()
	}
	var cache nameCache
	for step := range 400 {
		projects, companies = slices.Clone(projects), slices.Clone(companies)
		switch op := r.IntN(10); {
		case op < 5: // a stage changes: same names, same places
			i := r.IntN(len(projects))
			projects[i].Stage = []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageDropped}[r.IntN(3)]
		case op < 8:
			for range 1 + r.IntN(12) {
				add()
			}
		case op < 9: // a rename
			i := r.IntN(len(companies))
			companies[i].Name += "改"
			projects[r.IntN(len(projects))].Name += "改"
		default: // a removal
			i := r.IntN(len(projects))
			projects = slices.Delete(projects, i, i+1)
		}
		got := cache.index(projects, companies)
		var fresh nameCache
		want := fresh.index(projects, companies)
		if !slices.EqualFunc(got.projectKeys, want.projectKeys, slices.Equal) || !slices.EqualFunc(got.companyKeys, want.companyKeys, slices.Equal) {
			t.Fatalf("step %d: keys differ", step)
		}
		if !slices.EqualFunc(got.companyCores, want.companyCores, func(a, b []*core) bool {
			return slices.EqualFunc(a, b, func(x, y *core) bool { return x.place == y.place && x.core == y.core && string(x.runes) == x.core })
		}) {
			t.Fatalf("step %d: the companies' split keys differ from a fresh index's", step)
		}
		for _, p := range projects {
			for _, pair := range [][2]positions{{got.projectByName, want.projectByName}, {got.projectByCompany, want.projectByCompany}} {
				for _, k := range []string{p.Name, p.Company} {
					if a, b := pair[0].at(k), pair[1].at(k); !slices.Equal(a, b) {
						t.Fatalf("step %d: positions of %q: %v, want %v", step, k, a, b)
					}
				}
			}
		}
		for i := range companies {
			for _, k := range want.companyKeys[i] {
				if a, b := got.companyByKey.at(k), want.companyByKey.at(k); !slices.Equal(a, b) {
					t.Fatalf("step %d: company key %q: %v, want %v", step, k, a, b)
				}
			}
			if a, b := got.companyByName.at(companies[i].Name), want.companyByName.at(companies[i].Name); !slices.Equal(a, b) {
				t.Fatalf("step %d: company name %q: %v, want %v", step, companies[i].Name, a, b)
			}
		}
		for i := range projects {
			k := want.projectKeys[i][0]
			if a, b := got.projectByKey.at(k), want.projectByKey.at(k); !slices.Equal(a, b) {
				t.Fatalf("step %d: project key %q: %v, want %v", step, k, a, b)
			}
		}
	}
}
