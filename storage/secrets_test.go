package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

const robotKey = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"

// auditHolds reports the IDs of the audit entries whose stored text holds s.
func auditHolds(tb testing.TB, db *storage.DB, s string) []string {
	tb.Helper()
	msgs, err := db.Client().XRange(context.Background(), "zs:{test}:audit", "-", "+").Result()
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, m := range msgs {
		b, _ := json.Marshal(m.Values)
		var a zsbot.Audit
		e, _ := m.Values["e"].(string)
		json.Unmarshal([]byte(e), &a)
		for _, d := range a.Changes { // Before and After are base64 in the stored JSON
			b = append(append(b, d.Before...), d.After...)
		}
		if bytes.Contains(b, []byte(s)) {
			out = append(out, m.ID)
		}
	}
	return out
}

func TestAuditKeepsNoRobotKey(t *testing.T) {
	ctx := context.Background()
	db := storage.New(redistest.Start(t).Client(t), "test")
	g := &zsbot.Group{Name: "领导群", RobotKey: robotKey, Scope: zsbot.ScopeAll, Notices: []string{"overdue"}}
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: g}},
		Audit: zsbot.Audit{Who: "admin", Raw: "群 添加 领导群 " + robotKey + " 全区", Summary: "群 添加 领导群"}})
	if ids := auditHolds(t, db, robotKey); len(ids) != 0 {
		t.Fatalf("entries %v hold the key", ids)
	}
	log, _ := db.AuditLog(ctx)
	if len(log) != 1 || !strings.Contains(log[0].Raw, zsbot.MaskKey(robotKey)) || !strings.Contains(string(log[0].Changes[0].After), zsbot.MaskKey(robotKey)) {
		t.Fatalf("audit entry not masked as expected: %+v", log)
	}
	if got, err := db.Group(ctx, "领导群"); err != nil || got.RobotKey != robotKey {
		t.Fatalf("the record lost its key: %+v, %v", got, err)
	}

	t.Run("BackupRestoreStillSends", func(t *testing.T) {
		var buf bytes.Buffer
		if err := db.Backup(ctx, &buf); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(buf.Bytes(), []byte(robotKey)) != true {
			t.Fatal("the backup lacks the group record's key")
		}
		dst := storage.New(redistest.Start(t).Client(t), "test")
		if _, err := dst.Restore(ctx, &buf, storage.RestoreOptions{}); err != nil {
			t.Fatal(err)
		}
		gs, err := dst.Groups(ctx)
		if err != nil || len(gs) != 1 || gs[0].RobotKey != robotKey {
			t.Fatalf("restored groups %+v, %v: want the key to send with", gs, err)
		}
		if ids := auditHolds(t, dst, robotKey); len(ids) != 0 {
			t.Fatalf("restored entries %v hold the key", ids)
		}
	})
}

// TestMaskAuditSecrets builds a stream as earlier versions wrote it (robot
// keys whole in the before/after copies) and masks it.
func TestMaskAuditSecrets(t *testing.T) {
	ctx := context.Background()
	db := storage.New(redistest.Start(t).Client(t), "test")
	rdb := db.Client()
	key2 := "aaaa1111-2222-3333-4444-bbbbbbbbbbbb"
	g1, _ := json.Marshal(&zsbot.Group{Name: "领导群", RobotKey: robotKey, Scope: zsbot.ScopeAll})
	g2, _ := json.Marshal(&zsbot.Group{Name: "领导群", RobotKey: key2, Scope: zsbot.ScopeAll})
	p, _ := json.Marshal(&zsbot.Project{ID: "P1", Name: "项目"})
	old := []zsbot.Audit{
		{Who: "admin", Raw: "群 添加 领导群 693a****5aaa 全区", Changes: []zsbot.Diff{{Kind: zsbot.KindGroup, ID: "领导群", After: g1}}},
		{Who: "zs", Raw: "新项目 项目", Project: "P1", Changes: []zsbot.Diff{{Kind: zsbot.KindProject, ID: "P1", After: p}}},
		{Who: "admin", Raw: "群 添加 领导群 https://x/send?key=" + key2 + " 全区", Changes: []zsbot.Diff{{Kind: zsbot.KindGroup, ID: "领导群", Before: g1, After: g2}}},
		{Who: "admin", Raw: "群 删除 领导群", Changes: []zsbot.Diff{{Kind: zsbot.KindGroup, ID: "领导群", Before: g2}}},
	}
	var ids []string
	for i, a := range old {
		e, _ := json.Marshal(&a)
		args := &redis.XAddArgs{Stream: "zs:{test}:audit", Values: []any{"e", string(e)}}
		if i == 1 {
			args.Values = []any{"e", string(e), "m", "m:42"}
		}
		id, err := rdb.XAdd(ctx, args).Result()
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if len(auditHolds(t, db, robotKey)) != 2 || len(auditHolds(t, db, key2)) != 2 {
		t.Fatal("the old stream was not built with its keys")
	}
	before, _ := db.AuditLog(ctx)
	n, err := db.MaskAuditSecrets(ctx)
	if err != nil || n != 3 {
		t.Fatalf("MaskAuditSecrets = %d, %v; want the 3 group entries", n, err)
	}
	for _, k := range []string{robotKey, key2} {
		if got := auditHolds(t, db, k); len(got) != 0 {
			t.Fatalf("entries %v still hold a key", got)
		}
	}
	after, _ := db.AuditLog(ctx)
	if len(after) != len(ids) {
		t.Fatalf("%d entries after, %d before", len(after), len(ids))
	}
	for i, a := range after {
		if a.ID != ids[i] || a.Who != before[i].Who || len(a.Changes) != len(before[i].Changes) {
			t.Errorf("entry %d: %+v, was %+v", i, a, before[i])
		}
	}
	if !bytes.Equal(after[1].Changes[0].After, p) {
		t.Error("an entry with no secret changed")
	}
	if d, _ := db.AuditedDeliveries(ctx); d["m:42"] != 1 {
		t.Errorf("the delivery field was lost: %v", d)
	}
	if n, err := db.MaskAuditSecrets(ctx); err != nil || n != 0 {
		t.Fatalf("second run = %d, %v; want nothing to do", n, err)
	}
	if n, _ := rdb.Exists(ctx, "zs:{test}:audit:rebuild").Result(); n != 0 {
		t.Error("the rebuild key was left behind")
	}
	// Writes go on after the swap, with later IDs.
	mustApply(t, db, &zsbot.Change{Puts: []zsbot.Put{{After: &zsbot.Project{ID: "P2", Name: "二"}}},
		Audit: zsbot.Audit{Who: "zs", When: time.Now(), Raw: "新项目 二", Project: "P2"}})
	if log, _ := db.AuditLog(ctx); len(log) != 5 {
		t.Fatalf("%d entries after a new write", len(log))
	}
}
