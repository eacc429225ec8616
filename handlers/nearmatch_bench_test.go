package handlers

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"zsbot"
	"zsbot/handlers/parse"
)

// BenchmarkNearCompanies is the cost of asking whether a new company's
// name is close to a known one (新项目, 拜访 of a new company) in a bureau
// of 30,000 companies: each known name's place and core are split once
// per process (coreOf), and names whose lengths differ by more than two
// skip the edit distance (go test -run XXX -bench NearCompanies ./handlers).
func BenchmarkNearCompanies(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	syll := []rune("康硕晶帆光电诺比侃华为宁德时代中冶赛迪京东方科技集团精密制造智能装备新材料生物医药")
	places := []string{"", "重庆", "成都", "深圳", "上海"}
	word := func() string {
		n := 2 + rng.IntN(5)
		r := make([]rune, n)
		for i := range r {
			r[i] = syll[rng.IntN(len(syll))]
		}
		return places[rng.IntN(len(places))] + string(r) + "有限公司"
	}
	var refs []zsbot.NameRef
	for i := range 30000 {
		refs = append(refs, zsbot.NameRef{ID: fmt.Sprintf("E%d", i+1), Name: word()})
	}
	var nc nameCache
	n := nc.index(nil, refs)
	queries := make([]string, 64)
	for i := range queries {
		queries[i] = word()
	}
	n.nearCompanies(queries[0]) // split the known names once, as a serving process has
	i := 0
	for b.Loop() {
		n.nearCompanies(queries[i%len(queries)])
		i++
	}
}

// TestBoundedEdits: boundedEdits equals parse.EditDistance up to its bound.
func TestBoundedEdits(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alpha := []rune("康硕晶帆光电诺")
	rs := func() []rune {
		r := make([]rune, rng.IntN(8))
		for i := range r {
			r[i] = alpha[rng.IntN(len(alpha))]
		}
		return r
	}
	for range 20000 {
		a, b := rs(), rs()
		for _, bound := range []int{0, 1, 2, 3} {
			if got, want := boundedEdits(a, b, bound), min(parse.EditDistance(a, b), bound+1); got != want {
				t.Fatalf("boundedEdits(%q, %q, %d) = %d, want %d", string(a), string(b), bound, got, want)
			}
		}
	}
}
