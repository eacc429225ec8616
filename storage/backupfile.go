package storage

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// The backup format is JSON lines: a header, one line per key with its
// type, remaining TTL and value, type for type (string, hash, set, sorted
// set, list, stream), and, since zsbot-backup/2, a trailer: the number of
// key lines and the SHA-256 of every byte before the trailer, so that a
// file cut anywhere — in a line or between two — is told from a whole one.
// The embedded store keeps its data in the same format.
const (
	backupFormat   = "zsbot-backup/2"
	backupFormatV1 = "zsbot-backup/1" // no trailer; still read, with a warning
)

type backupHeader struct {
	Format string    `json:"format"`
	Bureau string    `json:"bureau"`
	Taken  time.Time `json:"taken"`
	Keys   int       `json:"keys"`
}

type backupKey struct {
	Key    string            `json:"key"`
	Type   string            `json:"type"`
	TTLms  int64             `json:"ttl_ms,omitempty"` // 0 = no expiry
	String string            `json:"string,omitempty"`
	Hash   map[string]string `json:"hash,omitempty"`
	Items  []string          `json:"items,omitempty"` // set members or list items
	Zset   []zmember         `json:"zset,omitempty"`
	Stream []streamEntry     `json:"stream,omitempty"`
}

type zmember struct {
	M string  `json:"m"`
	S float64 `json:"s"`
}

type streamEntry struct {
	ID     string         `json:"id"`
	Fields map[string]any `json:"f"`
}

// backupTrailer is the last line of a zsbot-backup/2 file.
type backupTrailer struct {
	End    string `json:"end"`    // the format, once more
	Keys   int    `json:"keys"`   // key lines between header and trailer
	SHA256 string `json:"sha256"` // hex, of every byte before the trailer
}

// writeBackup writes a whole backup of bureau holding ks: header, one
// line per key, trailer.
func writeBackup(w io.Writer, bureau string, taken time.Time, ks []*backupKey) error {
	bw := bufio.NewWriter(w)
	sum := sha256.New()
	enc := json.NewEncoder(io.MultiWriter(bw, sum))
	enc.SetEscapeHTML(false)
	if err := enc.Encode(backupHeader{Format: backupFormat, Bureau: bureau, Taken: taken, Keys: len(ks)}); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	for _, bk := range ks {
		if err := enc.Encode(bk); err != nil {
			return fmt.Errorf("storage: backup: %s: %w", bk.Key, err)
		}
	}
	end := json.NewEncoder(bw)
	if err := end.Encode(backupTrailer{End: backupFormat, Keys: len(ks), SHA256: hex.EncodeToString(sum.Sum(nil))}); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	return nil
}

// BackupError is a backup file that Restore refuses before it changes
// anything: the line at fault (1 is the header) and why.
type BackupError struct {
	Line   int
	Reason string
}

// Error returns "line N: reason".
func (e *BackupError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// lineReader reads a backup file line by line, counting them.
type lineReader struct {
	br *bufio.Reader
	n  int // lines read
}

// next returns the next line with its end, or io.EOF after the last line.
// A last line without its end is a file cut short.
func (l *lineReader) next() ([]byte, error) {
	b, err := l.br.ReadBytes('\n')
	if err == io.EOF && len(b) == 0 {
		return nil, io.EOF
	}
	l.n++
	if err == io.EOF {
		return nil, &BackupError{l.n, "the line stops without its end: the file is cut short"}
	}
	if err != nil {
		return nil, fmt.Errorf("read line %d: %w", l.n, err)
	}
	return b, nil
}

// decodeStrict decodes one JSON value that fills the whole line and has
// no field v lacks.
func decodeStrict(line []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value on the line")
	}
	return nil
}
