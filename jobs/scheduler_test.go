package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// The durable outbox claims and queues in one transaction.
var _ ClaimingOutbox = (*storage.Outbox)(nil)

// outcomes records what Observe is told.
type outcomes struct {
	mu  sync.Mutex
	got map[string][]string // notice → outcomes in order
}

func (o *outcomes) observe(notice, outcome string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.got == nil {
		o.got = map[string][]string{}
	}
	o.got[notice] = append(o.got[notice], outcome)
}

func (o *outcomes) count(notice, outcome string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, x := range o.got[notice] {
		if x == outcome {
			n++
		}
	}
	return n
}

func fixedClock(t time.Time) zsbot.Clock { return func() time.Time { return t } }

func mustScheduler(tb testing.TB, db *storage.DB, out ClaimingOutbox, clock zsbot.Clock, schedules map[string]string, o *outcomes) *Scheduler {
	tb.Helper()
	vars := map[string]string{} // schedules by notice name, as ZSBOT_SCHEDULE_* variables
	for name, spec := range schedules {
		vars[EnvName(name)] = spec
	}
	s, err := NewScheduler(Options{Location: shanghai, Schedules: vars, Clock: clock}, db, out)
	if err != nil {
		tb.Fatal(err)
	}
	if o != nil {
		s.Observe = o.observe
	}
	return s
}

func (s *Scheduler) job(name string) *job {
	for _, j := range s.jobs {
		if j.notice.Name == name {
			return j
		}
	}
	return nil
}

func TestTwoSchedulersSendOnce(t *testing.T) {
	db := mustStore(t)
	clock := fixedClock(at(2024, 12, 16, 9, 10))
	var o outcomes
	outs := []*fakeOutbox{newFakeOutbox(db), newFakeOutbox(db)}
	var wg sync.WaitGroup
	for _, out := range outs {
		s := mustScheduler(t, db, out, clock, nil, &o)
		wg.Add(1)
		go func() { defer wg.Done(); s.tick(context.Background(), s.job(HalfMonthly)) }()
	}
	wg.Wait()
	a, b := outs[0].sent(), outs[1].sent()
	if len(a)+len(b) != 2 || len(a) != 0 && len(b) != 0 {
		t.Fatalf("instance A queued %d messages, B %d: want 2 (领导群 and 珞璜群) from one instance", len(a), len(b))
	}
	if o.count(HalfMonthly, OutcomeOK) != 1 || o.count(HalfMonthly, OutcomeSkipped) != 1 {
		t.Fatalf("outcomes %v, want one ok and one skipped", o.got)
	}
}

// TestTwoSchedulersOnRealCron runs two schedulers on robfig/cron with a
// schedule firing every second: every occurrence is claimed once and queued
// once, though both instances fire it.
func TestTwoSchedulersOnRealCron(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for real cron activations")
	}
	db := mustStore(t)
	every := map[string]string{HalfMonthly: "* * * * * *", Monthly: "off", Quarterly: "off", Overdue: "off", Personal: "off"}
	var o outcomes
	outs := []*fakeOutbox{newFakeOutbox(db), newFakeOutbox(db)}
	var scheds []*Scheduler
	for _, out := range outs {
		s := mustScheduler(t, db, out, time.Now, every, &o)
		s.Start(context.Background())
		scheds = append(scheds, s)
	}
	time.Sleep(3200 * time.Millisecond)
	for _, s := range scheds {
		s.Stop()
	}
	keys, err := db.Client().Keys(context.Background(), "zs:{test}:claim:half-monthly:*").Result()
	if err != nil {
		t.Fatal(err)
	}
	ok, skipped := o.count(HalfMonthly, OutcomeOK), o.count(HalfMonthly, OutcomeSkipped)
	if calls := outs[0].calls + outs[1].calls; calls != ok || ok != len(keys) || ok < 3 {
		t.Fatalf("%d enqueues, %d ok runs, %d claimed occurrences: want equal and at least 3", calls, ok, len(keys))
	}
	if skipped < ok-1 {
		t.Errorf("only %d runs skipped for %d sent: the second instance did not fire", skipped, ok)
	}
}

