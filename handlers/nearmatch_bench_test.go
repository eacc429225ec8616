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
// of 30,000 companies (go test -run XXX -bench NearCompanies ./handlers),
// with names of two sorts:
//
//   - Few: drawn evenly from 40 characters, so every character is in
//     thousands of names and the index's candidates are most of them: the
//     check falls back to testing every company, as before the index;
//   - Zipf: drawn from 3,755 characters (as many as the common characters
//     of GB 2312, here the first code points of CJK, which the check does
//     not tell from them), the frequent ones far more often, with the
//     common words of names (科技, 有限公司) and places: what a bureau's list
//     looks like, where the candidates are a few hundred.
//
// Each is run as the bot does (Index: the candidates the index gives, or
// all when they are many) and as it did before the index (Scan: every
// company, nearScan), on the same names and queries.
func BenchmarkNearCompanies(b *testing.B) {
	places := []string{"", "重庆", "成都", "深圳", "上海"}
	few := []rune("康硕晶帆光电诺比侃华为宁德时代中冶赛迪京东方科技集团精密制造智能装备新材料生物医药")
	for _, tc := range []struct {
		name string
		char func(*rand.Rand) rune
	}{
		{"Few", func(rng *rand.Rand) rune { return few[rng.IntN(len(few))] }},
		{"Zipf", func(rng *rand.Rand) rune {
			z := rand.NewZipf(rng, 1.1, 8, 3754)
			return rune(0x4E00 + z.Uint64())
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 2))
			word := func() string {
				n := 2 + rng.IntN(5)
				r := make([]rune, n)
				for i := range r {
					r[i] = tc.char(rng)
				}
				return places[rng.IntN(len(places))] + string(r) + []string{"有限公司", "科技有限公司", "集团"}[rng.IntN(3)]
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
			for _, how := range []struct {
				name string
				near func(*names, string) []zsbot.NameRef
			}{{"Index", (*names).nearCompanies}, {"Scan", nearScan}} {
				b.Run(how.name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						how.near(n, queries[i%len(queries)])
						i++
					}
				})
			}
		})
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
