package storage_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"zsbot/storage"
	"zsbot/storage/redistest"
)

// mustBackup returns a backup of db.
func mustBackup(tb testing.TB, db *storage.DB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// lines splits a backup into its lines, each with its end.
func lines(b []byte) [][]byte {
	ls := bytes.SplitAfter(b, []byte("\n"))
	if len(ls[len(ls)-1]) == 0 {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// lineWith returns the number (from 1) of the first line of b that matches re.
func lineWith(tb testing.TB, b []byte, re string) int {
	tb.Helper()
	for i, l := range lines(b) {
		if regexp.MustCompile(re).Match(l) {
			return i + 1
		}
	}
	tb.Fatalf("no line matches %s", re)
	return 0
}

// edit returns b with line n (from 1) passed through f.
func edit(b []byte, n int, f func(line []byte) []byte) []byte {
	ls := lines(b)
	var out []byte
	for i, l := range ls {
		if i+1 == n {
			l = f(l)
		}
		out = append(out, l...)
	}
	return out
}

// firstLines returns the first n lines of b.
func firstLines(b []byte, n int) []byte { return bytes.Join(lines(b)[:n], nil) }

// toV1 turns a backup into the zsbot-backup/1 file that the same keys
// made before trailers: the old format in the header, no trailer.
func toV1(b []byte) []byte {
	ls := lines(b)
	return bytes.Replace(firstLines(b, len(ls)-1), []byte(`"format":"zsbot-backup/2"`), []byte(`"format":"zsbot-backup/1"`), 1)
}

// TestRestoreRefusesBadFiles gives restore, and restore --replace, a
// populated bureau and a damaged backup: each is refused, naming the line
// and the reason, and the server is byte for byte as before.
func TestRestoreRefusesBadFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := topologies[0].start(t)
	db, other := d.db(t, "test"), d.db(t, "other")
	populate(t, db, 20)
	populateFrom(t, other, 50, 3)
	good, foreign := mustBackup(t, db), mustBackup(t, other)
	n := len(lines(good))
	hashLine := lineWith(t, good, `"type":"hash"`)
	retype := func(to string) func([]byte) []byte {
		return func(l []byte) []byte { return bytes.Replace(l, []byte(`"type":"hash"`), []byte(`"type":"`+to+`"`), 1) }
	}
	for _, c := range []struct {
		name   string
		file   []byte
		line   int
		reason string
	}{
		{"Empty", nil, 1, "empty"},
		{"CutInHeader", good[:20], 1, "cut short"},
		{"CutMidLine", edit(firstLines(good, 5), 5, func(l []byte) []byte { return l[:len(l)/2] }), 5, "cut short"},
		{"CutInTrailer", good[:len(good)-10], n, "cut short"},
		{"CutAfterHeader", firstLines(good, 1), 2, "without its trailer"},
		{"CutAtLineBoundary", firstLines(good, 6), 7, "without its trailer"},
		{"CutBeforeTrailer", firstLines(good, n-1), n, "without its trailer"},
		{"OtherBureau", foreign, 1, `backup of bureau "other", not of "test"; to take it into "test", give --as-bureau other`},
		{"WrongVersion", bytes.Replace(good, []byte("zsbot-backup/2"), []byte("zsbot-backup/3"), 1), 1, `format "zsbot-backup/3"`},
		{"NotJSON", edit(good, 4, func([]byte) []byte { return []byte("{\"key\":\n") }), 4, "not a key of a zsbot backup"},
		{"UnknownType", edit(good, hashLine, retype("bitmap")), hashLine, `unknown type "bitmap"`},
		{"TypeMismatch", edit(good, hashLine, retype("string")), hashLine, "a string has hash"},
		{"UnknownField", edit(good, 3, func(l []byte) []byte { return bytes.Replace(l, []byte(`{"key"`), []byte(`{"x":1,"key"`), 1) }), 3, `unknown field "x"`},
		{"KeyOfOtherBureau", edit(good, 3, func(l []byte) []byte { return bytes.Replace(l, []byte("zs:{test}:"), []byte("zs:{other}:"), 1) }), 3, `is not of bureau "test"`},
		{"DuplicateKey", append(firstLines(good, 3), good[len(firstLines(good, 2)):]...), 4, "is on line 3 already"},
		{"LineRemoved", append(firstLines(good, 2), good[len(firstLines(good, 3)):]...), n - 1, "the header counts"},
		{"BadChecksum", bytes.Replace(good, []byte("完成土地摘牌"), []byte("完成土地摘要"), 1), n, "checksum"},
	} {
		if bytes.Equal(c.file, good) {
			t.Fatalf("%s: the file is not damaged", c.name)
		}
		for _, replace := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/replace=%t", c.name, replace), func(t *testing.T) {
				before := redistest.Snapshot(t, db.Client(), "*")
				_, err := db.Restore(ctx, bytes.NewReader(c.file), storage.RestoreOptions{Replace: replace})
				t.Logf("refused: %v", err)
				var bad *storage.BackupError
				if !errors.As(err, &bad) {
					t.Fatalf("restore: %v, want a BackupError", err)
				}
				if bad.Line != c.line || !strings.Contains(bad.Reason, c.reason) {
					t.Errorf("refused with %q; want line %d: …%s…", bad, c.line, c.reason)
				}
				if after := redistest.Snapshot(t, db.Client(), "*"); !reflect.DeepEqual(before, after) {
					t.Errorf("the refused restore changed the server: %d keys before, %d after", len(before), len(after))
				}
			})
		}
	}
}