func TestCatchUp(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	out := newFakeOutbox(db)
	var o outcomes
	// Down at 08:50 and 09:10 on Monday 16 December 2024; back at 10:00.
	mustScheduler(t, db, out, fixedClock(at(2024, 12, 16, 10, 0)), nil, &o).CatchUp(ctx)
	sent := out.sent()
	byTag := map[string]int{}
	for _, m := range sent {
		byTag[m.Tag]++
		if !strings.Contains(m.Text, "（补发）**") {
			t.Errorf("catch-up message not marked 补发: %.60s", m.Text)
		}
	}
	if byTag[HalfMonthly] != 2 || byTag[Overdue] != 3 || byTag[Personal] != 3 || byTag[Monthly]+byTag[Quarterly] != 0 {
		t.Fatalf("caught up %v; want the half-monthly, overdue and personal notices of today only", byTag)
	}
	t.Run("RestartSendsNothingAgain", func(t *testing.T) {
		again := newFakeOutbox(db)
		mustScheduler(t, db, again, fixedClock(at(2024, 12, 16, 10, 30)), nil, nil).CatchUp(ctx)
		if len(again.sent()) != 0 {
			t.Fatalf("second restart sent %d messages", len(again.sent()))
		}
	})
	t.Run("NotBeforeItsTime", func(t *testing.T) {
		early := newFakeOutbox(db)
		mustScheduler(t, db, early, fixedClock(at(2024, 11, 1, 9, 0)), nil, nil).CatchUp(ctx)
		for _, m := range early.sent() {
			if m.Tag != Overdue && m.Tag != Personal {
				t.Fatalf("sent %s at 09:00 before its 09:10 or later schedule", m.Tag)
			}
		}
	})
	t.Run("NotAnotherDay", func(t *testing.T) {
		next := newFakeOutbox(db)
		s := mustScheduler(t, db, next, fixedClock(at(2024, 12, 17, 10, 0)), nil, nil)
		s.CatchUp(ctx)
		for _, m := range next.sent() {
			if m.Tag == HalfMonthly {
				t.Fatal("sent the 16th's half-monthly notice on the 17th")
			}
		}
	})
}

func TestWorkingDays(t *testing.T) {
	db := mustStore(t)
	for _, tc := range []struct {
		name string
		day  time.Time
		sent bool
	}{
		{"NationalDay", at(2026, 10, 1, 8, 50), false},
		{"MakeUpSaturday", at(2026, 10, 10, 8, 50), true},
		{"MakeUpSunday", at(2026, 1, 4, 8, 50), true},
		{"SpringFestivalMonday", at(2026, 2, 16, 8, 50), false},
		{"OrdinarySunday", at(2026, 10, 11, 8, 50), false},
		{"OrdinaryMonday", at(2026, 10, 12, 8, 50), true},
		{"UnpublishedYearWeekday", at(2027, 10, 1, 8, 50), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := newFakeOutbox(db)
			var o outcomes
			s := mustScheduler(t, db, out, fixedClock(tc.day), nil, &o)
			s.tick(context.Background(), s.job(Overdue))
			s.tick(context.Background(), s.job(Personal))
			if got := len(out.sent()) > 0; got != tc.sent {
				t.Fatalf("sent = %v, want %v (outcomes %v)", got, tc.sent, o.got)
			}
			if !tc.sent && o.count(Overdue, OutcomeSkipped) != 1 {
				t.Fatalf("outcomes %v, want skipped", o.got)
			}
		})
	}
}

// TestEnqueueFailureClaimsNothing: a run whose messages cannot be queued
// leaves the occurrence claimed by no one, so the next run sends it.
func TestEnqueueFailureClaimsNothing(t *testing.T) {
	db := mustStore(t)
	out := newFakeOutbox(db)
	out.fail = 1
	var o outcomes
	s := mustScheduler(t, db, out, fixedClock(at(2024, 12, 16, 9, 10)), nil, &o)
	s.tick(context.Background(), s.job(HalfMonthly))
	s.tick(context.Background(), s.job(HalfMonthly))
	if o.count(HalfMonthly, OutcomeError) != 1 || o.count(HalfMonthly, OutcomeOK) != 1 || out.calls != 1 {
		t.Fatalf("outcomes %v, %d enqueues: want an error, then one send", o.got, out.calls)
	}
}

