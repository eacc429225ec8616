package main

import (
	"bytes"
	"strings"
	"testing"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestFiguresRebuild runs `zsbot figures rebuild` against a real Redis:
// agreeing aggregates pass --check; a corrupted counter fails --check
// (exit 1, the difference printed, nothing changed); rebuild repairs it.
func TestFiguresRebuild(t *testing.T) {
	srv := redistest.Start(t)
	rdb := srv.Client(t)
	db := storage.New(rdb, "fig")
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "u1", Raw: "拜访"}}
	c.Add(nil, &zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20250304, Company: "E1", By: "u1"})
	if _, err := db.Apply(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ZSBOT_REDIS_URL", srv.URL())
	t.Setenv("ZSBOT_BUREAU", "fig")
	t.Setenv("ZSBOT_DATA_DIR", t.TempDir())
	cmd := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(t.Context(), append([]string{"figures", "rebuild"}, args...), nil, &out, &errb)
		return code, out.String() + errb.String()
	}
	if code, out := cmd("--check"); code != 0 || !strings.Contains(out, "agree") {
		t.Fatalf("check of agreeing aggregates: exit %d, %q", code, out)
	}
	rdb.HIncrBy(t.Context(), "zs:{fig}:agg:u:m:202503", "c:E1@u1|", 1)
	if code, out := cmd("--check"); code != 1 || !strings.Contains(out, "u:m:202503 c:E1@u1|: 应为 1，存 2") {
		t.Fatalf("check of a corrupted counter: exit %d, %q", code, out)
	}
	if code, out := cmd(); code != 0 || !strings.Contains(out, "1 differences; aggregates rebuilt") {
		t.Fatalf("rebuild: exit %d, %q", code, out)
	}
	if code, out := cmd("--check"); code != 0 {
		t.Fatalf("check after the rebuild: exit %d, %q", code, out)
	}
}
