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
	take := func(dests []string, at time.Time) (bool, time.Time) {
		t.Helper()
		ok, next, err := ob.TakeRate(t.Context(), dests, at, 2, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return ok, next
	}
	// Two sends in any 60 s: the calendar minute does not matter.
	for i, want := range []bool{true, true, false} {
		if ok, _ := take([]string{"robot:x"}, at.Add(time.Duration(i)*time.Second)); ok != want {
			t.Fatalf("TakeRate %d = %v, want %v", i, ok, want)
		}
	}
	if ok, next := take([]string{"robot:x"}, at.Add(30*time.Second)); ok || !next.Equal(at.Add(time.Minute)) {
		t.Fatalf("TakeRate in the next calendar minute = %v, next %v; want refused until %v", ok, next, at.Add(time.Minute))
	}
	if ok, _ := take([]string{"robot:x"}, at.Add(time.Minute)); !ok {
		t.Fatal("the first send left the window, yet no room")
	}
	// A send to several members counts against each, or against none.
	if ok, _ := take([]string{"app:a", "app:b"}, at); !ok {
		t.Fatal("app:a, app:b refused")
	}
	take([]string{"app:a"}, at)
	if ok, next := take([]string{"app:b", "app:a"}, at.Add(time.Second)); ok || !next.Equal(at.Add(time.Minute)) {
		t.Fatalf("a send to a full member = %v, %v", ok, next)
	}
	if ok, _ := take([]string{"app:b"}, at.Add(time.Second)); !ok {
		t.Fatal("a refused send was counted against app:b")
	}
}
