package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage/redistest"
)

// TestScriptsLoad loads every script (SCRIPT LOAD) on a real Redis and on
// the embedded store's Lua, each of which compiles it, and checks that
// every file of lua/ is part of some script.
func TestScriptsLoad(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	e, err := OpenEmbedded(ctx, t.TempDir(), "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	used := map[string]bool{}
	for _, s := range scripts {
		for _, f := range s.files {
			used[f] = true
		}
		if sha, err := s.Load(ctx, rdb).Result(); err != nil || sha != s.Hash() {
			t.Errorf("%v on Redis: %q, %v; want %s", s.files, sha, err, s.Hash())
		}
		if sha, err := s.Load(ctx, e.rdb).Result(); err != nil || sha != s.Hash() {
			t.Errorf("%v on the embedded store: %q, %v; want %s", s.files, sha, err, s.Hash())
		}
	}
	files, err := fs.Glob(luaFiles, "lua/*.lua")
	if err != nil || len(files) == 0 {
		t.Fatalf("lua/: %v, %v", files, err)
	}
	for _, f := range files {
		if !used[f[len("lua/"):]] {
			t.Errorf("%s is in no script", f)
		}
	}
	if len(used) != len(files) {
		t.Errorf("scripts use %d files, lua/ has %d", len(used), len(files))
	}
}

// TestScriptErrors runs the scripts into each failure they signal, on a real
// Redis and on the embedded store, and checks the one decoding: the code
// and detail, and the zsbot code the user is told.
func TestScriptErrors(t *testing.T) {
	ctx := context.Background()
	e, err := OpenEmbedded(ctx, t.TempDir(), "t", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	stores := map[string]redis.UniversalClient{"redis": redistest.Start(t).Client(t), "embedded": e.rdb}
	recs, once := "zs:{t}:rec:project", "zs:{t}:dlv:m:1"
	for name, rdb := range stores {
		if err := rdb.Set(ctx, once, "finished", 0).Err(); err != nil {
			t.Fatal(err)
		}
		staged := "zs:{t}:restore:x:k"
		for _, c := range []struct {
			what         string
			script       *luaScript
			keys         []string
			argv         []any
			code, detail string
			zcode        string
		}{
			{"Conflict", applyScript, []string{recs}, []any{0, "", 1, 1, "P1", `{"id":"P1"}`, 0, ""}, scriptConflict, "P1", zsbot.ECONFLICT},
			{"BadOp", applyScript, []string{recs}, []any{0, "", 0, 0, "", 0, "NOPE", 1}, scriptBadOp, "NOPE", zsbot.EINTERNAL},
			{"Done", applyScript, []string{once}, []any{1, "finished", 0, 0, ""}, scriptDone, "ran before", zsbot.EINTERNAL},
			{"Restore", restoreSwapScript, append(dirKeys(newKeys("t")), staged, "zs:{t}:k"), []any{0, 0}, scriptRestore,
				"staged key " + staged + " is gone (another restore started?); nothing was changed", zsbot.EINTERNAL},
		} {
			err := c.script.Run(ctx, rdb, c.keys, c.argv...).Err()
			var se *scriptError
			if !errors.As(err, &se) || se.Code != c.code || se.Detail != c.detail {
				t.Errorf("%s %s: %#v (%v); want %s %q", name, c.what, se, err, c.code, c.detail)
			}
			if got := zsbot.ErrorCode(fmt.Errorf("op: %w", err)); got != c.zcode {
				t.Errorf("%s %s: zsbot code %q, want %q", name, c.what, got, c.zcode)
			}
		}
		if n, err := rdb.Exists(ctx, recs).Result(); err != nil || n != 0 {
			t.Errorf("%s: a failed script wrote: %d, %v", name, n, err)
		}
	}
	for _, reply := range []string{"ERR unknown command", "ZSCONFLICTS P1", "OOM command not allowed", "zsconflict P1"} {
		if se := asScriptError(replyError(reply)); se != nil {
			t.Errorf("%q decoded as %#v", reply, se)
		}
	}
	if asScriptError(nil) != nil || asScriptError(errors.New("ZSCONFLICT P1")) != nil {
		t.Error("an error that is not Redis's reply was decoded")
	}
}
