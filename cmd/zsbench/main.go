// Command zsbench is the load generator of zsbot: it drives a running
// "zsbot serve" as WeCom would, with signed, encrypted callbacks from
// simulated officers, and reports throughput, latency, errors and the
// bot's and Redis's work per command (see BENCHMARKS.md).
//
//	zsbench [--rate N] [--duration D] [--pid PID] [--acks FILE]
//	zsbench --verify FILE
//
// It is a command of its own so that zsbot links none of it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

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
	fs.DurationVar(&c.Duration, "duration", time.Minute, "length of the timed run")
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
	cfg, err := config.Load(os.Environ())
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
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
	if res != nil && res.Run != nil {
		res.Run.Format(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "zsbench:", err)
		return 1
	}
	if res.Run.ErrorCount() > 0 {
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
