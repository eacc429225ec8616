package jobs

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot"
	"zsbot/config"
	"zsbot/storage"
)

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

func mustScheduler(tb testing.TB, db *storage.DB, out zsbot.Outbox, clock zsbot.Clock, schedules map[string]string, o *outcomes) *Scheduler {
	tb.Helper()
	s, err := NewScheduler(&config.Config{Location: shanghai, Schedules: schedules}, db, out, clock, nil)
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
	outs := []*fakeOutbox{{}, {}}
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
	outs := []*fakeOutbox{{}, {}}
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
	out := &fakeOutbox{}
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
		again := &fakeOutbox{}
		mustScheduler(t, db, again, fixedClock(at(2024, 12, 16, 10, 30)), nil, nil).CatchUp(ctx)
		if len(again.sent()) != 0 {
			t.Fatalf("second restart sent %d messages", len(again.sent()))
		}
	})
	t.Run("NotBeforeItsTime", func(t *testing.T) {
		early := &fakeOutbox{}
		mustScheduler(t, db, early, fixedClock(at(2024, 11, 1, 9, 0)), nil, nil).CatchUp(ctx)
		for _, m := range early.sent() {
			if m.Tag != Overdue && m.Tag != Personal {
				t.Fatalf("sent %s at 09:00 before its 09:10 or later schedule", m.Tag)
			}
		}
	})
	t.Run("NotAnotherDay", func(t *testing.T) {
		next := &fakeOutbox{}
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
			out := &fakeOutbox{}
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

func TestEnqueueFailureReleasesClaim(t *testing.T) {
	db := mustStore(t)
	out := &fakeOutbox{fail: 1}
	var o outcomes
	s := mustScheduler(t, db, out, fixedClock(at(2024, 12, 16, 9, 10)), nil, &o)
	s.tick(context.Background(), s.job(HalfMonthly))
	s.tick(context.Background(), s.job(HalfMonthly))
	if o.count(HalfMonthly, OutcomeError) != 1 || o.count(HalfMonthly, OutcomeOK) != 1 || out.calls != 1 {
		t.Fatalf("outcomes %v, %d enqueues: want an error, then one send", o.got, out.calls)
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
		{"BadSpec", map[string]string{HalfMonthly: "61 9 1,16 * *"}, "", "ZSBOT_SCHEDULE_HALF_MONTHLY"},
		{"Garbage", map[string]string{Overdue: "every morning"}, "", "ZSBOT_SCHEDULE_OVERDUE"},
		{"UnknownNotice", map[string]string{"weekly": "0 9 * * 1"}, "", "ZSBOT_SCHEDULE_WEEKLY"},
		{"MissingHolidays", nil, "/nonexistent/holidays.txt", "ZSBOT_HOLIDAYS"},
		{"BadHolidays", nil, bad, "ZSBOT_HOLIDAYS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &config.Config{Location: shanghai, Schedules: tc.schedules, Holidays: tc.holidays}
			_, err := NewScheduler(cfg, db, &fakeOutbox{}, time.Now, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %s", err, tc.want)
			}
		})
	}
	t.Run("OffAndDefaults", func(t *testing.T) {
		s := mustScheduler(t, db, &fakeOutbox{}, time.Now, map[string]string{Personal: "off", Monthly: ""}, nil)
		if s.job(Personal) != nil || s.job(Monthly) == nil || s.job(Monthly).spec != config.DefaultSchedules[Monthly] {
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
