package storage_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

func TestBureausSideBySide(t *testing.T) { eachTopology(t, testBureausSideBySide) }

// testBureausSideBySide runs two bureaus in one Redis, one named after a
// prefix of the other's name, with the same record IDs but different
// records, and compares everything each of them sees.
func testBureausSideBySide(t *testing.T, top topology) {
	ctx := context.Background()
	d := top.start(t)
	east, east2 := d.db(t, "east"), d.db(t, "east-2")
	writeProjects(t, east, "东区", 3)
	writeProjects(t, east2, "东二区", 2)
	if id, err := east2.NextID(ctx, zsbot.KindTask); err != nil || id != "T1" {
		t.Fatalf("east-2's first task id = %q, %v; counters must be per bureau", id, err)
	}
	if id, err := east.NextID(ctx, zsbot.KindTask); err != nil || id != "T1" {
		t.Fatalf("east's first task id = %q, %v; counters must be per bureau", id, err)
	}

	a, b := mustExport(t, east), mustExport(t, east2)
	if got := projectNames(a); !reflect.DeepEqual(got, []string{"东区1", "东区2", "东区3"}) {
		t.Fatalf("east sees %v", got)
	}
	if got := projectNames(b); !reflect.DeepEqual(got, []string{"东二区1", "东二区2"}) {
		t.Fatalf("east-2 sees %v", got)
	}
	if la, _ := east.AuditLog(ctx); len(la) != 3 {
		t.Fatalf("east's audit log has %d entries, want 3", len(la))
	}
	if h, _ := east2.History(ctx, "P1", 10); h == nil || len(h.Entries) != 1 || !strings.Contains(h.Entries[0].Raw, "东二区") {
		t.Fatalf("east-2's history of P1: %+v", h)
	}
	if l, _ := east.Ledger(ctx, 20240101, 20241231); len(l.Signed) != 3 {
		t.Fatalf("east's ledger counts %d signings, want 3", len(l.Signed))
	}

	t.Run("BackupHoldsOnlyItsKeys", func(t *testing.T) {
		var buf bytes.Buffer
		if err := east.Backup(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		keys := backupKeys(t, buf.Bytes())
		for _, k := range keys {
			if !strings.HasPrefix(k, "zs:{east}:") {
				t.Fatalf("east's backup holds %s", k)
			}
		}
		// Restoring east over itself leaves east-2 exactly as it was.
		if _, err := east.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{Replace: true}); err != nil {
			t.Fatal(err)
		}
		if got := mustExport(t, east2); !reflect.DeepEqual(got, b) {
			t.Fatal("restoring east changed east-2")
		}
		if got := mustExport(t, east); !reflect.DeepEqual(got, a) {
			t.Fatal("east differs after restoring its own backup")
		}
		// Into a fresh Redis, the backup brings east and nothing else.
		fresh := top.start(t)
		n, err := fresh.db(t, "east").Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{})
		if err != nil || n != len(keys) {
			t.Fatalf("restored %d of %d keys: %v", n, len(keys), err)
		}
		if got := mustExport(t, fresh.db(t, "east")); !reflect.DeepEqual(got, a) {
			t.Fatal("east differs in the fresh Redis")
		}
		if got := mustExport(t, fresh.db(t, "east-2")); len(got.Projects) != 0 {
			t.Fatalf("east-2 appeared in the fresh Redis: %v", projectNames(got))
		}
		if _, err := east2.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{Replace: true}); err == nil {
			t.Fatal("east-2 accepted east's backup")
		}
	})
}

// TestBureauACL runs every operation as a Redis ACL user allowed only the
// keys zs:{east}:* and no @dangerous command (FLUSHALL, KEYS, CONFIG, …),
// as the README advises for a shared Redis: had any operation touched
// another key, Redis would have refused it (NOPERM). The same user cannot
// write another bureau.
func TestBureauACL(t *testing.T) {
	t.Parallel()
	s := redistest.Start(t, "--user", "east", "on", ">s3cret", "~zs:{east}:*", "+@all", "-@dangerous")
	d := deployment{url: "redis://east:s3cret@" + s.Addr + "/0"}
	exercise(t, d.db(t, "east"))

	c := &zsbot.Change{Audit: zsbot.Audit{Who: "u"}}
	c.Add(nil, newProject("P1", 20240101))
	if _, err := d.db(t, "west").Apply(context.Background(), c); err == nil || !strings.Contains(err.Error(), "NOPERM") {
		t.Fatalf("write to another bureau: %v, want NOPERM", err)
	}
	bad := deployment{url: "redis://east:wrong@" + s.Addr + "/0"}
	if err := bad.db(t, "east").Ping(context.Background()); err == nil {
		t.Fatal("a wrong password was accepted")
	}
}

// writeProjects applies n projects P1…Pn named label1…labeln, one change each.
func writeProjects(tb testing.TB, db *storage.DB, label string, n int) {
	tb.Helper()
	for i := 1; i <= n; i++ {
		p := newProject(fmt.Sprintf("P%d", i), zsbot.Date(20240300+i))
		p.Name = fmt.Sprint(label, i)
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(int64(i), 0), Raw: "新项目 " + p.Name, Project: p.ID}}
		c.Add(nil, p)
		mustApply(tb, db, c)
	}
}

func mustExport(tb testing.TB, db *storage.DB) *zsbot.Dump {
	tb.Helper()
	d, err := db.Export(context.Background())
	if err != nil {
		tb.Fatalf("export %s: %v", db.Bureau(), err)
	}
	return d
}

func projectNames(d *zsbot.Dump) []string {
	var out []string
	for _, p := range d.Projects {
		out = append(out, p.Name)
	}
	return out
}

// backupKeys returns the key of every line after a backup's header.
func backupKeys(tb testing.TB, backup []byte) []string {
	tb.Helper()
	var keys []string
	sc := bufio.NewScanner(bytes.NewReader(backup))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var line struct{ Key string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			tb.Fatal(err)
		}
		if line.Key != "" {
			keys = append(keys, line.Key)
		}
	}
	if len(keys) < 5 {
		tb.Fatalf("backup holds only %d keys", len(keys))
	}
	return keys
}
