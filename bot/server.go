package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"zsbot"
	"zsbot/config"
	"zsbot/storage"
)

// Runner is a background task that runs beside the HTTP server (the outbox
// worker, the notice scheduler) until its context ends.
type Runner func(ctx context.Context) error

// Options tunes a Server; zero values take the defaults. The Now, Logger
// and Metrics of the Callback, Sender and Worker options are filled from
// the Server's.
type Options struct {
	Now             zsbot.Clock
	Logger          *slog.Logger
	Metrics         *Metrics
	ShutdownTimeout time.Duration // for in-flight requests and commands; default 20s
	Callback        CallbackOptions
	Sender          SenderOptions
	Worker          WorkerOptions

	// Instance is the name this process serves as: its claims name it, so
	// that should it die with a command unfinished, a retry runs the
	// command — at once when a process starts again under the same name,
	// else once its liveness entry expires (LiveTTL). Default
	// storage.InstanceName of the listening address (host and address).
	Instance string
	LiveTTL  time.Duration // default storage.DefaultLiveTTL (15s), refreshed every third of it
}

// Server is `zsbot serve`: the callback at cfg.CallbackPath, /healthz,
// /readyz and /metrics, with the outbox worker and any other Runners (the
// notice scheduler).
type Server struct {
	cfg      *config.Config
	db       *storage.DB
	opt      Options
	callback *Callback
	sender   *Sender
	worker   *Worker
	outbox   *storage.Outbox
	mux      *http.ServeMux
}

