package storage_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// TestCompanyActivities reads a company's activities by the index Apply
// keeps, after the first read has added the activities stored before the
// index existed; an activity moved to another company leaves the first.
func TestCompanyActivities(t *testing.T) {
	ctx := context.Background()
	rdb := redistest.Start(t).Client(t)
	db := storage.New(rdb, "test")
	ids := func(acts []*zsbot.Activity) []string {
		var out []string
		for _, a := range acts {
			out = append(out, a.ID)
		}
		return out
	}
	// An activity written before the index: in the records hash alone.
	old, _ := json.Marshal(&zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20241101, Company: "E1", By: "zhangsan"})
	if err := rdb.HSet(ctx, "zs:{test}:rec:activity", "A1", old).Err(); err != nil {
		t.Fatal(err)
	}
	if a, err := db.Activity(ctx, "A1"); err != nil || a.Company != "E1" {
		t.Fatalf("the hand-written activity reads as %+v, %v: the test writes the wrong key", a, err)
	}
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(1, 0), Raw: "拜访"}}
	c.Add(nil, &zsbot.Activity{ID: "A2", Kind: zsbot.KindVisit, Date: 20241201, Company: "E1", By: "zhangsan"})
	c.Add(nil, &zsbot.Activity{ID: "A3", Kind: zsbot.KindReception, Date: 20241115, Company: "E2", By: "zhangsan"})
	mustApply(t, db, c)

	got, err := db.CompanyActivities(ctx, "E1")
	if err != nil || !slices.Equal(ids(got), []string{"A1", "A2"}) {
		t.Fatalf("E1's activities = %v, %v; want A1 A2 by date", ids(got), err)
	}
	// Built once: an activity written behind Apply's back now is not added.
	late, _ := json.Marshal(&zsbot.Activity{ID: "A9", Kind: zsbot.KindVisit, Date: 20241101, Company: "E1"})
	rdb.HSet(ctx, "zs:{test}:rec:activity", "A9", late)
	a2, err := db.Activity(ctx, "A2")
	if err != nil {
		t.Fatal(err)
	}
	moved := *a2
	moved.Company = "E2"
	c = &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(2, 0), Raw: "改 A2 企业"}}
	c.Add(a2, &moved)
	mustApply(t, db, c)
	if got, err := db.CompanyActivities(ctx, "E1"); err != nil || !slices.Equal(ids(got), []string{"A1"}) {
		t.Errorf("E1's activities after A2 moved = %v, %v; want A1", ids(got), err)
	}
	if got, err := db.CompanyActivities(ctx, "E2"); err != nil || !slices.Equal(ids(got), []string{"A3", "A2"}) {
		t.Errorf("E2's activities = %v, %v; want A3 A2", ids(got), err)
	}
}
