// Command zsbench is the load generator of zsbot: it drives a running
// "zsbot serve" as WeCom would, with signed, encrypted callbacks from
// simulated officers, and reports throughput, latency, errors and the
// bot's and Redis's work per command (see BENCHMARKS.md).
//
//	zsbench [--rate N] [--duration D] [--rounds N] [--mix default|read] [--pid PID] [--acks FILE]
//	zsbench --verify FILE
//	zsbench --preload-years N [--preload-scale K]
//	zsbench --serve-crypto ADDR
//
// It is a command of its own so that zsbot links none of it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"zsbot"
	"zsbot/benchdata"
	"zsbot/bot/wecompeer"
	"zsbot/cmd/zsbench/loadgen"
	"zsbot/config"
	"zsbot/storage"
)

const usage = `Usage: zsbench [flags]

Drives a running "zsbot serve" as WeCom would: signed, encrypted callbacks
from simulated officers sending a realistic mix (60% activities, 15%
签约/开工/到位, 15% 查/我的/统计, 10% 任务/完成). It registers the officers as
the admin (--admin, one of ZSBOT_ADMINS), creates their projects, then runs
for --duration at --rate messages per second (0 = as fast as --workers go)
and reports commands/s, latency percentiles, errors, the bot's CPU per 1,000
commands and RSS (with --pid), Redis commands per command (INFO
commandstats) and the bot's Redis round trips per command (its /metrics on
ZSBOT_ADMIN_ADDR).
With --acks it writes every acknowledged message to a file, which
--verify checks against the audit stream afterwards.

--mix read is issue 18's read-heavy mix: 8% 统计 (本月 and 本年), 13% 我的, the
rest as the default mix. --rounds N runs the timed run N times after one
setup and reports each round on its own.

--preload-years N writes N years of a seed-sized bureau's history (ending
today; --preload-scale K times the seed's volume) into the empty bureau of
ZSBOT_REDIS_URL with storage's bulk Load, rebuilds the figures' aggregates,
and exits: run it before "zsbot serve" and the load.

--serve-crypto ADDR serves, instead of a run, the crypto-only bound on ADDR
until interrupted: WeCom's HTTP, signature and AES with a passive echo,
nothing else (no Redis, no handler); the same load against it measures
what the protocol alone costs on this machine.

It reads the same environment as zsbot serve: ZSBOT_WECOM_TOKEN, ZSBOT_WECOM_AES_KEY,
ZSBOT_WECOM_CORP_ID and ZSBOT_WECOM_AGENT_ID sign and encrypt; ZSBOT_HTTP_ADDR
and ZSBOT_CALLBACK_PATH give the default --url; ZSBOT_REDIS_URL is the Redis
whose INFO is read. The exit code is 1 when any message failed. See
BENCHMARKS.md.

`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is zsbench with args; it returns the exit code: 0 when every message
// was answered, 1 when one failed or the run could not start, 2 for bad
// flags.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbench", flag.ContinueOnError)
	var c loadgen.Config
	url := fs.String("url", "", "the callback URL (default from ZSBOT_HTTP_ADDR and ZSBOT_CALLBACK_PATH, on 127.0.0.1)")
	fs.StringVar(&c.Admin, "admin", "", "admin userid that registers the officers (default the first of ZSBOT_ADMINS)")
	fs.IntVar(&c.Officers, "officers", 100, "simulated officers")
	fs.IntVar(&c.Projects, "projects", 20, "projects per officer at the start (签约 registers a new one when none is left to sign)")
	fs.DurationVar(&c.Duration, "duration", time.Minute, "length of the timed run (of each round)")
	fs.IntVar(&c.Rounds, "rounds", 1, "timed runs after one setup, each reported on its own")
	mix := fs.String("mix", "default", "the mix of commands: default (the issue-6 mix) or read (issue 18's: 8% 统计 本月/本年, 13% 我的)")
	preloadYears := fs.Int("preload-years", 0, "instead of a run, load N years of a seed-sized bureau's history into the empty bureau of ZSBOT_REDIS_URL")
	preloadScale := fs.Int("preload-scale", 1, "with --preload-years: each year's volume in seed years")
	serveCrypto := fs.String("serve-crypto", "", "instead of a run, serve the crypto-only bound (WeCom's HTTP, signature and AES, an echo) on ADDR")
	fs.Float64Var(&c.Rate, "rate", 3000, "messages per second (0 = as fast as the workers go)")
	fs.IntVar(&c.Workers, "workers", 64, "concurrent deliveries")
	fs.IntVar(&c.PID, "pid", 0, "process id of zsbot serve, for its CPU time and RSS (/proc)")
	fs.IntVar(&c.Copies, "copies", 1, "deliver each message 1..N times at once (duplicate deliveries)")
	fs.IntVar(&c.Retries, "retries", 0, "retries of a delivery that got no 200, as WeCom's (it makes 3)")
	fs.DurationVar(&c.RetryDelay, "retry-delay", 5*time.Second, "pause before a retry")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Second, "per request")
	fs.StringVar(&c.Tag, "tag", "", "digits naming this run's officers (default from the clock)")
	fs.Uint64Var(&c.Seed, "seed", 0, "random seed (default from the clock)")
	acks := fs.String("acks", "", "write every acknowledged message (200 with a reply) to FILE as JSON lines")
	profile := fs.String("cpuprofile", "", "write the load generator's own CPU profile to FILE")
	verify := fs.String("verify", "", "instead of a run, check the acks FILE of a run against the audit stream of ZSBOT_REDIS_URL")
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage); fs.PrintDefaults() }
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err == flag.ErrHelp {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "zsbench: unexpected argument %q (flags only)\n", fs.Arg(0))
		return 2
	}
	var ok bool
	if c.Mix, ok = loadgen.Mixes[*mix]; !ok {
		fmt.Fprintf(stderr, "zsbench: --mix %q: want default or read\n", *mix)
		return 2
	}
	if *preloadYears < 0 || *preloadYears > 100 || *preloadScale < 1 || *preloadScale > 100 {
		fmt.Fprintln(stderr, "zsbench: --preload-years takes 1 to 100 years and --preload-scale 1 to 100, e.g. --preload-years 10")
		return 2
	}
	cfg, err := config.Load(os.Environ())
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	if *serveCrypto != "" {
		return runCryptoOnly(ctx, cfg.WeCom, *serveCrypto, stderr)
	}
	if *preloadYears > 0 && cfg.RedisURL == "" {
		fmt.Fprintln(stderr, "zsbench: --preload-years needs ZSBOT_REDIS_URL")
		return 2
	}
	w := cfg.WeCom
	c.Client = wecompeer.Client{Token: w.Token, AESKey: w.AESKey, CorpID: w.CorpID, AgentID: w.AgentID}
	if c.URL = *url; c.URL == "" {
		c.URL = localURL(cfg.HTTPAddr, cfg.CallbackPath)
	}
	if cfg.AdminAddr != "" {
		c.MetricsURL = localURL(cfg.AdminAddr, "/metrics")
	}
	if c.Admin == "" && len(cfg.Admins) > 0 {
		c.Admin = cfg.Admins[0]
	}
	if cfg.RedisURL != "" {
		rdb, err := storage.Dial(cfg.RedisURL)
		if err != nil {
			fmt.Fprintln(stderr, "zsbench: ZSBOT_REDIS_URL:", err)
			return 1
		}
		defer rdb.Close()
		c.Redis = rdb
		if *verify != "" {
			return runVerify(ctx, storage.New(rdb, cfg.Bureau), *verify, stdout, stderr)
		}
		if *preloadYears > 0 {
			today := zsbot.DateOf(time.Now().In(cfg.Location))
			return runPreload(ctx, storage.New(rdb, cfg.Bureau), benchdata.Config{Years: *preloadYears, Scale: *preloadScale, End: today, Seed: 18}, stdout, stderr)
		}
	} else if *verify != "" {
		fmt.Fprintln(stderr, "zsbench: --verify needs ZSBOT_REDIS_URL")
		return 2
	}
	if *acks != "" {
		f, err := os.Create(*acks)
		if err != nil {
			fmt.Fprintln(stderr, "zsbench:", err)
			return 1
		}
		defer f.Close()
		c.Acks = f
	}
	c.Log = stderr
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fmt.Fprintln(stderr, "zsbench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "zsbench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	res, err := loadgen.Run(ctx, c)
	if res != nil && res.Setup != nil {
		res.Setup.Format(stdout)
	}
	if res != nil {
		for _, p := range res.Rounds {
			p.Format(stdout)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	if res.Errors() > 0 {
		return 1
	}
	return 0
}

// runPreload is `zsbench --preload-years N`: the history of benchdata into
// an empty bureau, then its aggregates rebuilt. A bureau with people is
// refused and left as it is.
func runPreload(ctx context.Context, db *storage.DB, c benchdata.Config, stdout, stderr io.Writer) int {
	people, err := db.People(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	if len(people) > 0 {
		fmt.Fprintf(stderr, "zsbench: --preload-years loads into an empty bureau only; this one has %d people registered, nothing loaded\n", len(people))
		return 1
	}
	start := time.Now()
	recs := benchdata.Generate(c)
	if err := db.Load(ctx, recs); err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	loaded := time.Since(start)
	if _, err := db.RebuildAggregates(ctx, true); err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	fmt.Fprintf(stdout, "preload: %d records, %d years at %d× the seed's volume up to %s, in %.1fs (aggregates rebuilt in %.1fs)\n",
		len(recs), c.Years, c.Scale, c.End, loaded.Seconds(), (time.Since(start) - loaded).Seconds())
	return 0
}

// runCryptoOnly is `zsbench --serve-crypto ADDR`: the crypto-only bound,
// served until ctx ends.
func runCryptoOnly(ctx context.Context, w config.WeCom, addr string, stderr io.Writer) int {
	h, err := loadgen.NewCryptoOnly(w.Token, w.AESKey, w.CorpID)
	if err != nil {
		fmt.Fprintln(stderr, "zsbench: --serve-crypto:", err)
		return 1
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbench: --serve-crypto:", err)
		return 1
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	fmt.Fprintf(stderr, "zsbench: serving the crypto-only bound on %s\n", l.Addr())
	if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(stderr, "zsbench: --serve-crypto:", err)
		return 1
	}
	return 0
}

// localURL is the callback URL of a serve listening on addr, reached on
// loopback when addr names no host.
func localURL(addr, path string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + path
}

// runVerify is `zsbench --verify FILE`: every acknowledged write of a
// run is in the audit stream once, and nothing is there twice.
func runVerify(ctx context.Context, db *storage.DB, path string, stdout, stderr io.Writer) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	defer f.Close()
	v, err := loadgen.Verify(ctx, db, f)
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	v.Format(stdout)
	if !v.OK() {
		return 1
	}
	return 0
}
