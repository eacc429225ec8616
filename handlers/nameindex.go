package handlers

import (
	"context"
	"maps"
	"slices"
	"sync"

	"zsbot"
	"zsbot/handlers/parse"
)

// names is the store's name index as one command sees it: the names, the
// match keys of each, and positions by name, key and company, built once
// per snapshot of the store's names.
type names struct {
	projects, companies []zsbot.NameRef
	projectKeys         [][]string // each project's match key (one: its name's)
	companyKeys         [][]string // each company's match keys: its name's and its short names'
	companyCores        [][]*core  // … each split by coreKey, for the near-name check (nearmatch.go)

	projectByName, projectByKey, projectByCompany positions
	projectByRune                                 positions // each character of a project's key
	companyByName, companyByKey                   positions
	// For the near-name check: the companies by each of their keys' cores,
	// by each core's sound (homophones as one, nearmatch.go's sound), and
	// by each character of their keys and cores.
	companyByCore, companyBySound, companyByRune positions
}

// positions maps a name, key or company ID to ascending positions in a
// list. The store's lists are by ID, and IDs are handed out in order, so
// new entries nearly always go to the end; but commands commit in any
// order, so an entry can arrive a little before the last ones (P1797 after
// P1798). The positions below baseLen are in base, which indexes share
// once built; those from baseLen on, the list's loose tail, are in added,
// which each index builds anew (up to foldAt entries, when all but the last
// loose are folded into a new base).
type positions struct {
	base, added map[string][]int
	baseLen     int
}

const (
	foldAt = 384 // entries in added beyond which they are folded into base
	loose  = 128 // entries left in added by a fold: inserts land among them
)

// at returns the positions of k.
func (p positions) at(k string) []int {
	b, a := p.base[k], p.added[k]
	if len(a) == 0 {
		return b
	}
	return append(slices.Clip(b), a...)
}

// refs returns the entries of list at the positions of one or more
// ascending position lists, in list order, without repeats.
func (n *names) refs(list []zsbot.NameRef, at ...[]int) []zsbot.NameRef {
	var pos []int
	for _, a := range at {
		pos = append(pos, a...)
	}
	if len(at) > 1 {
		slices.Sort(pos)
		pos = slices.Compact(pos)
	}
	var out []zsbot.NameRef
	for _, i := range pos {
		out = append(out, list[i])
	}
	return out
}

// nameCache keeps the indexes of the two latest snapshots of names the
// store returned. The store hands out the same slices until a name changes
// (storage's directory), so concurrent commands share an index, and a new
// index is built from the last: entries keep their places (by ID, new ones
// nearly always last), so a snapshot that only changed stages shares the
// last one's keys and positions, and one that added entries, or an older
// one that a command read before the last (commands read concurrently),
// shares its keys up to the first difference and its base positions, and
// indexes only the loose tail (positions).
type nameCache struct {
	mu     sync.Mutex // guards recent
	build  sync.Mutex // one build at a time: commands that need it wait
	recent [2]*names  // the newest first
}

// names reads the store's names and returns their index.
func (h *handlers) names(ctx context.Context, st zsbot.Store) (*names, error) {
	p, c, err := st.Names(ctx)
	if err != nil {
		return nil, err
	}
	return h.mux.names.index(p, c), nil
}

