package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"zsbot"
	"zsbot/config"
)

// ClaimingOutbox is an Outbox that claims an occurrence of a notice and
// queues its messages in one atomic step (storage.Outbox: one Redis
// transaction), reporting false and queuing nothing when the occurrence is
// already claimed. The claim then lives beside the messages, in the
// outbox's Redis, and is never held without them: a process that dies
// while sending leaves the occurrence to the next run or to a restart's
// catch-up (补发).
type ClaimingOutbox interface {
	zsbot.Outbox
	ClaimAndEnqueue(ctx context.Context, notice, occurrence string, ttl time.Duration, msgs ...*zsbot.Outgoing) (bool, error)
}

// Outcomes of one scheduled run, as told to Scheduler.Observe.
const (
	OutcomeOK      = "ok"
	OutcomeError   = "error"
	OutcomeSkipped = "skipped" // a day off, or another instance had the occurrence
)

// runTimeout bounds one notice's run (reads, claim, enqueue).
const runTimeout = 2 * time.Minute

// Scheduler runs the notices on their cron schedules (robfig/cron, in the
// bureau's zone), claims each occurrence in Redis in the transaction that
// queues its messages (see ClaimingOutbox), and at start sends once any
// occurrence of today that was missed.
type Scheduler struct {
	// Observe, when set before Start, is told the outcome of every run:
	// OutcomeOK, OutcomeError or OutcomeSkipped (for metrics).
	Observe func(notice, outcome string)

	cron   *cron.Cron
	jobs   []*job
	store  zsbot.Store
	outbox ClaimingOutbox
	clock  zsbot.Clock
	loc    *time.Location
	cal    *Calendar
	log    *slog.Logger

	mu     sync.Mutex
	ctx    context.Context
	cancel context.CancelFunc
}

type job struct {
	notice *Notice
	spec   string
	sched  cron.Schedule
}

// parser reads the standard five fields, an optional leading seconds field,
// and descriptors such as @daily.
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// EnvName is the environment variable of a notice's schedule:
// ZSBOT_SCHEDULE_HALF_MONTHLY.
func EnvName(notice string) string {
	return "ZSBOT_SCHEDULE_" + strings.ToUpper(strings.ReplaceAll(notice, "-", "_"))
}

// NewScheduler validates the schedules (cfg.Schedules, default
// config.DefaultSchedules; "off" disables a notice) and the holiday calendar
// (cfg.Holidays, default built in). A bad value is an error naming its
// environment variable, which stops start-up.
func NewScheduler(cfg *config.Config, store zsbot.Store, outbox ClaimingOutbox, clock zsbot.Clock, log *slog.Logger) (*Scheduler, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = time.Now
	}
	loc := cfg.Location
	if loc == nil {
		loc = time.Local
	}
	for name := range cfg.Schedules {
		if n := Lookup(name); n == nil || n.Name != name {
			return nil, fmt.Errorf("%s: there is no notice %q (notices: half-monthly, monthly, quarterly, overdue, personal)", EnvName(name), name)
		}
	}
	cal, err := LoadCalendar(cfg.Holidays)
	if err != nil {
		return nil, fmt.Errorf("ZSBOT_HOLIDAYS: %w", err)
	}
	s := &Scheduler{store: store, outbox: outbox, clock: clock, loc: loc, cal: cal, log: log}
	cl := cronLogger{log}
	s.cron = cron.New(cron.WithLocation(loc), cron.WithParser(parser), cron.WithLogger(cl),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	for _, n := range notices {
		spec := strings.TrimSpace(cfg.Schedules[n.Name])
		if spec == "" {
			spec = config.DefaultSchedules[n.Name]
		}
		if strings.EqualFold(spec, "off") {
			continue
		}
		sched, err := parser.Parse(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a cron schedule such as %q (minute hour day-of-month month day-of-week) or off: %w",
				EnvName(n.Name), spec, config.DefaultSchedules[n.Name], err)
		}
		j := &job{notice: n, spec: spec, sched: sched}
		s.jobs = append(s.jobs, j)
		s.cron.Schedule(sched, cron.FuncJob(func() { s.tick(s.runContext(), j) }))
	}
	return s, nil
}

// Start sends today's missed occurrences (补发), then starts the schedules.
// The scheduled runs use ctx until Stop.
func (s *Scheduler) Start(ctx context.Context) {
	s.mu.Lock()
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.mu.Unlock()
	now := s.clock().In(s.loc)
	if !s.cal.Covers(now.Year()) {
		s.log.Warn("holiday calendar has no entries for this year: reminders follow Monday to Friday", "year", now.Year())
	}
	s.CatchUp(s.ctx)
	s.cron.Start()
	for _, j := range s.jobs {
		s.log.Info("notice scheduled", "notice", j.notice.Name, "schedule", j.spec, "next", j.sched.Next(now))
	}
}

// Stop stops the schedules and waits for running notices to finish.
func (s *Scheduler) Stop() {
	<-s.cron.Stop().Done()
	s.mu.Lock()
	if s.cancel != nil {
		s.cancel()
	}
	s.mu.Unlock()
}

// CatchUp sends, once and marked 补发, each notice whose occurrence today
// has passed without being claimed (the bot was down at the time).
func (s *Scheduler) CatchUp(ctx context.Context) {
	for _, j := range s.jobs {
		now := s.clock().In(s.loc)
		if occ, ok := latest(j.sched, now); ok && occ.Before(now) {
			s.run(ctx, j, occ, true)
		}
	}
}

// runContext is the context of the scheduled runs, set by Start.
func (s *Scheduler) runContext() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ctx
}

// tick is a cron activation: it runs the occurrence just due.
func (s *Scheduler) tick(ctx context.Context, j *job) {
	now := s.clock().In(s.loc)
	occ, ok := latest(j.sched, now)
	if !ok {
		s.log.Error("notice fired with no occurrence due today", "notice", j.notice.Name, "now", now)
		return
	}
	s.run(ctx, j, occ, false)
}
