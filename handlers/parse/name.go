package parse

import (
	"slices"
	"strings"
	"unicode"

	"zsbot"
)

// maxNameRunes bounds the part of a name that is compared.
const maxNameRunes = 64

// NameKey returns the key under which a company or project name is matched
// (zsbot.NameKey, which storage claims names by): "京东方科技集团股份有限公司"
// has the key "京东方".
func NameKey(s string) string { return zsbot.NameKey(s) }

// Closest returns up to n of candidates closest to query, best first, for
// "未找到…，最接近的有：…". Names are compared by NameKey: an equal key is
// best, then a key containing the other or contained in it, then the
// edit distance in runes; ties keep the candidates' order. Candidates that
// do not share at least half of the shorter key's characters with the
// query are left out, and so are repeats.
func Closest(query string, candidates []string, n int) []string {
	q := []rune(NameKey(query))
	if len(q) == 0 || n <= 0 {
		return nil
	}
	q = q[:min(len(q), maxNameRunes)]
	type scored struct {
		name        string
		class, dist int
	}
	var list []scored
	seen := map[string]bool{}
	for _, c := range candidates {
		k := []rune(NameKey(c))
		k = k[:min(len(k), maxNameRunes)]
		if seen[c] || len(k) == 0 || !similar(q, k) {
			continue
		}
		seen[c] = true
		s := scored{name: c, class: 2, dist: EditDistance(q, k)}
		switch qs, ks := string(q), string(k); {
		case qs == ks:
			s.class = 0
		case strings.Contains(ks, qs) || strings.Contains(qs, ks):
			s.class = 1
		}
		list = append(list, s)
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		if a.class != b.class {
			return a.class - b.class
		}
		return a.dist - b.dist
	})
	var out []string
	for _, s := range list[:min(n, len(list))] {
		out = append(out, s.name)
	}
	return out
}

// similar reports whether a and b have at least half of the shorter one's
// characters in common (counted with repeats).
func similar(a, b []rune) bool {
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	common := 0
	for _, r := range b {
		if count[r] > 0 {
			count[r]--
			common++
		}
	}
	return 2*common >= min(len(a), len(b))
}

// EditDistance is the Levenshtein distance between a and b, in runes.
func EditDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// ParseMention reads "@张三" or "@zhangsan" (a full-width ＠ works too) and
// returns the name without the @. The name is letters, digits, '_', '.'
// or '-'.
func ParseMention(word string) (string, bool) {
	name, ok := strings.CutPrefix(Normalize(word), "@")
	if !ok || name == "" {
		return "", false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("_.-", r) {
			return "", false
		}
	}
	return name, true
}

// ParseID reads a record ID such as "P12", "p12", "T3" or "C7" (full-width
// letters and digits work too): one ASCII letter, returned upper-cased as
// kind, and 1 to 9 digits giving n ≥ 1.
func ParseID(word string) (kind byte, n int, ok bool) {
	w := Normalize(word)
	if len(w) < 2 || len(w) > 10 || !allDigits(w[1:]) {
		return 0, 0, false
	}
	kind = w[0] &^ 0x20 // upper case for ASCII letters
	if kind < 'A' || kind > 'Z' {
		return 0, 0, false
	}
	n = atoi(w[1:])
	return kind, n, n >= 1
}
