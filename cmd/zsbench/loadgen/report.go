package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Phase is what one phase of a run (setup or the timed run) measured.
type Phase struct {
	Name       string
	Messages   int            // distinct messages with a final outcome
	Elapsed    time.Duration  // wall time of the phase
	Outcomes   map[string]int // by outcome (OutReply, OutUnavailable, …)
	Verbs      map[string]int // messages by verb
	Retried    int            // messages that needed WeCom's retries
	Retried503 int            // … after a 503
	Errors     []string       // the first few error texts

	P50, P95, P99, Max, Mean time.Duration               // latency: scheduled send to final answer
	ByVerb                   map[string][3]time.Duration // p50, p99 and max of each verb

	Before, After Sample // probes at the start and end
	RSSMax        int64  // largest bot RSS seen during the phase
}

// Rate returns messages per second.
func (p *Phase) Rate() float64 { return float64(p.Messages) / p.Elapsed.Seconds() }

// ErrorCount returns the messages whose outcome counts as an error.
func (p *Phase) ErrorCount() int {
	n := 0
	for o, c := range p.Outcomes {
		if IsError(o) {
			n += c
		}
	}
	return n
}

// CPUPerThousand returns the bot's CPU seconds per 1,000 messages.
func (p *Phase) CPUPerThousand() float64 {
	return (p.After.BotCPU - p.Before.BotCPU).Seconds() * 1000 / float64(max(p.Messages, 1))
}

// RedisCPUPerThousand returns Redis's CPU seconds per 1,000 messages.
func (p *Phase) RedisCPUPerThousand() float64 {
	return (p.After.RedisCPU - p.Before.RedisCPU).Seconds() * 1000 / float64(max(p.Messages, 1))
}

// per divides a counter's growth over the phase by its messages.
func (p *Phase) per(f func(Sample) int64) float64 {
	return float64(f(p.After)-f(p.Before)) / float64(max(p.Messages, 1))
}

// recorder collects a phase's results from many workers.
type recorder struct {
	mu      sync.Mutex
	phase   *Phase
	lat     []time.Duration
	byVerb  map[string][]time.Duration
	acks    io.Writer
	ackErr  error
	started time.Time
}

func newRecorder(name string, acks io.Writer) *recorder {
	return &recorder{phase: &Phase{Name: name, Outcomes: map[string]int{}, Verbs: map[string]int{}}, byVerb: map[string][]time.Duration{},
		acks: acks, started: time.Now()}
}

// Ack is one acknowledged message (200 with a reply), as written to the
// acks file: a checker verifies that every acknowledged write is stored.
type Ack struct {
	MsgID string `json:"msgid"`
	User  string `json:"user"`
	Verb  string `json:"verb"`
	Text  string `json:"text"`
	Reply string `json:"reply"`
	Write bool   `json:"write"` // a write command whose reply confirms it (starts with 已)
}

// add records one message's outcome and latency.
func (r *recorder) add(user string, c command, d delivery, lat time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phase
	p.Messages++
	p.Outcomes[d.outcome]++
	p.Verbs[c.verb]++
	if d.retries > 0 {
		p.Retried++
	}
	if d.saw503 {
		p.Retried503++
	}
	r.lat = append(r.lat, lat)
	r.byVerb[c.verb] = append(r.byVerb[c.verb], lat)
	if IsError(d.outcome) && len(p.Errors) < 10 && d.err != nil {
		p.Errors = append(p.Errors, d.outcome+": "+d.err.Error())
	}
	if d.outcome != OutReply || r.acks == nil || r.ackErr != nil {
		return
	}
	a := Ack{MsgID: d.msgID, User: user, Verb: c.verb, Text: c.text, Reply: d.reply, Write: c.write && strings.HasPrefix(d.reply, "已")}
	b, _ := json.Marshal(a)
	_, r.ackErr = r.acks.Write(append(b, '\n'))
}