// instance is another process on the same Redis: a store of its own on a
// client of its own, optionally with hooks (a redistest.KillHook).
func instance(tb testing.TB, db *storage.DB, hooks ...redis.Hook) *storage.DB {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: db.Client().(*redis.Client).Options().Addr})
	tb.Cleanup(func() { c.Close() })
	for _, h := range hooks {
		c.AddHook(h)
	}
	return storage.New(c, "test")
}

// queuedOn returns the messages of notice in the durable outbox enqueued on
// day (in Shanghai).
func queuedOn(tb testing.TB, db *storage.DB, notice string, day time.Time) []*zsbot.Outgoing {
	tb.Helper()
	items, err := db.Outbox(nil).Head(context.Background(), 100000)
	if err != nil {
		tb.Fatal(err)
	}
	var msgs []*zsbot.Outgoing
	for _, it := range items {
		if it.Msg.Tag == notice && zsbot.DateOf(it.Enqueued.In(shanghai)) == zsbot.DateOf(day) {
			msgs = append(msgs, it.Msg)
		}
	}
	return msgs
}

// TestSchedulersOnTheDurableOutbox runs several instances' schedulers on
// the storage outbox, which claims and queues in one transaction: one
// instance queues the notice, once.
func TestSchedulersOnTheDurableOutbox(t *testing.T) {
	db := mustStore(t)
	now := at(2024, 12, 16, 9, 10)
	clock := fixedClock(now)
	var o outcomes
	var wg sync.WaitGroup
	for range 8 {
		inst := instance(t, db)
		s := mustScheduler(t, inst, inst.Outbox(clock), clock, nil, &o)
		wg.Add(1)
		go func() { defer wg.Done(); s.tick(context.Background(), s.job(HalfMonthly)) }()
	}
	wg.Wait()
	if got := queuedOn(t, db, HalfMonthly, now); len(got) != 2 {
		t.Fatalf("%d messages queued, want 2 (领导群 and 珞璜群)", len(got))
	}
	if o.count(HalfMonthly, OutcomeOK) != 1 || o.count(HalfMonthly, OutcomeSkipped) != 7 {
		t.Fatalf("outcomes %v, want one ok and seven skipped", o.got)
	}
}

// TestKilledWhileQueuing kills the instance that runs the half-monthly
// notice at each of its round trips to Redis in turn — before the request
// reaches Redis and after Redis applied it — and restarts it 50 minutes later
// (its catch-up, 补发). Whatever the point, the notice's two messages are
// queued exactly once: the claim is never held without them, as it was
// when the claim and the enqueue were two steps.
func TestKilledWhileQueuing(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	only := map[string]string{Monthly: "off", Quarterly: "off", Overdue: "off", Personal: "off"}
	day := 0 // each kill takes a day of its own: the 1st or 16th of a month from 2025
	for _, after := range []bool{false, true} {
		for n := 1; ; n++ {
			occ := at(2025+day/24, time.Month(1+day/2%12), 1+15*(day%2), 9, 10)
			day++
			what := fmt.Sprintf("killed at round trip %d (after=%v), %s", n, after, occ.Format("2006-01-02"))
			hook := &redistest.KillHook{N: n, After: after}
			dying := instance(t, db, hook)
			s := mustScheduler(t, dying, dying.Outbox(fixedClock(occ)), fixedClock(occ), only, nil)
			s.tick(ctx, s.job(HalfMonthly))
			if !hook.Killed() {
				if got := queuedOn(t, db, HalfMonthly, occ); len(got) != 2 {
					t.Fatalf("%s: the run that was not killed queued %d messages, want 2", what, len(got))
				}
				if n < 5 {
					t.Fatalf("a run takes only %d round trips: kill points not covered", n-1)
				}
				t.Logf("after=%v: killed at each of %d round trips", after, n-1)
				break
			}
			claimed := db.Client().Exists(ctx, "zs:{test}:claim:half-monthly:"+OccurrenceKey(occ)).Val() == 1
			if got := queuedOn(t, db, HalfMonthly, occ); claimed != (len(got) == 2) || len(got)%2 != 0 {
				t.Fatalf("%s: claim held %v with %d of the 2 messages queued", what, claimed, len(got))
			}
			restarted := instance(t, db)
			later := fixedClock(occ.Add(50 * time.Minute))
			mustScheduler(t, restarted, restarted.Outbox(later), later, only, nil).CatchUp(ctx)
			got := queuedOn(t, db, HalfMonthly, occ)
			if len(got) != 2 {
				t.Fatalf("%s (claim held %v): %d messages queued after the restart, want 2", what, claimed, len(got))
			}
			if late := strings.Contains(got[0].Text, "（补发）"); late == claimed {
				t.Fatalf("%s: claim held %v, but the message sent is 补发 %v", what, claimed, late)
			}
		}
	}
}

