package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"zsbot/bot"
	"zsbot/bot/aibot"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/xlsx"
)

const serveUsage = `Usage: zsbot serve

Runs the bot: the WeCom callback (ZSBOT_CALLBACK_PATH, default /wecom/callback)
and /healthz on ZSBOT_HTTP_ADDR (default :8080, at most ZSBOT_MAX_CONNS
connections open), /readyz and /metrics on ZSBOT_ADMIN_ADDR (default
127.0.0.1:9090; off = none), the scheduled notices and the outbox worker.
SIGTERM or SIGINT stops it gracefully.

Needs ZSBOT_WECOM_CORP_ID, ZSBOT_WECOM_TOKEN and ZSBOT_WECOM_AES_KEY for the
callback, and ZSBOT_WECOM_AGENT_ID and ZSBOT_WECOM_SECRET to send. With
ZSBOT_AIBOT_TOKEN and ZSBOT_AIBOT_AES_KEY it also serves the 智能机器人's
callback at ZSBOT_AIBOT_PATH (default /wecom/aibot). See README.md.
`

// runServe is `zsbot serve`. It returns 0 after a graceful shutdown, 1 when
// the bot cannot start or serving fails, 2 for bad flags.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(stdout, serveUsage) }
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "zsbot serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot serve:", err)
		return 1
	}
	defer e.close()
	if err := serve(ctx, e); err != nil {
		fmt.Fprintln(stderr, "zsbot serve:", err)
		return 1
	}
	return 0
}

// serve wires the handlers, the WeCom server, the notice scheduler and the
// daily audit archive over e and serves until ctx ends.
func serve(ctx context.Context, e *env) error {
	clock := time.Now
	metrics := bot.NewMetrics()
	metrics.Registry().MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "zsbot_redis_wait_short_total",
		Help: "Writes that fewer replicas confirmed in time than ZSBOT_REDIS_WAIT_REPLICAS asked for.",
	}, func() float64 { return float64(e.waitShort.Load()) }))
	opts := bot.Options{Now: clock, Logger: e.log, Metrics: metrics, Worker: workerOptions(e)}
	if e.emb != nil {
		metrics.Registry().MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "zsbot_embedded_save_failures_total",
			Help: "Saves of the embedded store's data file that failed (each refused the write it followed).",
		}, func() float64 { return float64(e.emb.SaveFailures()) }))
		opts.Saves = e.emb
	}
	// The scheduler queues through the durable outbox; the worker picks its
	// messages up within a second. A command's messages are queued by its
	// unit of work's commit, with its change.
	outbox := e.db.Outbox(clock)
	// 导出 sends the file to the phone (never a server path in a reply):
	// no SaveExport here; WeCom is nil only without the app's secret.
	charts := findCharts(e.log)
	mux := handlers.New(handlers.Config{
		Admins: e.cfg.Admins, Loc: e.cfg.Location, Log: e.log,
		Notices: handlers.NoticesOf(jobs.WithCharts(charts, e.log)), Workbook: xlsx.Encode, WeCom: wecomApp(e),
		DeadLetters: outbox,
	})
	mux.Observe = func(verb, outcome string, _ time.Duration) { metrics.CountCommand(verb, outcome) }
	srv, err := bot.NewServer(e.cfg, e.db, mux, opts)
	if err != nil {
		return err
	}
	if a := e.cfg.AIBot; a.Configured() {
		ai, err := aibot.New(a, e.db, mux, aibot.Options{ReplyTimeout: e.cfg.ReplyTimeout, MaxSkew: e.cfg.WeCom.MaxSkew,
			Now: clock, Location: e.cfg.Location, Logger: e.log, Metrics: metrics, VerbOf: mux.VerbOf, Admins: e.cfg.Admins})
		if err != nil {
			return fmt.Errorf("ZSBOT_AIBOT_AES_KEY: %w", err)
		}
		srv.Mount(a.Path, ai, ai.Once)
	}
	so := schedulerOptions(e.cfg)
	so.Clock, so.Log, so.Charts = clock, e.log, charts
	sched, err := jobs.NewScheduler(so, e.db, outbox)
	if err != nil {
		return err
	}
	sched.Observe = metrics.CountJob
	maskAudit(ctx, e)
	migrateParks(ctx, e)
	migrateAggregates(ctx, e)
	buildLists(ctx, e)
	notices := func(ctx context.Context) error {
		go archiveDaily(ctx, e, clock)
		sched.Start(ctx)
		<-ctx.Done()
		sched.Stop()
		return nil
	}
	var l bot.Listeners
	if l.Public, err = net.Listen("tcp", e.cfg.HTTPAddr); err != nil {
		return fmt.Errorf("ZSBOT_HTTP_ADDR: %w", err)
	}
	if e.cfg.AdminAddr != "" {
		if l.Admin, err = net.Listen("tcp", e.cfg.AdminAddr); err != nil {
			l.Public.Close()
			return fmt.Errorf("ZSBOT_ADMIN_ADDR: %w", err)
		}
	}
	return srv.Serve(ctx, l, notices)
}

// workerOptions are the outbox worker's settings in e: when it gives up,
// how it shows notices, and whom it tells of a dead letter — the admins,
// ZSBOT_ADMINS and those registered as 管理员.
func workerOptions(e *env) bot.WorkerOptions {
	return bot.WorkerOptions{
		GiveUpAttempts: e.cfg.Outbox.GiveUpAttempts, GiveUpAfter: e.cfg.Outbox.GiveUpAfter,
		AppText: !e.cfg.Outbox.AppMarkdown,
		Admins: func(ctx context.Context) ([]string, error) {
			people, err := e.db.People(ctx)
			if err != nil {
				return nil, err
			}
			admins := slices.Clone(e.cfg.Admins)
			for _, p := range people {
				if p.IsAdmin() && !slices.Contains(admins, p.UserID) {
					admins = append(admins, p.UserID)
				}
			}
			return admins, nil
		},
	}
}
