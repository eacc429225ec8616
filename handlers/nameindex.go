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
	companyByName, companyByKey                   positions
}

// positions maps a name, key or company ID to ascending positions in a
// list. New entries only ever go to the end of the store's lists, so a
// snapshot that adds entries shares the last one's base map and copies only
// the small map of the entries added since (folded into a new base when it
// grows past foldAt).
type positions struct {
	base, added map[string][]int
}

// foldAt is the size of added beyond which it is folded into a new base.
const foldAt = 256

// at returns the positions of k.
func (p positions) at(k string) []int {
	b, a := p.base[k], p.added[k]
	if len(a) == 0 {
		return b
	}
	return append(slices.Clip(b), a...)
}

// with returns p plus the positions of adds (key, position pairs in
// ascending position order).
func (p positions) with(adds []keyPos) positions {
	if len(adds) == 0 && p.base != nil {
		return p
	}
	n := positions{base: p.base, added: maps.Clone(p.added)}
	if n.base == nil {
		n.base = map[string][]int{}
	}
	if len(n.added)+len(adds) > foldAt {
		n.base = maps.Clone(n.base)
		for k, v := range n.added {
			n.base[k] = append(slices.Clip(n.base[k]), v...)
		}
		n.added = nil
	}
	if n.added == nil {
		n.added = map[string][]int{}
	}
	for _, a := range adds {
		n.added[a.key] = append(slices.Clip(n.added[a.key]), a.pos)
	}
	return n
}

// keyPos is one entry of a positions map.
type keyPos struct {
	key string
	pos int
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
// last), so a snapshot that only changed stages shares the last one's keys
// and positions, and one that only added entries extends them.
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
	var by [3]positions
	n.projectKeys, by = extend(last.projects, projects, last.projectKeys,
		[3]positions{last.projectByName, last.projectByKey, last.projectByCompany},
		func(p zsbot.NameRef) []string { return []string{parse.NameKey(p.Name)} })
	n.projectByName, n.projectByKey, n.projectByCompany = by[0], by[1], by[2]
	n.companyKeys, by = extend(last.companies, companies, last.companyKeys,
		[3]positions{last.companyByName, last.companyByKey}, companyKeys)
	n.companyByName, n.companyByKey = by[0], by[1]
	n.companyCores = cores(n.companyKeys, last.companyKeys, last.companyCores)
	nc.mu.Lock()
	nc.recent = [2]*names{n, nc.recent[0]}
	nc.mu.Unlock()
	return n
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

// extend returns the keys and positions (by name, by key, by company) of
// refs, given those of old: shared when every old entry is in its place
// with the same names and company, extended when refs only adds entries
// after them, rebuilt otherwise. keysOf computes an entry's match keys.
func extend(old, refs []zsbot.NameRef, oldKeys [][]string, oldBy [3]positions,
	keysOf func(zsbot.NameRef) []string) ([][]string, [3]positions) {
	kept := 0
	for kept < len(old) && kept < len(refs) && old[kept].ID == refs[kept].ID && old[kept].Name == refs[kept].Name &&
		old[kept].Company == refs[kept].Company && slices.Equal(old[kept].Aliases, refs[kept].Aliases) {
		kept++
	}
	if kept < len(old) { // an entry was renamed or removed: start again
		kept, oldKeys, oldBy = 0, nil, [3]positions{}
	}
	keys := append(oldKeys[:kept:kept], make([][]string, 0, len(refs)-kept)...)
	var adds [3][]keyPos
	for i := kept; i < len(refs); i++ {
		ks := keysOf(refs[i])
		adds[0] = append(adds[0], keyPos{refs[i].Name, i})
		for j, k := range ks {
			if !slices.Contains(ks[:j], k) {
				adds[1] = append(adds[1], keyPos{k, i})
			}
		}
		if refs[i].Company != "" {
			adds[2] = append(adds[2], keyPos{refs[i].Company, i})
		}
		keys = append(keys, ks)
	}
	var by [3]positions
	for i := range by {
		by[i] = oldBy[i].with(adds[i])
	}
	return keys, by
}

// cores splits each company's keys by coreKey, reusing those of the last
// index for the entries extend kept (it keeps all of the last's or none).
func cores(keys, lastKeys [][]string, lastCores [][]*core) [][]*core {
	kept := 0
	if n := len(lastKeys); n > 0 && n <= len(keys) && len(lastCores) == n && len(keys[n-1]) > 0 &&
		len(lastKeys[n-1]) > 0 && &keys[n-1][0] == &lastKeys[n-1][0] {
		kept = n
	}
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
