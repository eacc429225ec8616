package storage_test

import (
	"context"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestReadByID reads an activity, a payment and an increase back by ID,
// and a missing ID of each as ENOTFOUND.
func TestReadByID(t *testing.T) {
	ctx := context.Background()
	db := storage.New(redistest.Start(t).Client(t), "test")
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "到位 P1 3亿", Project: "P1"}}
	c.Add(nil, newProject("P1", 20241220))
	c.Add(nil, &zsbot.Activity{ID: "A3", Kind: zsbot.KindVisit, Date: 20241201, Project: "P1", City: "成都", By: "zhangsan"})
	c.Add(nil, &zsbot.Payment{ID: "F2", Project: "P1", Date: 20241222, Amount: 3 * zsbot.Yi, By: "zhangsan"})
	c.Add(nil, &zsbot.Increase{ID: "Z1", Project: "P1", Date: 20241223, Amount: 5 * zsbot.Yi, By: "li"})
	mustApply(t, db, c)

	a, err := db.Activity(ctx, "A3")
	if err != nil || a.City != "成都" || a.Project != "P1" || a.Date != 20241201 {
		t.Fatalf("activity = %+v, %v", a, err)
	}
	f, err := db.Payment(ctx, "F2")
	if err != nil || f.Amount != 3*zsbot.Yi || f.Date != 20241222 {
		t.Fatalf("payment = %+v, %v", f, err)
	}
	z, err := db.Increase(ctx, "Z1")
	if err != nil || z.Amount != 5*zsbot.Yi || z.By != "li" {
		t.Fatalf("increase = %+v, %v", z, err)
	}
	for _, read := range []func() error{
		func() error { _, err := db.Activity(ctx, "A9"); return err },
		func() error { _, err := db.Payment(ctx, "F9"); return err },
		func() error { _, err := db.Increase(ctx, "Z9"); return err },
	} {
		if err := read(); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
			t.Errorf("missing record: err = %v, want ENOTFOUND", err)
		}
	}
}
