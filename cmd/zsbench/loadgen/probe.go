package loadgen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// clockTick is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100
// on every Linux architecture Go runs on.
const clockTick = 10 * time.Millisecond

// Sample is what the probes read at one moment: the bot process's CPU
// time and memory, Redis's counters and the bot's own metrics. Fields that
// could not be read are zero.
type Sample struct {
	BotCPU        time.Duration // utime+stime of the bot process
	BotRSS        int64         // resident set of the bot, bytes
	RedisCalls    int64         // sum of calls over INFO commandstats (script-internal calls included)
	RedisCommands int64         // total_commands_processed: commands sent by clients
	RedisCPU      time.Duration // used_cpu_user + used_cpu_sys of Redis
	RedisMemory   int64         // used_memory, bytes
	RoundTrips    int64         // zsbot_redis_roundtrips_total of the bot
	BotCommands   int64         // sum of zsbot_commands_total of the bot
	GenCPU        time.Duration // utime+stime of this load generator
}

// probe reads the samples of one run.
type probe struct {
	pid        int
	rdb        redis.UniversalClient // nil: no Redis figures
	metricsURL string                // the bot's /metrics ("" = none)
	http       *http.Client
}

// sample reads everything it can; the first error is returned beside the
// partial sample.
func (p *probe) sample(ctx context.Context) (Sample, error) {
	var s Sample
	s.GenCPU, _, _ = procStat(os.Getpid())
	var first error
	keep := func(err error) {
		if first == nil && err != nil {
			first = err
		}
	}
	if p.pid > 0 {
		var err error
		s.BotCPU, s.BotRSS, err = procStat(p.pid)
		keep(err)
	}
	if p.rdb != nil {
		keep(p.redisInfo(ctx, &s))
	}
	if p.metricsURL != "" {
		keep(p.botMetrics(ctx, &s))
	}
	return s, first
}

// procStat reads a process's CPU time (/proc/PID/stat) and RSS
// (/proc/PID/status).
func procStat(pid int) (time.Duration, int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) may hold spaces; fields count from after it.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, 0, fmt.Errorf("loadgen: /proc/%d/stat: %d fields", pid, len(f))
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, _ := strconv.ParseInt(f[12], 10, 64) // field 15
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	var rss int64
	for _, line := range strings.Split(string(st), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			rss = kb << 10
		}
	}
	return time.Duration(utime+stime) * clockTick, rss, nil
}

// redisInfo reads INFO commandstats, stats, cpu and memory.
func (p *probe) redisInfo(ctx context.Context, s *Sample) error {
	info, err := p.rdb.Info(ctx, "commandstats", "stats", "cpu", "memory").Result()
	if err != nil {
		return fmt.Errorf("loadgen: redis INFO: %w", err)
	}
	var cpu float64
	for _, line := range strings.Split(info, "\r\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		switch {
		case strings.HasPrefix(k, "cmdstat_"):
			// calls=12,usec=34,…
			calls, _, _ := strings.Cut(strings.TrimPrefix(v, "calls="), ",")
			n, _ := strconv.ParseInt(calls, 10, 64)
			s.RedisCalls += n
		case k == "total_commands_processed":
			s.RedisCommands, _ = strconv.ParseInt(v, 10, 64)
		case k == "used_cpu_user" || k == "used_cpu_sys":
			f, _ := strconv.ParseFloat(v, 64)
			cpu += f
		case k == "used_memory":
			s.RedisMemory, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	s.RedisCPU = time.Duration(cpu * float64(time.Second))
	return nil
}

// botMetrics scrapes the bot's round-trip and command counters.
func (p *probe) botMetrics(ctx context.Context, s *Sample) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.metricsURL, nil)
	if err != nil {
		return err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return fmt.Errorf("loadgen: metrics: %w", err)
	}
	defer resp.Body.Close()
	s.RoundTrips, s.BotCommands = scrape(resp.Body)
	return nil
}

// scrape sums zsbot_redis_roundtrips_total and zsbot_commands_total over
// their labels in a Prometheus text exposition.
func scrape(r io.Reader) (roundTrips, commands int64) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name, rest, ok := strings.Cut(line, " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		name, _, _ = strings.Cut(name, "{")
		if i := strings.LastIndexByte(line, ' '); i > 0 {
			rest = line[i+1:]
		}
		v, err := strconv.ParseFloat(rest, 64)
		if err != nil {
			continue
		}
		switch name {
		case "zsbot_redis_roundtrips_total":
			roundTrips += int64(v)
		case "zsbot_commands_total":
			commands += int64(v)
		}
	}
	return roundTrips, commands
}
