package bot

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"zsbot"
	"zsbot/storage"
)

// Units begins the unit of work of a delivery and reads once-only
// records: what a Once needs of the store (storage.DB implements it). Its
// Store serves a command run without a claim while writes are refused.
type Units interface {
	zsbot.Store
	// Begin claims c.Delivery (storage.DB.Begin): a Unit when the caller
	// must run the command, else the record of an earlier delivery.
	Begin(ctx context.Context, c storage.Claim) (*storage.Unit, *storage.Delivery, error)
	// GetDelivery returns the record of a delivery, ENOTFOUND when none.
	GetDelivery(ctx context.Context, id string) (*storage.Delivery, error)
	// ClaimGreeting claims the greeting of user on day: true the first
	// time (storage.DB.ClaimGreeting).
	ClaimGreeting(ctx context.Context, user, day string) (bool, error)
}

// Delivery is one inbound message as a transport hands it to a Once,
// whatever its wire format.
type Delivery struct {
	ID       string // the once-only id: the sender and the message id
	MsgID    string // the transport's own message id (WeCom MsgId)
	From     string // the sender's userid
	Chat     string // the group chat it came from; "" for a one-to-one chat
	ChatType string // the chat's kind ("group"); "" for none
	Text     string // the text to run as a command …
	Command  bool   // … when true; else Reply answers it (events, images)
	Reply    string // the fixed reply of a delivery that is not a command
	// Greet asks for the Responder's greeting (zsbot.Greeter), once per
	// member and day: a member opening the app. Reply answers instead
	// when the Responder cannot greet.
	Greet bool
	At    time.Time // when it arrived
	// MaxPassive is the longest reply that may go back in the transport's
	// answer (0: any); a longer one goes by Late.
	MaxPassive int
	// Late returns the message that carries a reply which cannot go back
	// in the transport's answer; nil sends it as an app message to From.
	// When Late returns nil, nothing is queued: the transport answers
	// later from the delivery's record, which holds the reply (the
	// 智能机器人's stream refreshes).
	Late func(reply string) *zsbot.Outgoing
}

// late returns the outgoing message of a reply sent late.
func (d *Delivery) late(reply string) *zsbot.Outgoing {
	if d.Late != nil {
		return d.Late(reply)
	}
	return &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{d.From}, Format: zsbot.FormatText, Text: reply, Tag: "reply"}
}

// Outcomes of Run, for transports outside this package.
const (
	OutcomePassive     = outPassive     // Reply goes back in the answer
	OutcomeAsync       = outAsync       // the reply goes late (Delivery.Late)
	OutcomeEmpty       = outEmpty       // nothing to say
	OutcomeDuplicate   = outDuplicate   // a retry: Reply is the stored passive reply, if any
	OutcomeUnavailable = outUnavailable // the sender must retry
)

// Result is how a Once answered a delivery, for its transport to write.
type Result struct {
	Outcome string // outPassive, outAsync, outEmpty, outDuplicate or outUnavailable
	Reply   string // the reply to send back in the answer ("" for none)
	Reason  string // why it is unavailable ("redis", "unavailable")
	Err     error  // … and the error
}

// RunOptions tunes a Once; zero values take the defaults.
type RunOptions struct {
	ReplyTimeout   time.Duration // passive reply deadline; default 3s
	ClaimTimeout   time.Duration // bound of the claim; default 1s
	CommandTimeout time.Duration // bound of a command that overran the deadline; default 1m
	OnceTTL        time.Duration // lifetime of once-only records; default 24h
	Now            zsbot.Clock   // default time.Now
	Logger         *slog.Logger  // default slog.Default()
	Metrics        *Metrics      // default a fresh set
}

// Once runs each delivery's command once across retries, in a unit of
// work it begins and commits, and tells its transport how to answer. It
// knows no wire format: the WeCom callback and the console are adapters
// over it.
type Once struct {
	units Units
	resp  zsbot.Responder
	opt   RunOptions

	base   context.Context // parent of commands that outlive their request
	cancel context.CancelFunc
	wg     sync.WaitGroup
	notify func() // wakes the outbox worker after a late reply is queued; may be nil
	// inst is the serving process, named in the claims so that a retry
	// takes over the claims it leaves unfinished if it dies (Server.Serve
	// sets it); nil for none: such claims are never taken over.
	inst atomic.Pointer[storage.Instance]
}

