package storage

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// backupFile is a backup read whole and found sound.
type backupFile struct {
	header   backupHeader
	keys     []*backupKey // their names moved into the bureau restoring them
	warnings []string
}

// readBackup reads a whole backup and checks it for the bureau whose keys
// are k: the format, the bureau (from, when not the bureau itself, must be
// named: --as-bureau), every line (JSON of a known type, a key of the
// bureau met once, a value of its type) and the trailer (the count of key
// lines and the checksum of all before it). Its first fault is returned as
// a *BackupError naming the line.
func readBackup(r io.Reader, k keys, bureau, from string) (*backupFile, error) {
	lr := &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
	sum := sha256.New()
	line, err := lr.next()
	if errors.Is(err, io.EOF) {
		return nil, &BackupError{1, "the file is empty"}
	} else if err != nil {
		return nil, err
	}
	f := &backupFile{}
	if err := decodeStrict(line, &f.header); err != nil {
		return nil, &BackupError{1, "not the header of a zsbot backup: " + err.Error()}
	}
	h := f.header
	if h.Format != backupFormat && h.Format != backupFormatV1 {
		return nil, &BackupError{1, fmt.Sprintf("format %q is not one this zsbot reads (%s or %s)", h.Format, backupFormat, backupFormatV1)}
	}
	switch {
	case from != "" && h.Bureau != from:
		return nil, &BackupError{1, fmt.Sprintf("the file is a backup of bureau %q, not of %q that --as-bureau names", h.Bureau, from)}
	case from == "" && h.Bureau != bureau:
		return nil, &BackupError{1, fmt.Sprintf("the file is a backup of bureau %q, not of %q; to take it into %q, give --as-bureau %s", h.Bureau, bureau, bureau, h.Bureau)}
	}
	sum.Write(line)
	src := newKeys(h.Bureau)
	seen := map[string]int{}
	// A line is known to be a key line only once another follows it: in
	// zsbot-backup/2 the last line is the trailer.
	pending, pendingLine := []byte(nil), 0
	for {
		line, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		if pending != nil {
			if err := f.addKey(pending, pendingLine, src, k, seen); err != nil {
				return nil, err
			}
			sum.Write(pending)
		}
		pending, pendingLine = line, lr.n
	}
	if h.Format == backupFormatV1 {
		if pending != nil {
			if err := f.addKey(pending, pendingLine, src, k, seen); err != nil {
				return nil, err
			}
		}
		return f, f.checkV1Count(lr.n)
	}
	if pending == nil {
		return nil, &BackupError{2, "the file ends after its header, without its trailer: it is cut short"}
	}
	var t backupTrailer
	if err := decodeStrict(pending, &t); err != nil || t.End == "" {
		if err == nil {
			err = errors.New(`it has no "end"`)
		}
		if decodeStrict(pending, &backupKey{}) == nil {
			return nil, &BackupError{lr.n + 1, fmt.Sprintf("the file ends after line %d without its trailer: it is cut short", lr.n)}
		}
		return nil, &BackupError{lr.n, fmt.Sprintf("not the trailer of a zsbot backup: %v", err)}
	}
	switch {
	case t.End != backupFormat:
		return nil, &BackupError{lr.n, fmt.Sprintf("the trailer is of format %q, the header of %q", t.End, h.Format)}
	case t.Keys != len(f.keys) || h.Keys != len(f.keys):
		return nil, &BackupError{lr.n, fmt.Sprintf("the file holds %d keys, but the header counts %d and the trailer %d", len(f.keys), h.Keys, t.Keys)}
	case t.SHA256 != hex.EncodeToString(sum.Sum(nil)):
		return nil, &BackupError{lr.n, "the checksum (sha256) does not match the lines before it: the file was changed or damaged"}
	}
	return f, nil
}

// checkV1Count compares a zsbot-backup/1 file's keys with its header's
// count, the only check such a file allows, and warns of what it lacks.
func (f *backupFile) checkV1Count(lines int) error {
	if len(f.keys) > f.header.Keys {
		return &BackupError{lines, fmt.Sprintf("the file holds %d keys, more than the %d its header counts", len(f.keys), f.header.Keys)}
	}
	f.warnings = append(f.warnings, fmt.Sprintf("%s file: it has no trailer, so a file cut between two lines cannot be told from a whole one; back up again to get a checked file", backupFormatV1))
	if len(f.keys) < f.header.Keys {
		f.warnings = append(f.warnings, fmt.Sprintf("the header counts %d keys but the file holds %d: keys that expired during the backup, or a file cut short", f.header.Keys, len(f.keys)))
	}
	return nil
}

