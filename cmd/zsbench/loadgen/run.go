package loadgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// setup registers the officers (as the admin), then has each officer
// create their projects, sign about a third of them and start a third of
// those, and log three visits dated last month (the history 统计 上月
// reads). Every setup command must be confirmed; the first that is not
// stops the run.
func (g *gen) setup(ctx context.Context) (*Phase, error) {
	g.today = time.Now()
	return g.phase(ctx, "setup", g.cfg.Acks, func(rec *recorder) error {
		var mu sync.Mutex
		var failed error
		fail := func(err error) {
			mu.Lock()
			defer mu.Unlock()
			if failed == nil {
				failed = err
			}
		}
		confirm := func(user string, c command) bool {
			start := time.Now()
			d := g.send.deliver(ctx, user, c.text, 1)
			rec.add(user, c, d, time.Since(start))
			if d.outcome != OutReply || !strings.HasPrefix(d.reply, "已") {
				fail(fmt.Errorf("loadgen: setup %q from %s: %s %q %v", c.text, user, d.outcome, d.reply, d.err))
				return false
			}
			if c.done != nil {
				c.done(d.reply)
			}
			return true
		}
		g.each(func(o *officer) {
			confirm(g.cfg.Admin, command{verb: "人员", text: fmt.Sprintf("人员 添加 %s %s %s园区 招商员", o.id, o.name, o.park)})
		})
		if failed != nil {
			return failed
		}
		g.each(func(o *officer) {
			r := rand.New(rand.NewPCG(g.cfg.Seed, 1<<32+uint64(o.idx)))
			for _, c := range o.setupCommands(r, g.today) {
				if ctx.Err() != nil || !confirm(o.id, c) {
					return
				}
			}
		})
		return failed
	})
}

// setupCommands are an officer's commands before the run.
func (o *officer) setupCommands(r *rand.Rand, today time.Time) []command {
	var out []command
	for i, p := range o.projects {
		out = append(out, command{verb: "新项目", write: true, text: p.create(o.park, 1+r.IntN(60))})
		switch i % 9 {
		case 1, 4, 7: // a third signed …
			out = append(out, command{verb: "签约", write: true, text: p.sign(r)})
			p.stage = signed
		case 8: // … and a third of those started
			out = append(out, command{verb: "签约", write: true, text: p.sign(r)},
				command{verb: "开工", write: true, text: "开工 " + p.name})
			p.stage = started
		}
	}
	first := time.Date(today.Year(), today.Month(), 1, 12, 0, 0, 0, today.Location()).AddDate(0, -1, 0)
	for range 3 {
		day := first.AddDate(0, 0, r.IntN(28)).Format("2006-01-02")
		out = append(out, command{verb: "拜访", write: true, text: fmt.Sprintf("拜访 %s %s %s 上月走访", o.any(r).company, cities[r.IntN(len(cities))], day)})
	}
	return out
}

// each runs f for every officer on the workers.
func (g *gen) each(f func(*officer)) {
	ch := make(chan *officer)
	var wg sync.WaitGroup
	for range g.cfg.Workers {
		wg.Go(func() {
			for o := range ch {
				f(o)
			}
		})
	}
	for _, o := range g.officers {
		ch <- o
	}
	close(ch)
	wg.Wait()
}

// run sends the mix for the configured duration: at cfg.Rate messages per
// second (open loop: latency counts from when a message was due, so a bot
// that falls behind shows it), or as fast as the workers go.
func (g *gen) run(ctx context.Context, name string) (*Phase, error) {
	return g.phase(ctx, name, g.cfg.Acks, func(rec *recorder) error {
		ctx, cancel := context.WithTimeout(ctx, g.cfg.Duration+2*g.cfg.Timeout+time.Duration(g.cfg.Retries)*g.cfg.RetryDelay)
		defer cancel()
		start := time.Now()
		end := start.Add(g.cfg.Duration)
		var wg sync.WaitGroup
		if g.cfg.Rate <= 0 { // closed loop: each worker sends its next message when the last is answered
			for i := range g.cfg.Workers {
				r := g.rng(i + 1)
				wg.Go(func() {
					for now := time.Now(); now.Before(end) && ctx.Err() == nil; now = time.Now() {
						g.one(ctx, r, rec, now)
					}
				})
			}
			wg.Wait()
			return nil
		}
		due := make(chan time.Time, 1<<16)
		go g.pace(ctx, start, end, due)
		for i := range g.cfg.Workers {
			r := g.rng(i + 1)
			wg.Go(func() {
				for at := range due {
					if ctx.Err() != nil {
						continue // drain
					}
					g.one(ctx, r, rec, at)
				}
			})
		}
		wg.Wait()
		return nil
	})
}

// pace puts each message's due time on due, then closes it.
func (g *gen) pace(ctx context.Context, start, end time.Time, due chan<- time.Time) {
	defer close(due)
	interval := time.Duration(float64(time.Second) / g.cfg.Rate)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	sent := 0
	for ctx.Err() == nil {
		now := time.Now()
		if !now.Before(end) {
			return
		}
		for n := int(now.Sub(start) / interval); sent <= n; sent++ {
			due <- start.Add(time.Duration(sent) * interval)
		}
		<-tick.C
	}
}

// one sends one message of the mix from a free officer.
func (g *gen) one(ctx context.Context, r *rand.Rand, rec *recorder, at time.Time) {
	o := g.free(r)
	defer o.mu.Unlock()
	c := o.next(r, g.cfg.Mix.draw(r), g.today)
	copies := 1
	if g.cfg.Copies > 1 {
		copies = 1 + r.IntN(g.cfg.Copies)
	}
	d := g.send.deliver(ctx, o.id, c.text, copies)
	rec.add(o.id, c, d, time.Since(at))
	if d.outcome == OutReply && c.done != nil && strings.HasPrefix(d.reply, "已") {
		c.done(d.reply)
	}
}

// free locks and returns an officer with no message in flight, waiting for
// a random one when all are busy.
func (g *gen) free(r *rand.Rand) *officer {
	n := len(g.officers)
	start := r.IntN(n)
	for i := range n {
		if o := g.officers[(start+i)%n]; o.mu.TryLock() {
			return o
		}
	}
	o := g.officers[start]
	o.mu.Lock()
	return o
}