// NewOnce returns a Once claiming deliveries in units and answering
// them with r.
func NewOnce(units Units, r zsbot.Responder, o RunOptions) *Once {
	o.ReplyTimeout = orDefault(o.ReplyTimeout, 3*time.Second)
	o.ClaimTimeout = orDefault(o.ClaimTimeout, time.Second)
	o.CommandTimeout = orDefault(o.CommandTimeout, time.Minute)
	o.OnceTTL = orDefault(o.OnceTTL, 24*time.Hour)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	base, cancel := context.WithCancel(context.Background())
	return &Once{units: units, resp: r, opt: o, base: base, cancel: cancel}
}

// Shutdown waits for commands that outlived their request to finish, or
// for ctx to end, and then cancels the ones still running.
func (run *Once) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() { run.wg.Wait(); close(done) }()
	defer run.cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// plan returns what a command will most likely allocate and read first,
// and whether it writes nothing, when the Responder can tell
// (handlers.Mux). A delivery that is no command writes nothing.
func (run *Once) plan(d *Delivery) zsbot.Plan {
	if !d.Command {
		return zsbot.Plan{ReadOnly: true}
	}
	if p, ok := run.resp.(zsbot.Planner); ok {
		return p.Plan(d.Text)
	}
	return zsbot.Plan{}
}

// claim is the storage claim of d, planned p.
func (run *Once) claim(d *Delivery, p zsbot.Plan) storage.Claim {
	c := storage.Claim{Delivery: d.ID, TTL: run.opt.OnceTTL, Instance: run.inst.Load()}
	if d.Greet {
		c.User = d.From
	}
	if d.Command {
		c.User, c.Reserve, c.Read, c.ReadID = d.From, p.Reserve, p.Read, p.ReadID
	}
	return c
}

// Handing over a command's reply: the command goroutine and the request
// race to move state from running to one of the others.
const (
	stRunning   int32 = iota
	stPassive         // the request waits for the reply
	stHandedOff       // the request has answered; the reply goes by Late
)

// result is what a command hands to the request still waiting for it.
type result struct {
	reply string
	async bool  // the reply went to the outbox
	err   error // EUNAVAILABLE: the sender must retry
}

// Run runs d's command once across retries and returns how to answer it.
// It waits for the reply until ReplyTimeout or until ctx (the request's)
// ends; after that the command goes on and its reply goes by d.Late.
//
// A retry takes over the claim of a first delivery whose process died
// before finishing it (storage.DB.Begin; the claim names this process's
// Instance), and runs the command.
func (run *Once) Run(ctx context.Context, d *Delivery) Result {
	deadline := time.Now().Add(run.opt.ReplyTimeout)
	plan := run.plan(d)
	claim := run.claim(d, plan)
	u, prev, err := run.begin(ctx, claim)
	if err != nil {
		return run.unclaimed(ctx, d, plan, err)
	}
	if prev != nil {
		run.opt.Metrics.duplicates.Inc()
		var res Result
		if u, res = run.answerRetry(ctx, claim, prev, deadline); u == nil {
			return res
		}
	}
	var state atomic.Int32
	done := make(chan result, 1)
	run.wg.Add(1)
	go func() {
		defer run.wg.Done()
		cctx, cancel := context.WithTimeout(run.base, run.opt.CommandTimeout)
		defer cancel()
		done <- run.finish(cctx, d, u, &state)
	}()
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case res := <-done:
		return res.answer()
	case <-timer.C:
	case <-ctx.Done():
	}
	if state.CompareAndSwap(stRunning, stHandedOff) {
		return Result{Outcome: outAsync}
	}
	return (<-done).answer()
}

// answer is the Result of a command's result.
func (res result) answer() Result {
	switch {
	case res.err != nil:
		return Result{Outcome: outUnavailable, Reason: "unavailable", Err: res.err}
	case res.async:
		return Result{Outcome: outAsync}
	case res.reply == "":
		return Result{Outcome: outEmpty}
	}
	return Result{Outcome: outPassive, Reply: res.reply}
}

// begin claims a delivery (storage.DB.Begin). When Redis fails it releases
// whatever claim it may have made and returns the error; the caller
// answers.
func (run *Once) begin(ctx context.Context, claim storage.Claim) (*storage.Unit, *storage.Delivery, error) {
	ctx, cancel := context.WithTimeout(ctx, run.opt.ClaimTimeout)
	u, prev, err := run.units.Begin(ctx, claim)
	cancel()
	if err != nil {
		if u != nil && storage.RefusalCause(err) == "" { // a refused claim wrote nothing: none to release
			run.release(u, run.opt.Logger.With("delivery", claim.Delivery))
		}
		return nil, nil, err
	}
	if u != nil && u.TookOver() != "" {
		run.opt.Metrics.takeovers.Inc()
		run.opt.Logger.Info("wecom: took over the claim of a dead instance, running its command",
			"delivery", claim.Delivery, "instance", u.TookOver())
	}
	return u, prev, nil
}
