package storage_test

import (
	"context"
	"testing"

	"zsbot"
)

// TestLoadRaisesSequences: after a Load, the IDs the commands allocate
// come after the loaded ones, kind by kind; a Load of lower IDs never
// lowers a counter, and IDs of another form and kinds keyed by name are
// left out.
func TestLoadRaisesSequences(t *testing.T) {
	ctx := context.Background()
	db := mustDB(t)
	next := func(kind zsbot.Kind, want string) {
		t.Helper()
		if id, err := db.NextID(ctx, kind); err != nil || id != want {
			t.Errorf("NextID(%s) = %q, %v; want %s", kind, id, err, want)
		}
	}
	if err := db.Load(ctx, []zsbot.Record{
		&zsbot.Project{ID: "P5", Name: "甲项目", Stage: zsbot.StageTalking},
		&zsbot.Project{ID: "P3", Name: "乙项目", Stage: zsbot.StageTalking},
		&zsbot.Company{ID: "E2", Name: "甲企业"},
		&zsbot.Activity{ID: "A10", Kind: zsbot.KindVisit, Date: 20240301, By: "u1"},
		&zsbot.Payment{ID: "F2015-0", Project: "P5", Date: 20240301, Amount: 100},
		&zsbot.Person{UserID: "u1", Name: "张三", Role: zsbot.RoleOfficer, Active: true},
	}); err != nil {
		t.Fatal(err)
	}
	next(zsbot.KindProject, "P6")
	next(zsbot.KindCompany, "E3")
	next(zsbot.KindActivity, "A11")
	next(zsbot.KindPayment, "F1") // "F2015-0" is no number of the counter's
	next(zsbot.KindTask, "T1")
	if err := db.Load(ctx, []zsbot.Record{&zsbot.Project{ID: "P2", Name: "丙项目", Stage: zsbot.StageTalking}}); err != nil {
		t.Fatal(err)
	}
	next(zsbot.KindProject, "P7")
}
