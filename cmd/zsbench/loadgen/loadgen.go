// Package loadgen drives a running `zsbot serve` the way WeCom does: signed,
// encrypted callbacks over HTTP from simulated officers sending a realistic
// mix of commands. It registers the officers (as an admin), creates their
// projects, then sends for a duration at a target rate or as fast as its
// workers can, and measures throughput, latency, errors, the bot's CPU and
// memory (from /proc) and Redis's work per command (INFO commandstats). It
// writes every acknowledged message (200 with a reply) to an acks file, so
// that a checker can verify that each acknowledged write is stored.
// Command zsbench runs it; zsbot's end-to-end tests run it in-process.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot/bot/wecompeer"
)

// Config is one run.
type Config struct {
	URL    string           // the callback URL
	Client wecompeer.Client // the app's token, AES key, corp id and agent id
	Admin  string           // an admin's userid (in ZSBOT_ADMINS) to register the officers

	Officers int           // simulated officers; default 100
	Projects int           // projects per officer at the start; default 20 (a 签约 with none left to sign registers a new one)
	Duration time.Duration // length of the timed run (of each round); default 60s
	Rounds   int           // timed runs one after the other, each measured on its own; default 1
	Rate     float64       // messages per second; 0 = as fast as Workers allow
	Workers  int           // concurrent deliveries; default 64
	Mix      Mix           // default DefaultMix
	Tag      string        // digits naming this run's officers and projects; default from the clock
	Seed     uint64        // random seed; default from the clock

	Timeout    time.Duration // per HTTP request; default 10s
	Retries    int           // WeCom's retries of a delivery without 200 (WeCom makes 3); default 0
	RetryDelay time.Duration // pause before a retry; default 5s as WeCom's
	Copies     int           // deliver each message 1..Copies times at once; default 1

	PID        int                   // the bot's process id, for CPU and RSS; 0 = not measured
	Redis      redis.UniversalClient // the bot's Redis, for INFO; nil = not measured
	MetricsURL string                // the bot's /metrics; "" = not scraped
	Acks       io.Writer             // acknowledged messages as JSON lines; may be nil
	Log        io.Writer             // progress lines; may be nil
}

// Result is a run's measurements.
type Result struct {
	Officers, Projects int // officers and projects per officer
	Setup, Run         *Phase
	// Rounds are the timed runs, Config.Rounds of them in order; Run is the
	// first.
	Rounds []*Phase
}

func (c *Config) defaults() error {
	if c.URL == "" || c.Client.Token == "" || c.Client.AESKey == "" || c.Client.CorpID == "" {
		return errors.New("loadgen: the callback URL, token, AES key and corp id are required")
	}
	if c.Admin == "" {
		return errors.New("loadgen: an admin userid (one of ZSBOT_ADMINS) is required to register the officers")
	}
	c.Officers = cmp(c.Officers, 100)
	c.Workers = cmp(c.Workers, 64)
	c.Duration = cmpDur(c.Duration, time.Minute)
	c.Timeout = cmpDur(c.Timeout, 10*time.Second)
	c.RetryDelay = cmpDur(c.RetryDelay, 5*time.Second)
	c.Copies = cmp(c.Copies, 1)
	c.Rounds = cmp(c.Rounds, 1)
	if c.Mix == nil {
		c.Mix = DefaultMix
	}
	if c.Tag == "" {
		c.Tag = strconv.FormatInt(time.Now().Unix()%100000, 10)
	}
	if c.Seed == 0 {
		c.Seed = uint64(time.Now().UnixNano())
	}
	c.Projects = cmp(c.Projects, 20)
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}

func cmp(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func cmpDur(v, def time.Duration) time.Duration {
	if v <= 0 {
		return def
	}
	return v
}

// Run sets up the officers and their projects, then runs the timed mix.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	send, err := newSender(&cfg)
	if err != nil {
		return nil, err
	}
	defer send.conns.close()
	g := &gen{cfg: cfg, send: send, officers: newOfficers(cfg.Tag, cfg.Officers, cfg.Projects),
		probe: &probe{pid: cfg.PID, rdb: cfg.Redis, metricsURL: cfg.MetricsURL, http: &http.Client{Timeout: 5 * time.Second}}}
	res := &Result{Officers: cfg.Officers, Projects: cfg.Projects}
	fmt.Fprintf(cfg.Log, "setup: %d officers with %d projects each (tag %s)\n", cfg.Officers, cfg.Projects, cfg.Tag)
	if res.Setup, err = g.setup(ctx); err != nil {
		return res, err
	}
	for i := range cfg.Rounds {
		name := "run"
		if cfg.Rounds > 1 {
			name = fmt.Sprintf("round %d", i+1)
		}
		fmt.Fprintf(cfg.Log, "%s: %s at %s with %d workers\n", name, cfg.Duration, rateText(cfg.Rate), cfg.Workers)
		p, err := g.run(ctx, name)
		if p != nil {
			res.Rounds = append(res.Rounds, p)
			res.Run = res.Rounds[0]
		}
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// Errors returns the messages of the timed rounds whose outcome counts as
// an error.
func (r *Result) Errors() int {
	n := 0
	for _, p := range r.Rounds {
		n += p.ErrorCount()
	}
	return n
}

func rateText(r float64) string {
	if r == 0 {
		return "full speed"
	}
	return fmt.Sprintf("%.0f/s", r)
}

// gen is one run in progress.
type gen struct {
	cfg      Config
	send     *sender
	officers []*officer
	probe    *probe
	today    time.Time
}

// phase measures the work of body, sampling the probes around it and the
// bot's RSS every second during it.
func (g *gen) phase(ctx context.Context, name string, acks io.Writer, body func(*recorder) error) (*Phase, error) {
	rec := newRecorder(name, acks)
	before, err := g.probe.sample(ctx)
	if err != nil {
		fmt.Fprintf(g.cfg.Log, "%s: probe: %v\n", name, err)
	}
	var rssMax int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		last := time.Now()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if g.cfg.PID > 0 {
				if _, rss, err := procStat(g.cfg.PID); err == nil {
					rssMax = max(rssMax, rss)
				}
			}
			if time.Since(last) >= 5*time.Second {
				last = time.Now()
				n, e := rec.count()
				fmt.Fprintf(g.cfg.Log, "%s: %d messages, %d errors, %.0f/s\n", name, n, e, float64(n)/time.Since(rec.started).Seconds())
			}
		}
	})
	berr := body(rec)
	close(stop)
	wg.Wait()
	p := rec.finish()
	p.Before = before
	p.After, _ = g.probe.sample(ctx)
	p.RSSMax = max(rssMax, p.After.BotRSS)
	if berr == nil && rec.ackErr != nil {
		berr = fmt.Errorf("loadgen: write acks: %w", rec.ackErr)
	}
	return p, berr
}

// rng returns a random source for worker i.
func (g *gen) rng(i int) *rand.Rand { return rand.New(rand.NewPCG(g.cfg.Seed, uint64(i))) }
