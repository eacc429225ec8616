package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// newCompany is the change that creates company id named name.
func newCompany(id, name string) *zsbot.Change {
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "拜访 " + name}}
	c.Add(nil, &zsbot.Company{ID: id, Name: name})
	return c
}

// claims returns the bureau's name claims (key → company ID).
func claims(tb testing.TB, db *storage.DB) map[string]string {
	tb.Helper()
	m, err := db.Client().HGetAll(context.Background(), "zs:{"+db.Bureau()+"}:nameclaim:company").Result()
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// TestNameClaims: a company claims its name's key with the change that
// writes it; a second company of the same key is refused (NameTaken),
// writing nothing; a rename moves the claim, a removal releases it, and a
// claim whose company is gone is taken over.
func TestNameClaims(t *testing.T) {
	ctx := context.Background()
	db := storage.New(redistest.Start(t).Client(t), "test")
	mustApply(t, db, newCompany("E1", "康硕"))
	_, err := db.Apply(ctx, newCompany("E2", "康硕科技有限公司"))
	if !storage.NameTaken(err) || zsbot.ErrorCode(err) != zsbot.ECONFLICT {
		t.Fatalf("second 康硕: %v, want a name conflict", err)
	}
	if _, err := db.Company(ctx, "E2"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("the refused company was written: %v", err)
	}
	if got := claims(t, db); len(got) != 1 || got["康硕"] != "E1" {
		t.Fatalf("claims = %v", got)
	}
	// A conflict over a record is no name conflict.
	stale := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan"}}
	stale.Add(&zsbot.Company{ID: "E1", Name: "别的"}, &zsbot.Company{ID: "E1", Name: "康硕"})
	if _, err := db.Apply(ctx, stale); zsbot.ErrorCode(err) != zsbot.ECONFLICT || storage.NameTaken(err) {
		t.Fatalf("stale before: %v", err)
	}

	rename := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan"}}
	rename.Add(&zsbot.Company{ID: "E1", Name: "康硕"}, &zsbot.Company{ID: "E1", Name: "康朔"})
	mustApply(t, db, rename)
	if got := claims(t, db); len(got) != 1 || got["康朔"] != "E1" {
		t.Fatalf("claims after rename = %v", got)
	}
	mustApply(t, db, newCompany("E2", "康硕"))
	remove := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan"}}
	remove.Add(&zsbot.Company{ID: "E1", Name: "康朔"}, nil)
	mustApply(t, db, remove)
	if got := claims(t, db); len(got) != 1 || got["康硕"] != "E2" {
		t.Fatalf("claims after removal = %v", got)
	}
	// A claim left by a company that is gone (written by hand here) does
	// not block the name.
	if err := db.Client().HSet(ctx, "zs:{test}:nameclaim:company", "通威", "E99").Err(); err != nil {
		t.Fatal(err)
	}
	mustApply(t, db, newCompany("E3", "通威股份"))
	if got := claims(t, db); got["通威"] != "E3" {
		t.Fatalf("stale claim not taken over: %v", got)
	}
}

// TestNameClaimsRace: 16 changes creating one name at once: exactly one
// is written.
func TestNameClaimsRace(t *testing.T) {
	ctx := context.Background()
	db := storage.New(redistest.Start(t).Client(t), "test")
	won := race(16, func(i int) bool {
		_, err := db.Apply(ctx, newCompany(fmt.Sprintf("E%d", i+1), "恒瑞医药"))
		if err != nil && !storage.NameTaken(err) {
			t.Error(err)
		}
		return err == nil
	})
	d, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(won) != 1 || len(d.Companies) != 1 {
		t.Fatalf("%d won, %d companies stored", len(won), len(d.Companies))
	}
}

// TestNameClaimsRebuilt: Restore rebuilds the claims from the companies
// restored — from a backup of a store that had none (made before claims
// existed), the lowest ID keeping a key that two companies share — and
// the embedded store, which loads its file by Restore, keeps them.
func TestNameClaimsRebuilt(t *testing.T) {
	ctx := context.Background()
	src := storage.New(redistest.Start(t).Client(t), "test")
	mustApply(t, src, newCompany("E1", "康硕"))
	mustApply(t, src, newCompany("E3", "通威"))
	// An old store: no claims, and a duplicate of 康硕 made before them.
	if err := src.Client().Del(ctx, "zs:{test}:nameclaim:company").Err(); err != nil {
		t.Fatal(err)
	}
	if err := src.Load(ctx, []zsbot.Record{&zsbot.Company{ID: "E2", Name: "康硕科技"}}); err != nil {
		t.Fatal(err)
	}
	if got := claims(t, src); len(got) != 1 || got["康硕"] != "E2" {
		t.Fatalf("Load claims = %v, want 康硕 E2 alone", got)
	}
	if err := src.Client().Del(ctx, "zs:{test}:nameclaim:company").Err(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := src.Backup(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	dst := storage.New(redistest.Start(t).Client(t), "test")
	if _, err := dst.Restore(ctx, bytes.NewReader(buf.Bytes()), storage.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"康硕": "E1", "通威": "E3"}
	if got := claims(t, dst); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("restored claims = %v, want %v", got, want)
	}
	if _, err := dst.Apply(ctx, newCompany("E4", "通威集团")); !storage.NameTaken(err) {
		t.Fatalf("通威 after restore: %v, want a name conflict", err)
	}

	dir := t.TempDir()
	e, err := storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	mustApply(t, e.DB, newCompany("E1", "康硕"))
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e, err = storage.OpenEmbedded(ctx, dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if _, err := e.Apply(ctx, newCompany("E2", "康硕")); !storage.NameTaken(err) {
		t.Fatalf("embedded, reopened: %v, want a name conflict", err)
	}
}