// TestRestoreOldFormat restores a zsbot-backup/1 file, which has no
// trailer: it loads whole, with a warning; one whose header counts more
// keys than it holds (cut at a line boundary, for all it can tell) loads
// with a second warning.
func TestRestoreOldFormat(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := mustDB(t)
	populate(t, src, 10)
	v1 := toV1(mustBackup(t, src))
	d := topologies[0].start(t)
	for _, c := range []struct {
		name     string
		file     []byte
		bureau   string
		warnings int
	}{
		{"Whole", v1, "a", 1},
		{"Short", firstLines(v1, len(lines(v1))-2), "b", 2},
	} {
		var warned []string
		db := d.db(t, c.bureau)
		_, err := db.Restore(ctx, bytes.NewReader(c.file), storage.RestoreOptions{AsBureau: "test", Warn: func(m string) { warned = append(warned, m) }})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(warned) != c.warnings || !strings.Contains(warned[0], "no trailer") {
			t.Errorf("%s: warnings %q", c.name, warned)
		}
		if c.name == "Whole" && !reflect.DeepEqual(mustExport(t, db), mustExport(t, src)) {
			t.Errorf("the v1 file restored differently")
		}
	}
}

// TestRestoreAsBureau takes one bureau's backup into another: refused
// without --as-bureau or with the wrong name, exact with it.
func TestRestoreAsBureau(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := topologies[0].start(t)
	east, west := d.db(t, "east"), d.db(t, "west")
	populate(t, east, 5)
	b := mustBackup(t, east)
	for _, as := range []string{"", "north", "west"} {
		if _, err := west.Restore(ctx, bytes.NewReader(b), storage.RestoreOptions{AsBureau: as}); err == nil {
			t.Fatalf("west took east's backup with --as-bureau %q", as)
		}
	}
	if strings.Count(redistest.Snapshot(t, west.Client(), "*"), "\n") != len(lines(b))-2 {
		t.Fatal("a refused restore wrote keys")
	}
	n, err := west.Restore(ctx, bytes.NewReader(b), storage.RestoreOptions{AsBureau: "east"})
	if err != nil || n != len(lines(b))-2 {
		t.Fatalf("restored %d keys of %d: %v", n, len(lines(b))-2, err)
	}
	if !reflect.DeepEqual(mustExport(t, west), mustExport(t, east)) {
		t.Fatal("west differs from east after --as-bureau east")
	}
	for _, k := range backupKeys(t, mustBackup(t, west)) {
		if !strings.HasPrefix(k, "zs:{west}:") {
			t.Fatalf("west holds %s", k)
		}
	}
}

// TestEmbeddedRefusesDamagedFile: the embedded store does not start on a
// data file cut short, says which file and why, and leaves the file as it
// was.
func TestEmbeddedRefusesDamagedFile(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	populate(t, e.DB, 3)
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, storage.DataFile)
	whole, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, want string
		file       []byte
	}{
		{"MidLine", "line 3: the line stops without its end", edit(firstLines(whole, 3), 3, func(l []byte) []byte { return l[:len(l)/2] })},
		{"AtLineBoundary", "line 4: the file ends after line 3 without its trailer", firstLines(whole, 3)},
	} {
		if err := os.WriteFile(path, c.file, 0o600); err != nil {
			t.Fatal(err)
		}
		e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
		if err == nil {
			e.Close()
			t.Fatalf("%s: the embedded store started on a damaged file", c.name)
		}
		if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want the file and %q", c.name, err, c.want)
		}
		if now, _ := os.ReadFile(path); !bytes.Equal(now, c.file) {
			t.Errorf("%s: the damaged file was overwritten", c.name)
		}
	}
	t.Run("OldFormat", func(t *testing.T) {
		if err := os.WriteFile(path, toV1(whole), 0o600); err != nil {
			t.Fatal(err)
		}
		var logged bytes.Buffer
		e, err := storage.OpenEmbedded(ctx, dir, "test", slog.New(slog.NewTextHandler(&logged, nil)))
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		if d := mustExport(t, e.DB); len(d.Projects) != 3 || !strings.Contains(logged.String(), "no trailer") {
			t.Fatalf("%d projects; log %s", len(d.Projects), logged.String())
		}
	})
}
