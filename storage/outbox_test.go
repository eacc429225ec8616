package storage_test

import (
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// transportDB is a store on a fresh redis-server, for the transport's keys.
func transportDB(tb testing.TB) *storage.DB {
	tb.Helper()
	return storage.New(redistest.Start(tb).Client(tb), "t")
}

func note(to, text string) *zsbot.Outgoing {
	return &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{to}, Format: zsbot.FormatText, Text: text}
}

func TestEnqueue(t *testing.T) {
	at := time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		msgs  []*zsbot.Outgoing
		code  string
		depth int64
	}{
		"InOrder":      {[]*zsbot.Outgoing{note("a", "1"), note("b", "2"), note("a", "3")}, "", 3},
		"NoText":       {[]*zsbot.Outgoing{note("a", "1"), note("a", "")}, zsbot.EINVALID, 0},
		"BlankText":    {[]*zsbot.Outgoing{note("a", "1"), note("a", " \n\n　")}, zsbot.EINVALID, 0},
		"NoChannel":    {[]*zsbot.Outgoing{{To: []string{"a"}, Format: zsbot.FormatText, Text: "x"}}, zsbot.EINVALID, 0},
		"BadFormat":    {[]*zsbot.Outgoing{{Channel: zsbot.ChannelApp, To: []string{"a"}, Format: "html", Text: "x"}}, zsbot.EINVALID, 0},
		"TwoRobots":    {[]*zsbot.Outgoing{{Channel: zsbot.ChannelRobot, To: []string{"k1", "k2"}, Format: zsbot.FormatText, Text: "x"}}, zsbot.EINVALID, 0},
		"NoRecipients": {[]*zsbot.Outgoing{{Channel: zsbot.ChannelApp, Format: zsbot.FormatText, Text: "x"}}, zsbot.EINVALID, 0},
	} {
		t.Run(name, func(t *testing.T) {
			ob := transportDB(t).Outbox(func() time.Time { return at })
			err := ob.Enqueue(t.Context(), tc.msgs...)
			if zsbot.ErrorCode(err) != tc.code {
				t.Fatalf("Enqueue: %v, want code %q", err, tc.code)
			}
			depth, oldest, err := ob.Stats(t.Context())
			if err != nil || depth != tc.depth || (depth > 0 && !oldest.Equal(at)) {
				t.Fatalf("Stats = %d, %v, %v", depth, oldest, err)
			}
			head, _ := ob.Head(t.Context(), 10)
			for i, it := range head {
				if it.Msg.Text != tc.msgs[i].Text || (i > 0 && it.ID <= head[i-1].ID) {
					t.Fatalf("head %d = %+v", i, it)
				}
			}
		})
	}
}

func TestOutboxItemLifecycle(t *testing.T) {
	db := transportDB(t)
	ob := db.Outbox(nil)
	if err := ob.Enqueue(t.Context(), note("a", "1"), note("a", "2")); err != nil {
		t.Fatal(err)
	}
	head, _ := ob.Head(t.Context(), 10)
	head[0].Parked, head[0].Part, head[0].LastError = true, 1, "errcode 60020"
	if err := ob.Save(t.Context(), head[0]); err != nil {
		t.Fatal(err)
	}
	if err := ob.Remove(t.Context(), head[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := ob.Save(t.Context(), head[1]); err != nil { // removed: Save must not bring it back
		t.Fatal(err)
	}
	got, _ := ob.Head(t.Context(), 10)
	if len(got) != 1 || !got[0].Parked || got[0].Part != 1 {
		t.Fatalf("after save and remove: %+v", got)
	}
	if n, err := ob.Unpark(t.Context()); n != 1 || err != nil {
		t.Fatalf("Unpark = %d, %v", n, err)
	}
	if got, _ := ob.Head(t.Context(), 10); got[0].Parked {
		t.Fatal("still parked")
	}
}

func TestOutboxLockAndRate(t *testing.T) {
	ob := transportDB(t).Outbox(nil)
	steps := []struct {
		owner string
		want  bool
	}{{"a", true}, {"b", false}, {"a", true}}
	for _, s := range steps {
		if ok, err := ob.Lock(t.Context(), s.owner, time.Minute); ok != s.want || err != nil {
			t.Fatalf("Lock(%s) = %v, %v", s.owner, ok, err)
		}
	}
	ob.Unlock(t.Context(), "b") // not the holder: no effect
	if ok, _ := ob.Lock(t.Context(), "b", time.Minute); ok {
		t.Fatal("b took a lock a still holds")
	}
	ob.Unlock(t.Context(), "a")
	if ok, _ := ob.Lock(t.Context(), "b", time.Minute); !ok {
		t.Fatal("b cannot take a released lock")
	}
	at := time.Date(2024, 12, 16, 9, 10, 59, 0, time.UTC)
	for i, want := range []bool{true, true, false} {
		if ok, _ := ob.TakeRate(t.Context(), "robot:x", at, 2); ok != want {
			t.Fatalf("TakeRate %d = %v", i, ok)
		}
	}
	if ok, _ := ob.TakeRate(t.Context(), "robot:x", at.Add(time.Second), 2); !ok {
		t.Fatal("a new minute starts a new count")
	}
}