// index returns the index of projects and companies.
func (nc *nameCache) index(projects, companies []zsbot.NameRef) *names {
	if n := nc.find(projects, companies); n != nil {
		return n
	}
	nc.build.Lock()
	defer nc.build.Unlock()
	if n := nc.find(projects, companies); n != nil {
		return n // built while this command waited
	}
	n := &names{projects: projects, companies: companies}
	last := nc.recent[0]
	if last == nil {
		last = &names{}
	}
	by, _ := extend(last.projects, projects, &n.projectKeys, last.projectKeys,
		[]positions{last.projectByName, last.projectByKey, last.projectByCompany, last.projectByRune},
		func(p zsbot.NameRef) []string { return []string{parse.NameKey(p.Name)} })
	n.projectByName, n.projectByKey, n.projectByCompany, n.projectByRune = by[0], by[1], by[2], by[3]
	by, kept := extend(last.companies, companies, &n.companyKeys, last.companyKeys,
		[]positions{last.companyByName, last.companyByKey}, companyKeys)
	n.companyByName, n.companyByKey = by[0], by[1]
	n.companyCores = cores(n.companyKeys, kept, last.companyCores)
	near := []positions{last.companyByCore, last.companyBySound, last.companyByRune}
	if kept < len(last.companies) || kept < len(companies) || last.companyCores == nil {
		near = grow(near, kept, len(companies), n.nearKeys)
	}
	n.companyByCore, n.companyBySound, n.companyByRune = near[0], near[1], near[2]
	nc.mu.Lock()
	nc.recent = [2]*names{n, nc.recent[0]}
	nc.mu.Unlock()
	return n
}

// samePrefix returns how many first entries of a and b have the same ID,
// name, company and short names: what an index keys them by.
func samePrefix(a, b []zsbot.NameRef) int {
	i := 0
	for i < len(a) && i < len(b) && a[i].ID == b[i].ID && a[i].Name == b[i].Name &&
		a[i].Company == b[i].Company && slices.Equal(a[i].Aliases, b[i].Aliases) {
		i++
	}
	return i
}

// latest returns the index built last, or nil.
func (nc *nameCache) latest() *names {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	return nc.recent[0]
}

// plainProject returns the ID of the one project word names plainly: by its
// exact name or match key, or by the exact name of a company with one
// project; "" otherwise (n may be nil). It looks up positions only, never
// scanning the names, for a guess ahead of the command (Mux.Plan).
func (n *names) plainProject(word string) string {
	if n == nil {
		return ""
	}
	one := func(refs []zsbot.NameRef) string {
		if len(refs) == 1 {
			return refs[0].ID
		}
		return ""
	}
	if refs := n.refs(n.projects, n.projectByName.at(word)); len(refs) > 0 {
		return one(refs)
	}
	q := parse.NameKey(word)
	if q == "" {
		return ""
	}
	if refs := n.refs(n.projects, n.projectByKey.at(q)); len(refs) > 0 {
		return one(refs)
	}
	firms := n.refs(n.companies, n.companyByKey.at(q), n.companyByName.at(word))
	if len(firms) != 1 {
		return ""
	}
	return one(n.refs(n.projects, n.projectByCompany.at(firms[0].ID)))
}

// find returns the index of a snapshot already built, or nil.
func (nc *nameCache) find(projects, companies []zsbot.NameRef) *names {
	nc.mu.Lock()
	defer nc.mu.Unlock()
	for _, n := range nc.recent {
		if n != nil && same(n.projects, projects) && same(n.companies, companies) {
			return n
		}
	}
	return nil
}

// companyKeys returns a company's match keys: its name's and its short
// names'.
func companyKeys(c zsbot.NameRef) []string {
	keys := make([]string, 0, 1+len(c.Aliases))
	keys = append(keys, parse.NameKey(c.Name))
	for _, a := range c.Aliases {
		keys = append(keys, parse.NameKey(a))
	}
	return keys
}

