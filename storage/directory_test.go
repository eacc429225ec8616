package storage_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// unitNames returns the names and people a new unit of db sees.
func unitNames(tb testing.TB, db *storage.DB, n *int) (projects, companies []zsbot.NameRef, people []*zsbot.Person) {
	tb.Helper()
	*n++
	u := begin(tb, db, fmt.Sprintf("m:dir%d", *n), "", "")
	ctx := context.Background()
	defer u.Release(ctx)
	projects, companies, err := u.Names(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	if people, err = u.People(ctx); err != nil {
		tb.Fatal(err)
	}
	return projects, companies, people
}

// TestDirectory proves that a unit's names, companies and people follow
// every change that matters — additions, renames, a project's company,
// 终止, removals, people — and that they match what the store reads
// directly, but for live stages, which a unit's names leave blank.
func TestDirectory(t *testing.T) { eachTopology(t, testDirectory) }

func testDirectory(t *testing.T, top topology) {
	db := top.mustDB(t)
	ctx := context.Background()
	// Records from before the directory existed (a backup, a bulk load).
	if err := db.Load(ctx, []zsbot.Record{&zsbot.Company{ID: "E1", Name: "诺比侃", Aliases: []string{"诺比"}},
		&zsbot.Project{ID: "P1", Name: "诺比侃总部", Company: "E1", Stage: zsbot.StageTalking}}); err != nil {
		t.Fatal(err)
	}
	n := 0
	check := func(step string) {
		t.Helper()
		p, c, people := unitNames(t, db, &n)
		wantP, wantC, err := db.Names(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for i := range wantP {
			if wantP[i].Stage != zsbot.StageDropped {
				wantP[i].Stage = ""
			}
		}
		wantPeople, _ := db.People(ctx)
		if !slices.EqualFunc(p, wantP, eqRef) || !slices.EqualFunc(c, wantC, eqRef) ||
			!slices.EqualFunc(people, wantPeople, func(a, b *zsbot.Person) bool { return *a == *b }) {
			t.Fatalf("%s: the unit sees\n%+v %+v %+v\nthe store holds\n%+v %+v %+v", step, p, c, people, wantP, wantC, wantPeople)
		}
	}
	check("migrated")
	apply := func(puts ...zsbot.Put) {
		t.Helper()
		mustApply(t, db, &zsbot.Change{Puts: puts, Audit: zsbot.Audit{Who: "admin", When: time.Unix(1, 0)}})
	}
	cur := func(id string) *zsbot.Project {
		p, err := db.Project(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	apply(zsbot.Put{After: &zsbot.Person{UserID: "zhangsan", Name: "张三", Active: true}})
	check("person added")
	apply(zsbot.Put{After: &zsbot.Company{ID: "E2", Name: "康硕"}}, zsbot.Put{After: &zsbot.Project{ID: "P2", Name: "康硕基地", Company: "E2", Stage: zsbot.StageTalking}})
	check("company and project added")
	p := cur("P1")
	signed := *p
	signed.Stage = zsbot.StageSigned
	apply(zsbot.Put{Before: p, After: &signed})
	check("signed")
	renamed := signed
	renamed.Name, renamed.Company = "诺比侃西南总部", "E2"
	apply(zsbot.Put{Before: &signed, After: &renamed})
	check("renamed, moved to another company")
	dropped := renamed
	dropped.Stage = zsbot.StageDropped
	apply(zsbot.Put{Before: &renamed, After: &dropped})
	check("dropped")
	co, _ := db.Company(ctx, "E1")
	aka := *co
	aka.Aliases = []string{"诺比", "NBK"}
	apply(zsbot.Put{Before: co, After: &aka})
	check("alias added")
	apply(zsbot.Put{Before: cur("P2")})
	check("project removed")
	z, _ := db.Person(ctx, "zhangsan")
	off := *z
	off.Active = false
	apply(zsbot.Put{Before: z, After: &off})
	check("person disabled")
	if err := db.Load(ctx, []zsbot.Record{&zsbot.Company{ID: "E9", Name: "晶帆光电"},
		&zsbot.Project{ID: "P9", Name: "晶帆光电模组", Company: "E9", Stage: zsbot.StageSigned}}); err != nil {
		t.Fatal(err)
	}
	check("bulk loaded once the directory is in use")
	// A restore replaces the records under a running process, whose copy
	// is at a later version than the backup's.
	var saved bytes.Buffer
	if err := db.Backup(ctx, &saved); err != nil {
		t.Fatal(err)
	}
	apply(zsbot.Put{After: &zsbot.Person{UserID: "lisi", Name: "李四", Active: true}},
		zsbot.Put{After: &zsbot.Company{ID: "E10", Name: "京纳清科"}},
		zsbot.Put{After: &zsbot.Project{ID: "P10", Name: "京纳清科基地", Company: "E10", Stage: zsbot.StageTalking}})
	p9 := cur("P9")
	moved := *p9
	moved.Name = "晶帆光电西南基地"
	apply(zsbot.Put{Before: p9, After: &moved})
	check("changed after the backup")
	if _, err := db.Restore(ctx, bytes.NewReader(saved.Bytes()), storage.RestoreOptions{Replace: true}); err != nil {
		t.Fatal(err)
	}
	check("restored over a later directory")
	if _, err := db.Person(ctx, "lisi"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("lisi after the restore: %v", err)
	}
}

func eqRef(a, b zsbot.NameRef) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Company == b.Company && a.Stage == b.Stage && slices.Equal(a.Aliases, b.Aliases)
}
