package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

const day = 24 * time.Hour

// agedAudit fills a bureau's audit stream with one entry of project P1 by
// zhangsan at each age before now (oldest first), with stream IDs at those
// times, as the write script would have made them then, and their history
// and undo lists. It returns the IDs, oldest first.
func agedAudit(tb testing.TB, db *storage.DB, now time.Time, ages ...time.Duration) []string {
	tb.Helper()
	ctx := context.Background()
	var ids []string
	for i, age := range ages {
		at := now.Add(-age)
		e, _ := json.Marshal(&zsbot.Audit{Who: "zhangsan", When: at, Raw: fmt.Sprintf("拜访 %d", i), Project: "P1"})
		id := fmt.Sprintf("%d-%d", at.UnixMilli(), i)
		if err := db.Client().XAdd(ctx, &redis.XAddArgs{Stream: "zs:{test}:audit", ID: id, Values: []any{"e", string(e), "m", "m:" + id}}).Err(); err != nil {
			tb.Fatal(err)
		}
		db.Client().LPush(ctx, "zs:{test}:hist:P1", id)
		db.Client().LPush(ctx, "zs:{test}:undo:zhangsan", id)
		ids = append(ids, id)
	}
	return ids
}

// archived reads every line of the archive files in dir: entry IDs in file
// order, and the file of each.
func archived(tb testing.TB, dir string) (ids []string, file map[string]string) {
	tb.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	slices.Sort(names)
	file = map[string]string{}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
			var l struct {
				ID string          `json:"id"`
				E  json.RawMessage `json:"e"`
				M  string          `json:"m"`
			}
			if err := json.Unmarshal(line, &l); err != nil || l.ID == "" || l.M != "m:"+l.ID || !bytes.Contains(l.E, []byte(`"拜访`)) {
				tb.Fatalf("%s: bad line %q (%v)", name, line, err)
			}
			ids = append(ids, l.ID)
			file[l.ID] = filepath.Base(name)
		}
	}
	return ids, file
}

