package jobs

import (
	"context"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"zsbot"
)

// OccurrenceKey names an occurrence in its claim: "2024-12-16T09:10:00" in
// the bureau's zone, the same on every instance.
func OccurrenceKey(occ time.Time) string { return occ.Format("2006-01-02T15:04:05") }

// run sends one occurrence of a notice: skipped on a day off for the daily
// reminders; otherwise render, then claim (once across instances) and
// enqueue together (queue), so that a failure or a crash half-way leaves
// the occurrence unclaimed for the next run or a restart's catch-up.
func (s *Scheduler) run(ctx context.Context, j *job, occ time.Time, late bool) string {
	n, key := j.notice, OccurrenceKey(occ)
	outcome := s.send(ctx, j, occ, late)
	if s.Observe != nil {
		s.Observe(n.Name, outcome)
	}
	s.log.Debug("notice run", "notice", n.Name, "occurrence", key, "late", late, "outcome", outcome)
	return outcome
}

func (s *Scheduler) send(ctx context.Context, j *job, occ time.Time, late bool) string {
	n, key := j.notice, OccurrenceKey(occ)
	if n.Working && !s.cal.Working(zsbot.DateOf(occ)) {
		return OutcomeSkipped
	}
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	msgs, err := n.Messages(ctx, s.store, s.clock().In(s.loc), late)
	if err != nil {
		s.log.Error("notice failed", "notice", n.Name, "occurrence", key, "err", err)
		return OutcomeError
	}
	ok, err := s.queue(ctx, n.Name, key, claimTTL(j.sched, occ), msgs)
	if err != nil {
		s.log.Error("notice not queued", "notice", n.Name, "occurrence", key, "err", err)
		return OutcomeError
	}
	if !ok {
		return OutcomeSkipped
	}
	s.log.Info("notice queued", "notice", n.Name, "occurrence", key, "messages", len(msgs), "late", late)
	return OutcomeOK
}

// queue claims the occurrence key of notice for ttl and queues msgs in
// one transaction (ClaimingOutbox); false when another run holds the claim.
func (s *Scheduler) queue(ctx context.Context, notice, key string, ttl time.Duration, msgs []*zsbot.Outgoing) (bool, error) {
	return s.outbox.ClaimAndEnqueue(ctx, notice, key, ttl, msgs...)
}

// claimTTL outlasts the schedule's period: until the next occurrence and
// two days more.
func claimTTL(sched cron.Schedule, occ time.Time) time.Duration {
	return sched.Next(occ).Sub(occ) + 48*time.Hour
}

// latest returns the schedule's last activation at or before now, on now's
// day; false when there is none today yet. It looks back in widening steps,
// so a schedule firing every second costs no more than a daily one.
func latest(sched cron.Schedule, now time.Time) (time.Time, bool) {
	y, m, d := now.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	for _, back := range []time.Duration{2 * time.Second, 2 * time.Minute, 2 * time.Hour, 48 * time.Hour} {
		floor := now.Add(-back)
		if floor.Before(midnight) {
			floor = midnight
		}
		t := sched.Next(floor.Add(-time.Second))
		if t.After(now) {
			if floor.Equal(midnight) {
				return time.Time{}, false
			}
			continue
		}
		for {
			next := sched.Next(t)
			if next.After(now) {
				return t, true
			}
			t = next
		}
	}
	return time.Time{}, false
}

// cronLogger writes robfig/cron's log through slog; its routine messages
// (start, wake, run) are debug, recovered panics errors.
type cronLogger struct{ log *slog.Logger }

// Info logs cron's routine messages at debug level.
func (c cronLogger) Info(msg string, kv ...any) { c.log.Debug("cron: "+msg, kv...) }

// Error logs a failure, such as a recovered panic.
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.log.Error("cron: "+msg, append(kv, "err", err)...)
}