// addKey checks one key line (numbered n) and keeps its key, its name
// moved from the bureau of src to that of dst.
func (f *backupFile) addKey(line []byte, n int, src, dst keys, seen map[string]int) error {
	bk := &backupKey{}
	if err := decodeStrict(line, bk); err != nil {
		return &BackupError{n, "not a key of a zsbot backup: " + err.Error()}
	}
	rest, ok := strings.CutPrefix(bk.Key, src.prefix)
	if !ok || rest == "" {
		return &BackupError{n, fmt.Sprintf("key %q is not of bureau %q", bk.Key, f.header.Bureau)}
	}
	bk.Key = dst.prefix + rest
	if strings.HasPrefix(bk.Key, dst.restoreArea()) {
		return &BackupError{n, fmt.Sprintf("key %q lies where a restore stages its keys", bk.Key)}
	}
	if first, ok := seen[bk.Key]; ok {
		return &BackupError{n, fmt.Sprintf("key %q is on line %d already", bk.Key, first)}
	}
	seen[bk.Key] = n
	if why := bk.check(); why != "" {
		return &BackupError{n, fmt.Sprintf("key %q: %s", bk.Key, why)}
	}
	f.keys = append(f.keys, bk)
	return nil
}

// check reports what is wrong with a key's value for its type, or "".
func (bk *backupKey) check() string {
	switch bk.Type {
	case "string", "hash", "set", "list", "zset", "stream":
	default:
		return fmt.Sprintf("unknown type %q", bk.Type)
	}
	var extra []string
	for _, x := range []struct {
		name string
		has  bool
		own  bool
	}{
		{"string", bk.String != "", bk.Type == "string"},
		{"hash", bk.Hash != nil, bk.Type == "hash"},
		{"items", bk.Items != nil, bk.Type == "set" || bk.Type == "list"},
		{"zset", bk.Zset != nil, bk.Type == "zset"},
		{"stream", bk.Stream != nil, bk.Type == "stream"},
	} {
		if x.has && !x.own {
			extra = append(extra, x.name)
		}
	}
	switch {
	case len(extra) > 0:
		return fmt.Sprintf("a %s has %s", bk.Type, strings.Join(extra, " and "))
	case bk.TTLms < 0:
		return fmt.Sprintf("negative ttl_ms %d", bk.TTLms)
	case bk.Type == "hash" && len(bk.Hash) == 0,
		(bk.Type == "set" || bk.Type == "list") && len(bk.Items) == 0,
		bk.Type == "zset" && len(bk.Zset) == 0:
		return fmt.Sprintf("an empty %s (Redis keeps none)", bk.Type)
	case bk.Type == "set":
		return unique(bk.Items, func(s string) string { return s })
	case bk.Type == "zset":
		return unique(bk.Zset, func(z zmember) string { return z.M })
	case bk.Type == "stream":
		return checkStream(bk.Stream)
	}
	return ""
}

// unique reports a member that appears twice, or "".
func unique[T any](xs []T, member func(T) string) string {
	seen := make(map[string]bool, len(xs))
	for _, x := range xs {
		m := member(x)
		if seen[m] {
			return fmt.Sprintf("member %q appears twice", m)
		}
		seen[m] = true
	}
	return ""
}

// checkStream reports what is wrong with a stream's entries, or "": IDs
// must be ms-seq and increasing, every entry must have fields, and every
// value must be a string.
func checkStream(es []streamEntry) string {
	var lastMs, lastSeq uint64
	for i, e := range es {
		msText, seqText, ok := strings.Cut(e.ID, "-")
		ms, err1 := strconv.ParseUint(msText, 10, 64)
		seq, err2 := strconv.ParseUint(seqText, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return fmt.Sprintf("stream entry %d has ID %q, not ms-seq", i+1, e.ID)
		}
		if ms < lastMs || ms == lastMs && seq <= lastSeq {
			return fmt.Sprintf("stream entry %d has ID %s, not after the one before", i+1, e.ID)
		}
		lastMs, lastSeq = ms, seq
		if len(e.Fields) == 0 {
			return fmt.Sprintf("stream entry %s has no fields", e.ID)
		}
		for name, v := range e.Fields {
			if _, ok := v.(string); !ok {
				return fmt.Sprintf("stream entry %s: field %q is not a string", e.ID, name)
			}
		}
	}
	return ""
}