func TestArchiveAudit(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 3, 0, 0, 0, time.UTC)
	ages := []time.Duration{500 * day, 470 * day, 440 * day, 410 * day, 401 * day, 399 * day, 200 * day, 10 * day}
	keep := 400 * day
	opts := func(dir string) storage.ArchiveOptions {
		return storage.ArchiveOptions{Dir: dir, Keep: keep, Now: now, Loc: time.UTC}
	}
	check := func(t *testing.T, db *storage.DB, dir string, ids []string) {
		t.Helper()
		got, file := archived(t, dir)
		if !slices.Equal(got, ids[:5]) {
			t.Fatalf("archived %v, want exactly the five older than 400 days %v", got, ids[:5])
		}
		for _, id := range got {
			var ms int64
			fmt.Sscanf(id, "%d-", &ms)
			if want := time.UnixMilli(ms).UTC().Format("2006-01") + ".jsonl"; file[id] != want {
				t.Errorf("%s in %s, want %s", id, file[id], want)
			}
		}
		kept, _ := db.Client().XRange(ctx, "zs:{test}:audit", "-", "+").Result()
		if len(kept) != 3 || kept[0].ID != ids[5] {
			t.Fatalf("stream keeps %d entries from %v, want the 3 from %s", len(kept), kept, ids[5])
		}
		page, err := db.History(ctx, "P1", 10)
		if err != nil || len(page.Entries) != 3 || page.Total != 3 || page.Archived != keep || page.Entries[2].ID != ids[5] {
			t.Fatalf("History = %+v, %v", page, err)
		}
		if n, _ := db.Client().LLen(ctx, "zs:{test}:hist:P1").Result(); n != 4 {
			t.Errorf("history list has %d items, want 3 IDs and the archived mark", n)
		}
	}

	t.Run("TwiceWritesOnce", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		ids, dir := agedAudit(t, db, now, ages...), t.TempDir()
		rep, err := db.ArchiveAudit(ctx, opts(dir))
		if err != nil || rep.Archived != 5 || rep.Trimmed != 5 || rep.Unlisted != 10 {
			t.Fatalf("first run: %+v, %v", rep, err)
		}
		check(t, db, dir, ids)
		if rep, err = db.ArchiveAudit(ctx, opts(dir)); err != nil || rep.Archived != 0 || rep.Trimmed != 0 {
			t.Fatalf("second run: %+v, %v", rep, err)
		}
		check(t, db, dir, ids)
	})

	t.Run("InterruptedBeforeTrim", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		ids, dir := agedAudit(t, db, now, ages...), t.TempDir()
		o := opts(dir)
		crash := errors.New("killed")
		o.BeforeTrim = func() error { return crash }
		if _, err := db.ArchiveAudit(ctx, o); !errors.Is(err, crash) {
			t.Fatalf("err = %v", err)
		}
		if n, _ := db.Client().XLen(ctx, "zs:{test}:audit").Result(); n != int64(len(ids)) {
			t.Fatalf("the stream lost entries before the trim: %d left", n)
		}
		if got, _ := archived(t, dir); len(got) != 5 {
			t.Fatalf("files hold %v before the trim", got)
		}
		if _, err := db.ArchiveAudit(ctx, opts(dir)); err != nil {
			t.Fatal(err)
		}
		check(t, db, dir, ids)
	})

	t.Run("LineCutShort", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		ids, dir := agedAudit(t, db, now, ages...), t.TempDir()
		o := opts(dir)
		o.BeforeTrim = func() error { return errors.New("killed") }
		db.ArchiveAudit(ctx, o)
		// The crash came while the last line was being appended.
		_, file := archived(t, dir)
		path := filepath.Join(dir, file[ids[4]])
		b, _ := os.ReadFile(path)
		os.WriteFile(path, b[:len(b)-20], 0o600)
		if _, err := db.ArchiveAudit(ctx, opts(dir)); err != nil {
			t.Fatal(err)
		}
		check(t, db, dir, ids)
	})

	t.Run("DryRun", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		ids, dir := agedAudit(t, db, now, ages...), t.TempDir()
		o := opts(dir)
		o.DryRun = true
		rep, err := db.ArchiveAudit(ctx, o)
		if err != nil || rep.Archived != 5 || rep.Trimmed != 5 {
			t.Fatalf("dry run: %+v, %v", rep, err)
		}
		if n, _ := db.Client().XLen(ctx, "zs:{test}:audit").Result(); n != int64(len(ids)) {
			t.Fatalf("a dry run trimmed: %d left", n)
		}
		if names, _ := filepath.Glob(filepath.Join(dir, "*")); len(names) != 0 {
			t.Fatalf("a dry run wrote %v", names)
		}
	})

	t.Run("UndoBeyondTheWindow", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		agedAudit(t, db, now, 500*day, 450*day)
		if _, err := db.ArchiveAudit(ctx, opts(t.TempDir())); err != nil {
			t.Fatal(err)
		}
		_, err := db.LastUndoable(ctx, "zhangsan")
		if zsbot.ErrorCode(err) != zsbot.ENOTFOUND || !strings.Contains(zsbot.ErrorMessage(err), "已归档（保留400天），不能再撤销") {
			t.Fatalf("LastUndoable = %v", err)
		}
	})

	t.Run("KeepForever", func(t *testing.T) {
		db := storage.New(redistest.Start(t).Client(t), "test")
		agedAudit(t, db, now, 5000*day)
		o := opts(t.TempDir())
		o.Keep = 0
		if rep, err := db.ArchiveAudit(ctx, o); err != nil || rep.Archived != 0 {
			t.Fatalf("%+v, %v", rep, err)
		}
		if n, _ := db.Client().XLen(ctx, "zs:{test}:audit").Result(); n != 1 {
			t.Fatal("keep forever trimmed")
		}
	})
}