func TestSchedulerConfig(t *testing.T) {
	db := mustStore(t)
	bad := filepath.Join(t.TempDir(), "holidays.txt")
	if err := os.WriteFile(bad, []byte("2026-10-01 放假\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		schedules map[string]string
		holidays  string
		want      string
	}{
		{"BadSpec", map[string]string{EnvName(HalfMonthly): "61 9 1,16 * *"}, "", "ZSBOT_SCHEDULE_HALF_MONTHLY"},
		{"Garbage", map[string]string{EnvName(Overdue): "every morning"}, "", "ZSBOT_SCHEDULE_OVERDUE"},
		{"UnknownNotice", map[string]string{"ZSBOT_SCHEDULE_WEEKLY": "0 9 * * 1"}, "", "ZSBOT_SCHEDULE_WEEKLY"},
		{"MisspeltNotice", map[string]string{"ZSBOT_SCHEDULE_HALFMONTHLY": "0 9 * * 1"}, "", "ZSBOT_SCHEDULE_HALFMONTHLY"},
		{"MissingHolidays", nil, "/nonexistent/holidays.txt", "ZSBOT_HOLIDAYS"},
		{"BadHolidays", nil, bad, "ZSBOT_HOLIDAYS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewScheduler(Options{Location: shanghai, Schedules: tc.schedules, Holidays: tc.holidays}, db, newFakeOutbox(db))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
	t.Run("OffAndDefaults", func(t *testing.T) {
		s := mustScheduler(t, db, newFakeOutbox(db), time.Now, map[string]string{Personal: "off", Monthly: ""}, nil)
		if s.job(Personal) != nil || s.job(Monthly) == nil || s.job(Monthly).spec != Lookup(Monthly).Schedule {
			t.Fatalf("jobs: %+v", s.jobs)
		}
	})
}

func TestLatest(t *testing.T) {
	for _, tc := range []struct {
		name, spec string
		now, want  time.Time
		ok         bool
	}{
		{"BeforeToday", "50 8 * * *", at(2024, 12, 16, 8, 49), time.Time{}, false},
		{"AtTheMinute", "50 8 * * *", at(2024, 12, 16, 8, 50), at(2024, 12, 16, 8, 50), true},
		{"LaterToday", "50 8 * * *", at(2024, 12, 16, 23, 59), at(2024, 12, 16, 8, 50), true},
		{"HalfMonthlyOn16th", "10 9 1,16 * *", at(2024, 12, 16, 9, 10).Add(1500 * time.Millisecond), at(2024, 12, 16, 9, 10), true},
		{"HalfMonthlyOn17th", "10 9 1,16 * *", at(2024, 12, 17, 9, 10), time.Time{}, false},
		{"EverySecond", "* * * * * *", at(2024, 12, 16, 12, 0).Add(2700 * time.Millisecond), at(2024, 12, 16, 12, 0).Add(2 * time.Second), true},
		{"Midnight", "0 0 * * *", at(2024, 12, 16, 0, 0).Add(time.Millisecond), at(2024, 12, 16, 0, 0), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sched, err := parser.Parse(tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := latest(sched, tc.now)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Fatalf("latest = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
}
