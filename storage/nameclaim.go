package storage

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"zsbot"
)

// One name is one company, however many commands name it at once: every
// company claims its name's key (zsbot.NameKey) in the hash nameClaims,
// in the same script that writes it (apply.lua checks the claim before
// any write). Of two commands that race to create a company of one name,
// the second is refused with a conflict that NameTaken tells apart, and
// its runner runs it once more: it then finds the first one's company.
// The claims are an index of the companies' names: Apply and Load keep
// it, Restore rebuilds it from the records it restores.

// companyKey returns the key a company's name claims, "" for none (not a
// company, or nil).
func companyKey(r zsbot.Record) string {
	c, ok := r.(*zsbot.Company)
	if !ok || c == nil {
		return ""
	}
	return zsbot.NameKey(c.Name)
}

// claimOps adds to s the claim of a company put p: a company that takes
// a key (new, or renamed) claims it, checked before any write; a key it
// gives up (renamed or removed) is released if it still holds it.
func (db *DB) claimOps(s *script, id string, p zsbot.Put) {
	before, after := companyKey(p.Before), companyKey(p.After)
	if after != "" && after != before {
		s.claims = append(s.claims, s.key(db.k.nameClaims()), after, s.key(db.k.records(zsbot.KindCompany)), id)
		s.op("HSET", db.k.nameClaims(), after, id)
	}
	if before != "" && before != after {
		s.op("HDELIF", db.k.nameClaims(), before, id)
	}
}

// nameConflict is the prefix of the detail of a conflict over a claimed
// name (apply.lua).
const nameConflict = "name:"

// NameTaken reports whether err refused a change because another company
// claimed the name of a company it creates (or renames) first. Nothing
// was written; the command, run again, finds that company.
func NameTaken(err error) bool {
	var se *scriptError
	return errors.As(err, &se) && se.Code == scriptConflict && strings.HasPrefix(se.Detail, nameConflict)
}

// withClaims returns the keys of a backup with the claims of the
// companies it holds, rebuilt: each key held by the company of the lowest
// number that has it. Restore stages them with the rest, so that a backup
// of any age (one made before the claims existed, say) leaves them true.
func withClaims(k keys, ks []*backupKey) []*backupKey {
	out := make([]*backupKey, 0, len(ks)+1)
	refs := map[string]string{}
	for _, bk := range ks {
		switch bk.Key {
		case k.nameClaims():
			continue
		case k.names(zsbot.KindCompany):
			refs = bk.Hash
		}
		out = append(out, bk)
	}
	ids := make([]string, 0, len(refs))
	for id := range refs {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(idNumber(a), idNumber(b)), strings.Compare(a, b)) })
	claims := map[string]string{}
	for _, id := range ids {
		ref, err := decodeJSON[nameRef](refs[id])
		if err != nil {
			continue // Restore checked the file; a names entry it kept is the backup's
		}
		if key := zsbot.NameKey(ref.Name); key != "" && claims[key] == "" {
			claims[key] = id
		}
	}
	if len(claims) > 0 {
		out = append(out, &backupKey{Key: k.nameClaims(), Type: "hash", Hash: claims})
	}
	return out
}

// idNumber is the number of an ID such as "E12" (0 when it has none).
func idNumber(id string) int {
	n, _ := strconv.Atoi(strings.TrimLeft(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
	return n
}
