package storage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// archiveFiles is a directory of monthly audit archives, YYYY-MM.jsonl,
// each line an entry, in stream order across the files.
type archiveFiles struct {
	dir string
	dry bool // read only: repair and write nothing
}

var archiveName = regexp.MustCompile(`^\d{4}-\d{2}\.jsonl$`)

// last returns the ID of the last entry in the files ("" when none). A
// last line cut short (a crash while appending) is cut off the file, so
// that its entry is written again whole.
func (f archiveFiles) last() (string, error) {
	ents, err := os.ReadDir(f.dir)
	if os.IsNotExist(err) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("storage: archive: %w", err)
	}
	var names []string
	for _, e := range ents {
		if archiveName.MatchString(e.Name()) && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for i := len(names) - 1; i >= 0; i-- {
		path := filepath.Join(f.dir, names[i])
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("storage: archive: %w", err)
		}
		whole := b[:bytes.LastIndexByte(b, '\n')+1]
		if len(whole) < len(b) && !f.dry {
			if err := os.Truncate(path, int64(len(whole))); err != nil {
				return "", fmt.Errorf("storage: archive: drop a cut line: %w", err)
			}
		}
		lines := bytes.Split(bytes.TrimRight(whole, "\n"), []byte("\n"))
		if last := lines[len(lines)-1]; len(last) > 0 {
			var e struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(last, &e); err != nil || e.ID == "" {
				return "", fmt.Errorf("storage: archive: %s: the last line is not an entry", path)
			}
			return e.ID, nil
		}
	}
	return "", nil
}

// append adds lines to the file name and syncs it (and the directory, for
// a new file) before returning.
func (f archiveFiles) append(name string, lines []byte) error {
	if f.dry {
		return nil
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return fmt.Errorf("storage: archive: %w", err)
	}
	path := filepath.Join(f.dir, name)
	_, statErr := os.Stat(path)
	w, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("storage: archive: %w", err)
	}
	_, err = w.Write(lines)
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil && os.IsNotExist(statErr) {
		err = syncDir(f.dir)
	}
	if err != nil {
		return fmt.Errorf("storage: archive %s: %w", name, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