// finish computes the latency percentiles and returns the phase.
func (r *recorder) finish() *Phase {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phase
	p.Elapsed = time.Since(r.started)
	if len(r.lat) == 0 {
		return p
	}
	p.P50, p.P95, p.P99, p.Max = quantiles(r.lat)
	p.ByVerb = map[string][3]time.Duration{}
	for v, l := range r.byVerb {
		p50, _, p99, top := quantiles(l)
		p.ByVerb[v] = [3]time.Duration{p50, p99, top}
	}
	var sum time.Duration
	for _, l := range r.lat {
		sum += l
	}
	p.Mean = sum / time.Duration(len(r.lat))
	return p
}

// quantiles sorts l and returns its median, 95th and 99th percentiles and
// maximum.
func quantiles(l []time.Duration) (p50, p95, p99, top time.Duration) {
	slices.Sort(l)
	at := func(q float64) time.Duration { return l[min(len(l)-1, int(q*float64(len(l))))] }
	return at(0.50), at(0.95), at(0.99), l[len(l)-1]
}

// count returns the messages and errors so far, for progress lines.
func (r *recorder) count() (msgs, errs int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.phase.Messages, r.phase.ErrorCount()
}

// Format writes the phase as the report's table.
func (p *Phase) Format(w io.Writer) {
	fmt.Fprintf(w, "%s: %d messages in %.1fs = %.0f commands/s\n", p.Name, p.Messages, p.Elapsed.Seconds(), p.Rate())
	fmt.Fprintf(w, "  latency      p50 %s  p95 %s  p99 %s  max %s  mean %s\n", ms(p.P50), ms(p.P95), ms(p.P99), ms(p.Max), ms(p.Mean))
	fmt.Fprintf(w, "  outcomes     %s\n", counts(p.Outcomes))
	fmt.Fprintf(w, "  errors       %d (%d messages needed retries, %d after a 503)\n", p.ErrorCount(), p.Retried, p.Retried503)
	fmt.Fprintf(w, "  verbs        %s\n", counts(p.Verbs))
	verbs := make([]string, 0, len(p.ByVerb))
	for v := range p.ByVerb {
		verbs = append(verbs, v)
	}
	sort.Slice(verbs, func(i, j int) bool { return p.Verbs[verbs[i]] > p.Verbs[verbs[j]] })
	for _, v := range verbs {
		q := p.ByVerb[v]
		fmt.Fprintf(w, "    %-6s p50 %s  p99 %s  max %s\n", v, ms(q[0]), ms(q[1]), ms(q[2]))
	}
	if p.After.BotCPU > 0 {
		fmt.Fprintf(w, "  bot CPU      %.3f s per 1,000 commands (%.2f cores)\n", p.CPUPerThousand(), (p.After.BotCPU-p.Before.BotCPU).Seconds()/p.Elapsed.Seconds())
		fmt.Fprintf(w, "  bot RSS      %.1f MB at the end, %.1f MB at most\n", mb(p.After.BotRSS), mb(p.RSSMax))
	}
	fmt.Fprintf(w, "  load gen CPU %.3f s per 1,000 commands\n", (p.After.GenCPU-p.Before.GenCPU).Seconds()*1000/float64(max(p.Messages, 1)))
	if p.After.RedisCommands > 0 {
		fmt.Fprintf(w, "  redis        %.2f commands per command (INFO commandstats, scripts' own calls included); %.3f CPU s per 1,000\n",
			p.per(func(s Sample) int64 { return s.RedisCalls }), p.RedisCPUPerThousand())
		fmt.Fprintf(w, "  redis memory %.1f MB → %.1f MB\n", mb(p.Before.RedisMemory), mb(p.After.RedisMemory))
	}
	if n := p.After.BotCommands - p.Before.BotCommands; n > 0 {
		fmt.Fprintf(w, "  round trips  %.2f Redis round trips per command (bot's own count over %d commands)\n",
			float64(p.After.RoundTrips-p.Before.RoundTrips)/float64(n), n)
	}
	for _, e := range p.Errors {
		fmt.Fprintf(w, "  error: %s\n", e)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
