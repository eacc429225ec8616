package storage

import (
	"encoding/json"

	"zsbot"
)

// indexEntry is one member of a sorted-set index: the record's ID scored by
// a date. The indexes of a record are derived from its fields alone, so the
// store can compute what to add and remove from the record before and after
// a change (and an undo is just the change reversed).
type indexEntry struct {
	name  string
	score zsbot.Date
}

// indexesOf lists the index entries of r (nil r has none).
func indexesOf(r zsbot.Record) []indexEntry {
	var out []indexEntry
	add := func(name string, d zsbot.Date) {
		if !d.IsZero() {
			out = append(out, indexEntry{name, d})
		}
	}
	switch r := r.(type) {
	case *zsbot.Project:
		if r == nil {
			return nil
		}
		add("created", r.CreatedOn)
		add("signed", r.SignedOn)
		add("started", r.StartedOn)
		add("operating", r.OperatingOn)
		add("dropped", r.DroppedOn)
		add("owner:"+r.Owner, r.CreatedOn)
	case *zsbot.Activity:
		if r == nil {
			return nil
		}
		add("activity", r.Date)
		if r.Project != "" {
			add("activity:p:"+r.Project, r.Date)
		}
	case *zsbot.Payment:
		if r == nil {
			return nil
		}
		add("payment", r.Date)
		add("payment:p:"+r.Project, r.Date)
	case *zsbot.Increase:
		if r == nil {
			return nil
		}
		add("increase", r.Date)
	case *zsbot.Task:
		if r == nil {
			return nil
		}
		add("task:p:"+r.Project, r.Due)
		if r.DoneOn.IsZero() {
			add("task:open", r.Due)
			add("task:u:"+r.Assignee, r.Due)
		} else {
			add("task:done", r.DoneOn)
		}
	case *zsbot.Item:
		if r == nil {
			return nil
		}
		add("item:p:"+r.Project, r.OpenedOn)
		if r.ResolvedOn.IsZero() {
			add("item:open", r.OpenedOn)
		}
	}
	return out
}

// nameRefOf returns the compact name entry of a project or company, or nil
// for kinds that are not resolved by name.
func nameRefOf(r zsbot.Record) []byte {
	var ref *nameRef
	switch r := r.(type) {
	case *zsbot.Project:
		if r != nil {
			ref = &nameRef{Name: r.Name, Company: r.Company, Stage: r.Stage}
		}
	case *zsbot.Company:
		if r != nil {
			ref = &nameRef{Name: r.Name, Aliases: r.Aliases}
		}
	}
	if ref == nil {
		return nil
	}
	b, _ := json.Marshal(ref)
	return b
}

// nameRef is the stored form of zsbot.NameRef (the ID is the hash field).
type nameRef struct {
	Name    string      `json:"n"`
	Aliases []string    `json:"a,omitempty"`
	Company string      `json:"c,omitempty"`
	Stage   zsbot.Stage `json:"s,omitempty"`
}

// isNamed reports whether records of kind k have a names hash.
func isNamed(k zsbot.Kind) bool { return k == zsbot.KindProject || k == zsbot.KindCompany }
