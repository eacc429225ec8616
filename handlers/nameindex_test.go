package handlers

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"zsbot"
	"zsbot/handlers/parse"
)

// TestNameIndexIncremental proves that an index built from the last one
// (shared, extended, its tail re-indexed, folded or rebuilt) answers every
// lookup exactly as one built from scratch, through a random history of
// stage changes, additions at the end and a little before it (commands
// commit out of ID order), renames, removals, and older snapshots asked for
// after newer ones (commands read concurrently); and that additions and
// older snapshots share the last index's keys instead of rebuilding it.
func TestNameIndexIncremental(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var projects, companies []zsbot.NameRef
	next := 0
	add := func(back int) { // a new entry, back places before the end
		next++
		co := zsbot.NameRef{ID: fmt.Sprintf("E%d", next), Name: fmt.Sprintf("星河%d科技", next%40), Aliases: []string{fmt.Sprintf("星%d", next%7)}}
		pr := zsbot.NameRef{ID: fmt.Sprintf("P%d", next), Name: fmt.Sprintf("项目%d基地", next%50), Company: co.ID}
		companies = slices.Insert(companies, len(companies)-min(back, len(companies)), co)
		projects = slices.Insert(projects, len(projects)-min(back, len(projects)), pr)
	}
	for range 20 {
		add(0)
	}
	var cache nameCache
	var history []nameSnapshot
	shared, folded := 0, false
	for step := range 500 {
		last := cache.latest()
		if len(history) > 1 && r.IntN(4) == 0 { // an older snapshot after a newer one
			old := history[len(history)-2-r.IntN(min(len(history)-1, 3))]
			got := cache.index(old.projects, old.companies)
			shared += sharesKeys(t, step, last, got)
			checkIndex(t, step, got, old.projects, old.companies, history[len(history)-1])
			continue
		}
		projects, companies = slices.Clone(projects), slices.Clone(companies)
		switch op := r.IntN(20); {
		case op < 8: // a stage changes: same names, same places
			i := r.IntN(len(projects))
			projects[i].Stage = []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageDropped}[r.IntN(3)]
		case op < 14:
			for range 1 + r.IntN(12) {
				add(0)
			}
		case op < 18: // committed out of ID order
			for range 1 + r.IntN(4) {
				add(r.IntN(30))
			}
		case op < 19: // a rename
			i := r.IntN(len(companies))
			companies[i].Name += "改"
			projects[r.IntN(len(projects))].Name += "改"
		default: // a removal
			i := r.IntN(len(projects))
			projects = slices.Delete(projects, i, i+1)
		}
		got := cache.index(projects, companies)
		if got.projectByName.baseLen > 0 {
			folded = true
		}
		shared += sharesKeys(t, step, last, got)
		history = append(history, nameSnapshot{projects, companies})
		checkIndex(t, step, got, projects, companies, nameSnapshot{})
	}
	t.Logf("%d of the indexes shared the last one's keys; %d projects", shared, len(projects))
	if shared < 150 || !folded {
		t.Fatalf("%d indexes shared the last one's keys (folded: %v): the history does not test what it should", shared, folded)
	}
}

// sharesKeys checks that got, built after last, shares last's keys when
// their lists differ only after last's base positions; it returns 1 when it
// did so, 0 when the lists differ sooner (got is rebuilt).
func sharesKeys(t *testing.T, step int, last, got *names) int {
	t.Helper()
	if last == nil || got == last || len(got.projectKeys) == 0 || len(last.projectKeys) == 0 {
		return 0
	}
	kp, kc := samePrefix(last.projects, got.projects), samePrefix(last.companies, got.companies)
	if kp == 0 || kc == 0 || kp < last.projectByName.baseLen || kc < last.companyByName.baseLen {
		return 0
	}
	if &got.projectKeys[0][0] != &last.projectKeys[0][0] || &got.companyKeys[0][0] != &last.companyKeys[0][0] || got.companyCores[0][0] != last.companyCores[0][0] {
		t.Fatalf("step %d: the lists differ after the base (projects from %d of %d, companies from %d of %d) but the index was rebuilt",
			step, kp, last.projectByName.baseLen, kc, last.companyByName.baseLen)
	}
	return 1
}

// nameSnapshot is the store's names at one version.
type nameSnapshot struct{ projects, companies []zsbot.NameRef }

// checkIndex compares got, the index of projects and companies, with one
// built from scratch: every lookup of their names and keys, and of those of
// newer, the newest snapshot, which must not find its entries in an older
// one's index.
func checkIndex(t *testing.T, step int, got *names, projects, companies []zsbot.NameRef, newer nameSnapshot) {
	t.Helper()
	projects = append(slices.Clip(projects), newer.projects...)
	companies = append(slices.Clip(companies), newer.companies...)
	var fresh nameCache
	want := fresh.index(got.projects, got.companies)
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
		for _, k := range companyKeys(companies[i]) {
			if a, b := got.companyByKey.at(k), want.companyByKey.at(k); !slices.Equal(a, b) {
				t.Fatalf("step %d: company key %q: %v, want %v", step, k, a, b)
			}
		}
		if a, b := got.companyByName.at(companies[i].Name), want.companyByName.at(companies[i].Name); !slices.Equal(a, b) {
			t.Fatalf("step %d: company name %q: %v, want %v", step, companies[i].Name, a, b)
		}
		for _, k := range companyKeys(companies[i]) {
			c := splitCore(k)
			near := [][2]positions{{got.companyByCore, want.companyByCore}, {got.companyBySound, want.companyBySound}, {got.companyByRune, want.companyByRune}}
			for j, key := range []string{c.core, sound(c.runes), string(c.runes[:1])} {
				if a, b := near[j][0].at(key), near[j][1].at(key); !slices.Equal(a, b) {
					t.Fatalf("step %d: near-name map %d, %q: %v, want %v", step, j, key, a, b)
				}
			}
		}
	}
	for i := range projects {
		k := parse.NameKey(projects[i].Name)
		if a, b := got.projectByKey.at(k), want.projectByKey.at(k); !slices.Equal(a, b) {
			t.Fatalf("step %d: project key %q: %v, want %v", step, k, a, b)
		}
		for _, r := range k {
			if a, b := got.projectByRune.at(string(r)), want.projectByRune.at(string(r)); !slices.Equal(a, b) {
				t.Fatalf("step %d: project character %q: %v, want %v", step, r, a, b)
			}
		}
	}
}
