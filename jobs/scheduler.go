package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"zsbot"
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

// Options configure a Scheduler (cmd/zsbot fills them from ZSBOT_TZ,
// ZSBOT_SCHEDULE_* and ZSBOT_HOLIDAYS).
type Options struct {
	Location *time.Location // the bureau's zone; nil = time.Local
	// Schedules overrides the notices' default schedules, by environment
	// variable: ZSBOT_SCHEDULE_HALF_MONTHLY → a cron spec, "off", or "" for
	// the default. Every name must be a notice's EnvName.
	Schedules map[string]string
	Holidays  string       // a holiday calendar file or directory; "" = built in
	Clock     zsbot.Clock  // nil = time.Now
	Log       *slog.Logger // nil = discard
	Charts    Charts       // draws the charts that follow notices; nil = text alone
}

// EnvName is the environment variable of a notice's schedule:
// ZSBOT_SCHEDULE_HALF_MONTHLY.
func EnvName(notice string) string {
	return "ZSBOT_SCHEDULE_" + strings.ToUpper(strings.ReplaceAll(notice, "-", "_"))
}

// CheckSchedules reports the first of vars (ZSBOT_SCHEDULE_* variables by
// name) that names no notice or holds neither a cron spec nor "off", as an
// error naming the variable.
func CheckSchedules(vars map[string]string) error {
	_, err := parseSchedules(vars)
	return err
}

// parseSchedules returns the jobs of the notices that are not off, in
// registry order: each with its variable's spec in vars, else its default.
func parseSchedules(vars map[string]string) ([]*job, error) {
	byEnv := map[string]*Notice{}
	var names []string
	for _, n := range notices {
		byEnv[EnvName(n.Name)] = n
		names = append(names, n.Name)
	}
	var unknown []string
	for env := range vars {
		if byEnv[env] == nil {
			unknown = append(unknown, env)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return nil, fmt.Errorf("%s: there is no such notice (notices: %s)", unknown[0], strings.Join(names, ", "))
	}
	var jobs []*job
	for _, n := range notices {
		spec := strings.TrimSpace(vars[EnvName(n.Name)])
		if spec == "" {
			spec = n.Schedule
		}
		if strings.EqualFold(spec, "off") {
			continue
		}
		sched, err := parser.Parse(spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %q is not a cron schedule such as %q (minute hour day-of-month month day-of-week) or off: %w",
				EnvName(n.Name), spec, n.Schedule, err)
		}
		jobs = append(jobs, &job{notice: n, spec: spec, sched: sched})
	}
	return jobs, nil
}

// NewScheduler validates the schedules (o.Schedules; "off" disables a
// notice) and the holiday calendar (o.Holidays, default built in). A bad
// value is an error naming its environment variable, which stops start-up.
func NewScheduler(o Options, store zsbot.Store, outbox ClaimingOutbox) (*Scheduler, error) {
	log, clock, loc := o.Log, o.Clock, o.Location
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if clock == nil {
		clock = time.Now
	}
	if loc == nil {
		loc = time.Local
	}
	jobs, err := parseSchedules(o.Schedules)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		j.notice = j.notice.withCharts(o.Charts, log)
	}
	cal, err := LoadCalendar(o.Holidays)
	if err != nil {
		return nil, fmt.Errorf("ZSBOT_HOLIDAYS: %w", err)
	}
	s := &Scheduler{jobs: jobs, store: store, outbox: outbox, clock: clock, loc: loc, cal: cal, log: log}
	cl := cronLogger{log}
	s.cron = cron.New(cron.WithLocation(loc), cron.WithParser(parser), cron.WithLogger(cl),
		cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	for _, j := range s.jobs {
		s.cron.Schedule(j.sched, cron.FuncJob(func() { s.tick(s.runContext(), j) }))
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
