package storage

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zsbot"
)

// The directory is what nearly every command reads whole: the people, the
// companies and the projects' name entries. Each process keeps a copy of
// it, and Redis keeps a version counter and a log — a sorted set of
// "person:ID", "company:ID" and "project:ID" members scored by the version
// of their last change — so that a copy is brought up to date with only
// the entries changed since its version, in the round trip a command makes
// anyway (Begin). Every write that changes a person, a company or a
// project's name entry bumps the version in the same script (Apply). The
// log holds one member per record, so it is bounded like the records.

// dirKeys are the keys the directory scripts take, in lua/dir.lua's order.
func dirKeys(k keys) []string {
	return []string{k.dirVersion(), k.dirLog(), k.records(zsbot.KindPerson), k.records(zsbot.KindCompany), k.names(zsbot.KindProject)}
}

// dirMember names a record in the directory log, or "" for records that
// are not in the directory.
func dirMember(kind zsbot.Kind, id string) string {
	switch kind {
	case zsbot.KindPerson, zsbot.KindCompany, zsbot.KindProject:
		return string(kind) + ":" + id
	}
	return ""
}

// dirChanged reports whether a put changes the directory: any change of a
// person or company, a change of a project's name entry other than a move
// between live stages. The directory tells of a project's stage only
// whether it is 终止: 签约 and 开工 are frequent, and each change of the
// directory costs every process a copy of its project list.
func dirChanged(p zsbot.Put) bool {
	r := p.After
	if r == nil {
		r = p.Before
	}
	switch r.RecordKind() {
	case zsbot.KindPerson, zsbot.KindCompany:
		return true
	case zsbot.KindProject:
		return dirRef(p.Before) != dirRef(p.After)
	}
	return false
}

// dirRef is a project's name entry as the directory keeps it ("" for none).
func dirRef(r zsbot.Record) string {
	p, ok := r.(*zsbot.Project)
	if !ok || p == nil {
		return ""
	}
	return p.Name + "\x00" + p.Company + "\x00" + string(liveOrDropped(p.Stage))
}

// liveOrDropped is the stage as the directory keeps it: 终止, or "" for
// any live stage.
func liveOrDropped(s zsbot.Stage) zsbot.Stage {
	if s == zsbot.StageDropped {
		return s
	}
	return ""
}

// directory is one process's copy of the directory at a version. It is
// never modified once built: commands share it, and a newer version is a
// new directory.
type directory struct {
	version   int64
	people    []*zsbot.Person  // by userid
	roster    []*zsbot.Person  // the same, in the order of People
	companies []*zsbot.Company // by ID
	projects  []zsbot.NameRef  // by ID
	firms     []zsbot.NameRef  // the companies as name entries, by ID
}

// update returns d brought to version v with the entries of a dir_read
// reply after its version: member, value pairs.
func (d *directory) update(v int64, reply []any) (*directory, error) {
	changes := map[zsbot.Kind]map[string]string{} // kind → id → value ("" = removed)
	for i := 0; i+1 < len(reply); i += 2 {
		m, _ := reply[i].(string)
		kind, id, _ := strings.Cut(m, ":")
		if changes[zsbot.Kind(kind)] == nil {
			changes[zsbot.Kind(kind)] = map[string]string{}
		}
		val, _ := reply[i+1].(string)
		changes[zsbot.Kind(kind)][id] = val
	}
	n := &directory{version: v}
	var err error
	// People are ordered by userid as plain text (userids are not IDs such
	// as P12, whose order zsbot.LessID knows); records by ID.
	if n.people, err = merge(d.people, changes[zsbot.KindPerson], zsbot.KindPerson, func(p *zsbot.Person) string { return p.UserID }, strings.Compare, decodePtr[zsbot.Person]); err != nil {
		return nil, err
	}
	n.roster = d.roster
	if len(changes[zsbot.KindPerson]) > 0 || d.roster == nil {
		n.roster = slices.Clone(n.people)
		slices.SortFunc(n.roster, func(a, b *zsbot.Person) int { return cmpIDs(a.UserID, b.UserID) })
	}
	if n.companies, err = merge(d.companies, changes[zsbot.KindCompany], zsbot.KindCompany, func(c *zsbot.Company) string { return c.ID }, cmpIDs, decodePtr[zsbot.Company]); err != nil {
		return nil, err
	}
	if n.projects, err = merge(d.projects, changes[zsbot.KindProject], zsbot.KindProject, func(r zsbot.NameRef) string { return r.ID }, cmpIDs, decodeRef); err != nil {
		return nil, err
	}
	if n.firms, err = merge(d.firms, changes[zsbot.KindCompany], zsbot.KindCompany, func(r zsbot.NameRef) string { return r.ID }, cmpIDs, decodeFirm); err != nil {
		return nil, err
	}
	return n, nil
}

// person returns a copy of the person userID, or nil.
func (d *directory) person(userID string) *zsbot.Person {
	i, ok := slices.BinarySearchFunc(d.people, userID, func(p *zsbot.Person, id string) int { return strings.Compare(p.UserID, id) })
	if !ok {
		return nil
	}
	p := *d.people[i]
	return &p
}

// company returns a copy of the company id, or nil.
func (d *directory) company(id string) *zsbot.Company {
	i, ok := slices.BinarySearchFunc(d.companies, id, func(c *zsbot.Company, id string) int { return cmpIDs(c.ID, id) })
	if !ok {
		return nil
	}
	c := *d.companies[i]
	c.Aliases, c.Tags = slices.Clone(c.Aliases), slices.Clone(c.Tags)
	return &c
}

// everyone returns copies of every person, in the order of People.
func (d *directory) everyone() []*zsbot.Person {
	out := make([]*zsbot.Person, len(d.roster))
	for i, p := range d.roster {
		c := *p
		out[i] = &c
	}
	return out
}

// directory returns the process's copy of the directory: empty (version
// 0) before the first Begin.
func (db *DB) directory() *directory {
	if d := db.dir.Load(); d != nil {
		return d
	}
	return &directory{}
}

// catchUp returns the process's copy of the directory brought up to the
// version and changes of a dir_read reply read with base's version. One
// command at a time merges; the others that read the same version share
// its copy (and the indexes built on it). The changes apply to any copy
// between base's version and theirs: they hold the latest value of every
// entry changed since base.
func (db *DB) catchUp(base *directory, reply []any) (*directory, error) {
	if len(reply) == 0 {
		return nil, fmt.Errorf("storage: directory: empty reply")
	}
	v, err := strconv.ParseInt(fmt.Sprint(reply[0]), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("storage: directory version %v: %w", reply[0], err)
	}
	if cur := db.dir.Load(); cur != nil && cur.version >= v {
		return cur, nil
	}
	db.dirMu.Lock()
	defer db.dirMu.Unlock()
	if cur := db.dir.Load(); cur != nil && cur.version >= base.version {
		if cur.version >= v {
			return cur, nil
		}
		base = cur
	}
	d, err := base.update(v, reply[1:])
	if err != nil {
		return nil, err
	}
	db.dir.Store(d)
	return d, nil
}