// NewServer wires the callback (commands go to r), the sender, the outbox
// worker and the endpoints of cfg over db. It fails when the callback is
// not configured (token, AES key, corp id).
func NewServer(cfg *config.Config, db *storage.DB, r zsbot.Responder, o Options) (*Server, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	o.ShutdownTimeout = orDefault(o.ShutdownTimeout, 20*time.Second)
	o.Metrics.CountRoundTrips(db.Client())
	s := &Server{cfg: cfg, db: db, opt: o, outbox: db.Outbox(o.Now), mux: http.NewServeMux()}
	o.Sender.Logger, o.Sender.Metrics = o.Logger, o.Metrics
	tokens := db.TokenCache(0)
	tokens.OnError = func(op string, err error) { o.Logger.Warn("wecom: token cache", "op", op, "err", err) }
	s.sender = NewSender(cfg.WeCom, tokens, o.Sender)
	o.Worker.Now, o.Worker.Logger, o.Worker.Metrics = o.Now, o.Logger, o.Metrics
	s.worker = NewWorker(s.outbox, s.sender, o.Worker)
	cb := o.Callback
	cb.Now, cb.Logger, cb.Metrics = o.Now, o.Logger, o.Metrics
	if cb.ReplyTimeout == 0 {
		cb.ReplyTimeout = cfg.ReplyTimeout
	}
	var err error
	if s.callback, err = NewCallback(cfg.WeCom, db, r, cb); err != nil {
		return nil, err
	}
	s.callback.notify = s.worker.Notify
	s.mux.Handle(cfg.CallbackPath, s.callback)
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", o.Metrics.Handler())
	return s, nil
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler { return s.mux }

// Metrics returns the server's metrics, for the handlers' CountCommand and
// the jobs' CountJob.
func (s *Server) Metrics() *Metrics { return s.opt.Metrics }

// Outbox returns the outbox for notices: it stores a message durably and
// wakes the worker.
func (s *Server) Outbox() zsbot.Outbox { return notifying{s.outbox, s.worker.Notify} }

// Sender returns the WeCom sender.
func (s *Server) Sender() *Sender { return s.sender }

// Worker returns the outbox worker (started by Serve).
func (s *Server) Worker() *Worker { return s.worker }

// Serve serves HTTP on ln and runs the outbox worker and runners until ctx
// ends (SIGTERM, SIGINT). Then it stops accepting, lets in-flight requests
// and the commands they started finish (up to ShutdownTimeout), stops the
// worker and the runners, waits for them and returns nil. It returns the
// listener's error if serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener, runners ...Runner) error {
	srv := &http.Server{
		Handler: s.mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.opt.Logger.Handler(), slog.LevelWarn),
	}
	inst := s.live(ctx, ln)
	liveCtx, stopLive := context.WithCancel(context.WithoutCancel(ctx))
	defer stopLive()
	liveDone := make(chan struct{})
	go func() { defer close(liveDone); inst.Run(liveCtx, s.opt.Logger) }()
	runCtx, stopRunners := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRunners()
	var wg sync.WaitGroup
	for i, run := range append([]Runner{s.worker.Run}, runners...) {
		wg.Go(func() {
			if err := run(runCtx); err != nil && runCtx.Err() == nil {
				s.opt.Logger.Error("background runner stopped", "runner", i, "err", err)
			}
		})
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.opt.Logger.Info("zsbot serving", "addr", ln.Addr().String(), "callback", s.cfg.CallbackPath, "instance", inst.Name())
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	s.opt.Logger.Info("zsbot shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	if serr := srv.Shutdown(sctx); serr != nil {
		s.opt.Logger.Warn("http shutdown", "err", serr)
	}
	if serr := s.callback.Shutdown(sctx); serr != nil {
		s.opt.Logger.Warn("commands still running at shutdown", "err", serr)
	}
	// The commands are done (or cancelled: their claims may be taken over,
	// and they can write nothing more).
	stopLive()
	<-liveDone
	cctx, ccancel := context.WithTimeout(context.Background(), 2*time.Second)
	if serr := inst.Close(cctx); serr != nil {
		s.opt.Logger.Warn("instance liveness: close", "instance", inst.Name(), "err", serr)
	}
	ccancel()
	stopRunners()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// live registers this process's Instance, before it serves a request, and
// has the callback's claims name it. A failure is logged: Run registers it
// later, and the claims made meanwhile name no instance (they are never
// taken over).
func (s *Server) live(ctx context.Context, ln net.Listener) *storage.Instance {
	name := s.opt.Instance
	if name == "" {
		name = storage.InstanceName(ln.Addr().String())
	}
	inst := s.db.Instance(name, s.opt.LiveTTL)
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := inst.Register(rctx); err != nil {
		s.opt.Logger.Warn("instance liveness: not registered yet", "instance", name, "err", err)
	}
	s.callback.inst.Store(inst)
	return inst
}

// readyz answers 200 when Redis answers and takes writes, the
// configuration can send, and WeCom has refused no channel's
// configuration; else 503 with the reasons. Whether Redis takes writes is
// asked at each call by a write probe (a tiny key with a TTL), so the
// answer is now's, with no state kept: it turns 200 as soon as memory is
// freed, and it shows a refusal on an idle bot too.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var problems []string
	if err := s.db.Ping(ctx); err != nil {
		problems = append(problems, "redis: "+err.Error())
	} else if err := s.db.ProbeWrite(ctx); storage.RefusalCause(err) != "" {
		problems = append(problems, "redis refuses writes: "+err.Error())
	}
	if !s.cfg.WeCom.CanSend() {
		problems = append(problems, "config: ZSBOT_WECOM_CORP_ID, ZSBOT_WECOM_AGENT_ID and ZSBOT_WECOM_SECRET are needed to send")
	}
	for ch, e := range s.sender.Misconfigured() {
		problems = append(problems, "channel "+ch+": "+e)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		http.Error(w, strings.Join(problems, "\n"), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, "ok")
}

// notifying is an Outbox that wakes the worker after each Enqueue.
type notifying struct {
	ob     *storage.Outbox
	notify func()
}

func (n notifying) Enqueue(ctx context.Context, msgs ...*zsbot.Outgoing) error {
	err := n.ob.Enqueue(ctx, msgs...)
	if err == nil {
		n.notify()
	}
	return err
}
