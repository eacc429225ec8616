package storage

import (
	"encoding/json"
	"fmt"
	"slices"

	"zsbot"
)

// merge returns old with the changed entries replaced, removed or added,
// in ID order; old itself is returned when nothing changed. Entries whose
// IDs come after every old one (new records, the usual change) are
// appended in place: directories are derived one from the next (catchUp),
// so the spare capacity of old is seen by no other directory. Any other
// change costs a copy of old.
func merge[T any](old []T, changed map[string]string, kind zsbot.Kind, id func(T) string, cmp func(a, b string) int, decode func(id, v string) (T, error)) ([]T, error) {
	if len(changed) == 0 && old != nil {
		return old, nil
	}
	var gone []int
	var added []T
	replaced := map[int]T{}
	for i, v := range changed {
		at, found := slices.BinarySearchFunc(old, i, func(e T, i string) int { return cmp(id(e), i) })
		switch {
		case found && v == "":
			gone = append(gone, at)
			continue
		case v == "":
			continue
		}
		n, err := decode(i, v)
		if err != nil {
			return nil, fmt.Errorf("storage: directory %s %s: %w", kind, i, err)
		}
		if found {
			replaced[at] = n
		} else {
			added = append(added, n)
		}
	}
	byID := func(a, b T) int { return cmp(id(a), id(b)) }
	slices.SortFunc(added, byID)
	if len(gone) == 0 && len(replaced) == 0 && (len(old) == 0 || len(added) == 0 || byID(old[len(old)-1], added[0]) < 0) {
		return append(old[:len(old):max(cap(old), len(old))], added...), nil
	}
	out := append(make([]T, 0, len(old)+len(added)), old...)
	for at, n := range replaced {
		out[at] = n
	}
	slices.Sort(gone)
	for j := len(gone) - 1; j >= 0; j-- {
		out = slices.Delete(out, gone[j], gone[j]+1)
	}
	out = append(out, added...)
	if !slices.IsSortedFunc(out, byID) {
		slices.SortFunc(out, byID)
	}
	return out, nil
}

// cmpIDs orders record IDs as zsbot.LessID does (P2 before P10).
func cmpIDs(a, b string) int {
	switch {
	case zsbot.LessID(a, b):
		return -1
	case zsbot.LessID(b, a):
		return 1
	}
	return 0
}

func decodePtr[T any](_, v string) (*T, error) {
	r := new(T)
	return r, json.Unmarshal([]byte(v), r)
}

// decodeFirm decodes a company record into its name entry.
func decodeFirm(id, v string) (zsbot.NameRef, error) {
	c, err := decodePtr[zsbot.Company](id, v)
	return zsbot.NameRef{ID: id, Name: c.Name, Aliases: c.Aliases}, err
}

// decodeRef decodes a project's stored name entry, its stage as the
// directory keeps it.
func decodeRef(id, v string) (zsbot.NameRef, error) {
	var r nameRef
	err := json.Unmarshal([]byte(v), &r)
	return zsbot.NameRef{ID: id, Name: r.Name, Aliases: r.Aliases, Company: r.Company, Stage: liveOrDropped(r.Stage)}, err
}
