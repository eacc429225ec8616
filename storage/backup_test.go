package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// populate writes a bit of everything, including a TTL'd key, a list and a stream.
func populate(tb testing.TB, db *storage.DB, n int) { populateFrom(tb, db, 1, n) }

func populateFrom(tb testing.TB, db *storage.DB, first, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := first; i < first+n; i++ {
		c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(int64(i), 0), Raw: fmt.Sprint("新项目 ", i)}}
		pid := fmt.Sprintf("P%d", i)
		c.Add(nil, &zsbot.Company{ID: fmt.Sprintf("E%d", i), Name: fmt.Sprint("企业", i), Aliases: []string{"简称"}})
		c.Add(nil, newProject(pid, zsbot.Date(20240101+i%28)))
		c.Add(nil, &zsbot.Task{ID: fmt.Sprintf("T%d", i), Project: pid, Text: "完成土地摘牌", Due: 20241215, Assignee: "zhangsan"})
		c.Add(nil, &zsbot.Activity{ID: fmt.Sprintf("A%d", i), Kind: zsbot.KindVisit, Date: 20240301, Project: pid, By: "zhangsan"})
		mustApply(tb, db, c)
	}
	if err := db.Client().Set(ctx, "zs:{"+db.Bureau()+"}:pick:zhangsan", "P1,P2", time.Hour).Err(); err != nil {
		tb.Fatal(err)
	}
}

func TestBackupRestore(t *testing.T) { eachTopology(t, testBackupRestore) }

func testBackupRestore(t *testing.T, top topology) {
	ctx := context.Background()
	src := top.mustDB(t)
	populate(t, src, 20)
	var buf bytes.Buffer
	if err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	to := top.start(t)
	dst := to.db(t, "test")
	n, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("restored %d keys", n)
	}
	a, _ := src.Export(ctx)
	b, _ := dst.Export(ctx)
	if !reflect.DeepEqual(a, b) || len(b.Projects) != 20 {
		t.Fatalf("exports differ after restore (%d projects)", len(b.Projects))
	}
	t.Run("KeyForKey", func(t *testing.T) {
		var again bytes.Buffer
		if err := dst.Backup(ctx, &again); err != nil {
			t.Fatal(err)
		}
		// Same keys, types and values; only the header's time and TTLs may differ.
		la, lb := bytes.Split(buf.Bytes(), []byte("\n")), bytes.Split(again.Bytes(), []byte("\n"))
		if len(la) != len(lb) {
			t.Fatalf("%d lines vs %d", len(la), len(lb))
		}
		ttl, _ := dst.Client().TTL(ctx, "zs:{test}:pick:zhangsan").Result()
		if ttl <= 0 || ttl > time.Hour {
			t.Fatalf("TTL not restored: %v", ttl)
		}
		hist, err := dst.History(ctx, "P3", 5)
		if err != nil || len(hist.Entries) != 1 || hist.Entries[0].Raw != "新项目 3" {
			t.Fatalf("stream/list not restored: %+v, %v", hist, err)
		}
	})
	t.Run("RefusesNonEmpty", func(t *testing.T) {
		if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{}); err == nil {
			t.Fatal("restore over existing data accepted")
		}
	})
	t.Run("RefusesOtherBureau", func(t *testing.T) {
		other := to.db(t, "other") // the same Redis, empty for this bureau
		if _, err := other.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{}); err == nil {
			t.Fatal("restore into another bureau accepted")
		}
	})
}

func TestEmbeddedSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	populate(t, e.DB, 3)
	// No Close: the data must already be on disk after each write.
	e2, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	d, _ := e2.Export(ctx)
	if len(d.Projects) != 3 || len(d.Tasks) != 3 {
		t.Fatalf("after restart: %d projects, %d tasks", len(d.Projects), len(d.Tasks))
	}
	id, err := e2.NextID(ctx, zsbot.KindProject)
	if err != nil || id != "P1" {
		// populate wrote explicit IDs without NextID: the counter is fresh.
		t.Fatalf("next id = %q, %v", id, err)
	}
	e.Close()
}

// TestEmbeddedKill9 kills a writer process at random moments; the data file
// must always load.
func TestEmbeddedKill9(t *testing.T) {
	if os.Getenv("ZSBOT_KILL9_CHILD") != "" {
		dir := os.Getenv("ZSBOT_KILL9_CHILD")
		e, err := storage.OpenEmbedded(context.Background(), dir, "test", nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
		first, _ := strconv.Atoi(os.Getenv("ZSBOT_KILL9_FIRST"))
		populateFrom(t, e.DB, first, 100000)
		return
	}
	dir := t.TempDir()
	last := 0
	for round := 0; round < 6; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEmbeddedKill9$")
		cmd.Env = append(os.Environ(), "ZSBOT_KILL9_CHILD="+dir, fmt.Sprint("ZSBOT_KILL9_FIRST=", round*100000+1))
		before := fileStamp(filepath.Join(dir, storage.DataFile))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill only once this writer has saved at least once, at a moment
		// that varies by round, so most kills land in the middle of a save.
		for deadline := time.Now().Add(30 * time.Second); fileStamp(filepath.Join(dir, storage.DataFile)) == before; {
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the writer saved nothing in 30s", round)
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(round*13) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
		e, err := storage.OpenEmbedded(context.Background(), dir, "test", nil)
		if err != nil {
			t.Fatalf("round %d: data file does not load after kill -9: %v", round, err)
		}
		d, err := e.Export(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		e.Close()
		if len(d.Projects) < last {
			t.Fatalf("round %d: %d projects on disk, fewer than the %d before", round, len(d.Projects), last)
		}
		last = len(d.Projects)
		t.Logf("round %d: %d projects on disk", round, len(d.Projects))
	}
	if last == 0 {
		t.Fatal("the writer never got a record to disk")
	}
}

// fileStamp identifies a version of a file: its size and modification time.
func fileStamp(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fmt.Sprint(st.Size(), st.ModTime().UnixNano())
}
