package storage_test

import (
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// TestDeadLetterLifecycle: Bury moves an item to the dead letters with its
// destination's misconfiguration and one alert per destination and cause;
// Delivered to that destination clears both; Retry puts a dead letter back
// under its ID; Drop deletes one and clears the destination once none of
// its dead letters is left.
func TestDeadLetterLifecycle(t *testing.T) {
	ctx := t.Context()
	at := time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC)
	ob := transportDB(t).Outbox(func() time.Time { return at })
	if err := ob.Enqueue(ctx, note("a", "1"), note("a", "2"), note("a", "3"), note("b", "4")); err != nil {
		t.Fatal(err)
	}
	head, _ := ob.Head(ctx, 10)
	alertCalls := 0
	alert := func() []*zsbot.Outgoing { alertCalls++; return []*zsbot.Outgoing{note("admin", "坏了")} }
	bury := func(it *storage.OutboxItem, cause string) bool {
		t.Helper()
		told, err := ob.Bury(ctx, &storage.DeadItem{Item: it, Key: "app:" + it.Msg.To[0], Dest: "个人 " + it.Msg.To[0],
			Cause: cause, Error: "errcode 81013", At: at}, alert)
		if err != nil {
			t.Fatal(err)
		}
		return told
	}
	if !bury(head[0], zsbot.DeadDestination) || bury(head[1], zsbot.DeadDestination) || alertCalls != 1 {
		t.Fatalf("alerts: want the first burial alone to alert (alert built %d times)", alertCalls)
	}
	if bury(head[0], zsbot.DeadDestination) {
		t.Fatal("an item no longer queued was buried again")
	}
	bad, err := ob.Misconfigured(ctx)
	if err != nil || bad["app:a"] != "个人 a: errcode 81013" || len(bad) != 1 {
		t.Fatalf("Misconfigured = %v, %v", bad, err)
	}
	q, _ := ob.Head(ctx, 10)
	if len(q) != 3 || q[0].Msg.Text != "3" || q[1].Msg.Text != "4" || q[2].Msg.Text != "坏了" {
		t.Fatalf("queue after two burials: %+v", q)
	}
	letters, total, err := ob.DeadLetters(ctx, 1)
	if err != nil || total != 2 || len(letters) != 1 || letters[0].ID != head[1].ID || letters[0].Msg.Text != "2" {
		t.Fatalf("DeadLetters(1) = %+v, %d, %v", letters, total, err)
	}

	// A success to "a" clears its misconfiguration and its alert.
	if err := ob.Delivered(ctx, q[0].ID, "app:a"); err != nil {
		t.Fatal(err)
	}
	if bad, _ := ob.Misconfigured(ctx); len(bad) != 0 {
		t.Fatalf("Misconfigured after a success = %v", bad)
	}
	if !bury(q[1], zsbot.DeadRejected) || alertCalls != 2 {
		t.Fatal("a refusal after a success did not alert")
	}

	// Retry: back in the queue under its own ID, attempts forgotten.
	head[1].Attempts, head[1].LastError = 5, "x"
	d, err := ob.Retry(ctx, head[1].ID, at)
	if err != nil || d.Item.ID != head[1].ID {
		t.Fatalf("Retry = %+v, %v", d, err)
	}
	q, _ = ob.Head(ctx, 10)
	if q[0].ID != head[1].ID || q[0].Attempts != 0 || q[0].LastError != "" {
		t.Fatalf("queue after Retry: %+v", q[0])
	}
	if _, err := ob.Retry(ctx, head[1].ID, at); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("second Retry: %v", err)
	}

	// Drop: the destination stays misconfigured while another of its
	// dead letters was refused for it.
	bury(q[0], zsbot.DeadDestination)
	if _, err := ob.Drop(ctx, head[0].ID); err != nil {
		t.Fatal(err)
	}
	if bad, _ := ob.Misconfigured(ctx); bad["app:a"] == "" {
		t.Fatal("dropping one of two dead letters cleared the destination")
	}
	if _, err := ob.Drop(ctx, head[1].ID); err != nil {
		t.Fatal(err)
	}
	if bad, _ := ob.Misconfigured(ctx); len(bad) != 0 {
		t.Fatalf("Misconfigured after dropping its dead letters = %v", bad)
	}
	if _, err := ob.Drop(ctx, head[1].ID); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		t.Fatalf("second Drop: %v", err)
	}
}

func TestClaimGreeting(t *testing.T) {
	db := transportDB(t)
	for i, want := range []bool{true, false} {
		if got, err := db.ClaimGreeting(t.Context(), "zhangsan", "2024-12-16"); err != nil || got != want {
			t.Fatalf("claim %d = %v, %v; want %v", i, got, err, want)
		}
	}
	if got, _ := db.ClaimGreeting(t.Context(), "zhangsan", "2024-12-17"); !got {
		t.Fatal("the next day's greeting was already claimed")
	}
	if got, _ := db.ClaimGreeting(t.Context(), "lisi", "2024-12-16"); !got {
		t.Fatal("another member's greeting was already claimed")
	}
}
