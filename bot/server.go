package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
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

	// Saves is the store's own saving, when it saves its data itself (the
	// embedded store); nil for Redis. /readyz fails while its saves fail.
	Saves Saver
}

// Saver is a store that saves its data itself (storage.Embedded). SaveErr
// returns the last save's error while saving fails, and nil once a save
// succeeded.
type Saver interface{ SaveErr() error }

// Server is `zsbot serve`: the callback at cfg.CallbackPath and /healthz
// for WeCom and the load balancer, /readyz and /metrics for operators on a
// listener of their own, with the outbox worker and any other Runners (the
// notice scheduler).
type Server struct {
	cfg      *config.Config
	db       *storage.DB
	opt      Options
	callback *Callback
	sender   *Sender
	worker   *Worker
	outbox   *storage.Outbox
	mux      *http.ServeMux // the callback and /healthz
	admin    *http.ServeMux // /readyz and /metrics
	mounted  []*Once        // the runners of other transports (Mount)
}

// Listeners are where a Server serves.
type Listeners struct {
	// Public serves the callback and /healthz, with at most
	// cfg.MaxConns connections open.
	Public net.Listener
	// Admin serves /readyz (with the reasons it fails) and /metrics; nil
	// = not served.
	Admin net.Listener
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
	s := &Server{cfg: cfg, db: db, opt: o, outbox: db.Outbox(o.Now), mux: http.NewServeMux(), admin: http.NewServeMux()}
	o.Sender.Logger, o.Sender.Metrics = o.Logger, o.Metrics
	tokens := db.TokenCache(0)
	tokens.OnError = func(op string, err error) { o.Logger.Warn("wecom: token cache", "op", op, "err", err) }
	s.sender = NewSender(cfg.WeCom, tokens, o.Sender)
	o.Worker.Now, o.Worker.Logger, o.Worker.Metrics = o.Now, o.Logger, o.Metrics
	o.Worker.AppErrors = s.sender.Misconfigured
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
	s.admin.HandleFunc("GET /readyz", s.readyz)
	s.admin.Handle("GET /metrics", o.Metrics.Handler())
	// Go's profiler, for operators on the admin listener only (as the
	// benchmarks' profiles are taken): /debug/pprof/profile?seconds=30.
	s.admin.HandleFunc("GET /debug/pprof/", pprof.Index)
	s.admin.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	s.admin.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	s.admin.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	return s, nil
}

// Mount serves h at path on the public listener, beside the callback: a
// transport of its own (the 智能机器人's, bot/aibot) whose commands run
// through run. run's claims name this process, its late replies wake the
// outbox worker, and Serve shuts it down with the callback's. Call it
// before Serve.
func (s *Server) Mount(path string, h http.Handler, run *Once) {
	s.mux.Handle(path, h)
	if run != nil {
		run.notify = s.worker.Notify
		s.mounted = append(s.mounted, run)
	}
}

// Handler returns the server's public routes: the callback and /healthz.
func (s *Server) Handler() http.Handler { return s.mux }

// AdminHandler returns the server's operations routes: /readyz and
// /metrics.
func (s *Server) AdminHandler() http.Handler { return s.admin }

// Metrics returns the server's metrics, for the handlers' CountCommand and
// the jobs' CountJob.
func (s *Server) Metrics() *Metrics { return s.opt.Metrics }

// Outbox returns the outbox for notices: it stores a message durably and
// wakes the worker.
func (s *Server) Outbox() zsbot.Outbox { return notifying{s.outbox, s.worker.Notify} }

// Serve serves HTTP on l's listeners and runs the outbox worker and
// runners until ctx ends (SIGTERM, SIGINT). Then it stops accepting on
// both listeners, lets in-flight requests and the commands they started
// finish (up to ShutdownTimeout), stops the worker and the runners, waits
// for them and returns nil. It returns a listener's error if serving
// fails (after stopping the same way).
func (s *Server) Serve(ctx context.Context, l Listeners, runners ...Runner) error {
	ln, srv := l.Public, s.httpServer(s.mux)
	if s.cfg.MaxConns > 0 {
		lim := newConnLimit(ln, s.cfg.MaxConns, s.opt.Metrics.shed.Inc)
		ln, srv.ConnState = lim, lim.connState
	}
	servers, adminAddr := []*http.Server{srv}, "off"
	if l.Admin != nil {
		servers, adminAddr = append(servers, s.httpServer(s.admin)), l.Admin.Addr().String()
	}
	inst := s.live(ctx, l.Public)
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
	served := make(chan error, len(servers))
	go func() { served <- srv.Serve(ln) }()
	if l.Admin != nil {
		go func() {
			err := servers[1].Serve(l.Admin)
			if !errors.Is(err, http.ErrServerClosed) {
				err = fmt.Errorf("admin listener: %w", err)
			}
			served <- err
		}()
	}
	s.opt.Logger.Info("zsbot serving", "addr", ln.Addr().String(), "callback", s.cfg.CallbackPath, "admin", adminAddr,
		"max_conns", s.cfg.MaxConns, "instance", inst.Name())
	var err error
	select {
	case <-ctx.Done():
	case err = <-served:
	}
	s.opt.Logger.Info("zsbot shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	for _, srv := range servers {
		if serr := srv.Shutdown(sctx); serr != nil {
			s.opt.Logger.Warn("http shutdown", "err", serr)
		}
	}
	for _, run := range append([]*Once{s.callback.Once}, s.mounted...) {
		if serr := run.Shutdown(sctx); serr != nil {
			s.opt.Logger.Warn("commands still running at shutdown", "err", serr)
		}
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

// httpServer is an http.Server for h, with short timeouts for the headers
// (WeCom's requests are small) and the body.
func (s *Server) httpServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(s.opt.Logger.Handler(), slog.LevelWarn),
	}
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
	for _, run := range s.mounted {
		run.inst.Store(inst)
	}
	return inst
}

// readyz answers 200 when Redis answers and takes writes, the store's
// saves succeed, the configuration can send, and WeCom has refused neither
// the app's configuration for a channel nor a destination's (a robot key,
// a chat, recipients) since a send there succeeded; else 503 with the
// reasons. Whether Redis takes
// writes is asked at each call by a write probe (a tiny key with a TTL), so
// the answer is now's, with no state kept: it turns 200 as soon as memory
// is freed, and it shows a refusal on an idle bot too.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	var problems []string
	if err := s.db.Ping(ctx); err != nil {
		problems = append(problems, "redis: "+err.Error())
	} else if err := s.db.ProbeWrite(ctx); storage.RefusalCause(err) != "" {
		problems = append(problems, "redis refuses writes: "+err.Error())
	}
	if s.opt.Saves != nil {
		if err := s.opt.Saves.SaveErr(); err != nil {
			problems = append(problems, "save: "+err.Error())
		}
	}
	if !s.cfg.WeCom.CanSend() {
		problems = append(problems, "config: ZSBOT_WECOM_CORP_ID, ZSBOT_WECOM_AGENT_ID and ZSBOT_WECOM_SECRET are needed to send")
	}
	for ch, e := range s.sender.Misconfigured() {
		problems = append(problems, "channel "+ch+": "+e)
	}
	if bad, err := s.outbox.Misconfigured(ctx); err == nil {
		for _, e := range bad {
			problems = append(problems, "destination "+e)
		}
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