// extend sets *keys to the match keys of refs and returns their
// positions (by name, by key, by company, by each character of the keys:
// as many of these as oldBy has), given those of old, and how many
// first entries of refs old indexed as they are. Those entries keep old's
// keys, and the positions are grown from old's (grow). keysOf computes an
// entry's match keys.
func extend(old, refs []zsbot.NameRef, keys *[][]string, oldKeys [][]string, oldBy []positions,
	keysOf func(zsbot.NameRef) []string) ([]positions, int) {
	kept := samePrefix(old, refs)
	if kept == len(old) && kept == len(refs) && oldKeys != nil {
		*keys = oldKeys
		return oldBy, kept // the same names: stages changed
	}
	if kept < oldBy[0].baseLen { // an entry of the base was renamed or removed: start again
		kept = 0
	}
	ks := append(oldKeys[:kept:kept], make([][]string, 0, len(refs)-kept)...)
	for _, r := range refs[kept:] {
		ks = append(ks, keysOf(r))
	}
	*keys = ks
	return grow(oldBy, kept, len(refs), func(b *builder, j, i int) {
		switch j {
		case 0:
			b.add(refs[i].Name, i)
		case 1:
			for n, k := range ks[i] {
				if !slices.Contains(ks[i][:n], k) {
					b.add(k, i)
				}
			}
		case 2:
			if c := refs[i].Company; c != "" {
				b.add(c, i)
			}
		case 3:
			var seen []rune
			for _, k := range ks[i] {
				for _, r := range k {
					if !slices.Contains(seen, r) {
						seen = append(seen, r)
						b.add(string(r), i)
					}
				}
			}
		}
	}), kept
}

// grow returns maps like old's over count entries, of which old indexed
// the first kept as they are: when kept covers old's bases they are
// shared, and the entries from there on are indexed anew into added
// (folded into new bases past foldAt); otherwise everything is indexed
// anew. add indexes entry i in map j.
func grow(old []positions, kept, count int, add func(b *builder, j, i int)) []positions {
	baseLen := old[0].baseLen
	if kept < baseLen {
		baseLen, old = 0, make([]positions, len(old))
	}
	newBase := baseLen
	if count-baseLen > foldAt {
		newBase = count - loose
	}
	out := make([]positions, len(old))
	for j := range out {
		base := old[j].base
		if base == nil || newBase > baseLen {
			b := &builder{m: maps.Clone(base)}
			if b.m == nil {
				b.m = map[string][]int{}
			}
			for i := baseLen; i < newBase; i++ {
				add(b, j, i)
			}
			base = b.m
		}
		b := &builder{m: map[string][]int{}}
		for i := newBase; i < count; i++ {
			add(b, j, i)
		}
		out[j] = positions{base: base, added: b.m, baseLen: newBase}
	}
	return out
}

// builder adds positions to a map whose lists may be shared with another
// (a base cloned from the last index's): a list is copied the first time
// it grows, then appended to in place.
type builder struct {
	m     map[string][]int
	owned map[string]bool
}

// add appends position i to the list of k.
func (b *builder) add(k string, i int) {
	if b.owned[k] {
		b.m[k] = append(b.m[k], i)
		return
	}
	if b.owned == nil {
		b.owned = map[string]bool{}
	}
	b.m[k] = append(slices.Clip(b.m[k]), i)
	b.owned[k] = true
}

// nearKeys indexes company i for the near-name check: map 0 by each of its
// keys' cores, 1 by each core's sound, 2 by each character of its keys,
// cores and sounds; each once.
func (n *names) nearKeys(b *builder, j, i int) {
	var seen []string
	once := func(k string) {
		if !slices.Contains(seen, k) {
			seen = append(seen, k)
			b.add(k, i)
		}
	}
	for x, c := range n.companyCores[i] {
		switch j {
		case 0:
			once(c.core)
		case 1:
			once(c.sound)
		case 2:
			for _, r := range n.companyKeys[i][x] {
				once(string(r))
			}
			for _, r := range c.runes {
				once(string(r))
			}
			for _, r := range c.sound {
				once(string(r))
			}
		}
	}
}

// cores splits each company's keys by coreKey, reusing those of the last
// index for the first kept entries, whose keys extend kept.
func cores(keys [][]string, kept int, lastCores [][]*core) [][]*core {
	kept = min(kept, len(lastCores))
	out := append(lastCores[:kept:kept], make([][]*core, 0, len(keys)-kept)...)
	for _, ks := range keys[kept:] {
		cs := make([]*core, len(ks))
		for j, k := range ks {
			cs[j] = splitCore(k)
		}
		out = append(out, cs)
	}
	return out
}

// same reports whether a and b are the same slice (not merely equal).
func same(a, b []zsbot.NameRef) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
