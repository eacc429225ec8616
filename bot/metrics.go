package bot

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"zsbot/storage"
)

// Metrics are the process's Prometheus metrics, on a registry of their own
// (never the global one), served at /metrics.
type Metrics struct {
	reg        *prometheus.Registry
	commands   *prometheus.CounterVec
	handled    *prometheus.HistogramVec
	duplicates prometheus.Counter
	takeovers  prometheus.Counter
	writeRefs  *prometheus.CounterVec
	refusals   *prometheus.CounterVec
	depth      prometheus.Gauge
	oldest     prometheus.Gauge
	dead       prometheus.Gauge
	buried     *prometheus.CounterVec
	sends      *prometheus.CounterVec
	misconf    *prometheus.GaugeVec
	jobs       *prometheus.CounterVec
	roundTrips prometheus.Counter
	shed       prometheus.Counter
}

// NewMetrics returns a fresh set of metrics on a new registry, with the Go
// runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_commands_total", Help: "Commands handled, by verb and outcome.",
		}, []string{"verb", "outcome"}),
		handled: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "zsbot_callback_duration_seconds", Help: "Time to answer a callback POST, by outcome.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"outcome"}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zsbot_callback_duplicates_total", Help: "Retried deliveries answered from the once-only record.",
		}),
		takeovers: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zsbot_callback_takeovers_total", Help: "Claims of a dead instance's unfinished commands taken over by a retry, which ran them.",
		}),
		writeRefs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_redis_write_refusals_total", Help: "Messages whose writes Redis refused, by cause (oom, misconf, readonly, noreplicas); each was answered, nothing written.",
		}, []string{"cause"}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_callback_refusals_total", Help: "Callback requests refused, by reason.",
		}, []string{"reason"}),
		depth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zsbot_outbox_depth", Help: "Messages waiting in the outbox.",
		}),
		oldest: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zsbot_outbox_oldest_age_seconds", Help: "Age of the oldest message in the outbox (0 when empty).",
		}),
		dead: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zsbot_outbox_dead_letters", Help: "Messages WeCom refused for good, kept in the dead-letter list (zsbot outbox list).",
		}),
		buried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_outbox_dead_letters_total", Help: "Messages moved to the dead-letter list, by cause (rejected, destination, gave_up).",
		}, []string{"cause"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_sends_total", Help: "Send attempts to WeCom, by channel and outcome (ok, retry, rate_limited, config_error, token_refresh).",
		}, []string{"channel", "outcome"}),
		misconf: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "zsbot_send_channel_misconfigured", Help: "1 while WeCom rejects the app's configuration for a channel, or the configuration of one of its destinations (until a send there succeeds or its dead letters are dropped).",
		}, []string{"channel"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zsbot_job_runs_total", Help: "Scheduled job runs, by job and outcome.",
		}, []string{"job", "outcome"}),
		roundTrips: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zsbot_redis_roundtrips_total", Help: "Round trips to Redis: commands, scripts and pipelines, each one.",
		}),
		shed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "zsbot_http_connections_shed_total", Help: "Connections waiting for a request closed to make room under ZSBOT_MAX_CONNS.",
		}),
	}
	m.reg.MustRegister(m.commands, m.handled, m.duplicates, m.takeovers, m.writeRefs, m.refusals, m.depth, m.oldest, m.dead, m.buried, m.sends, m.misconf, m.jobs, m.roundTrips, m.shed,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, r := range []string{"signature", "stale", "xml", "ciphertext", "receive_id", "too_large", "redis"} {
		m.refusals.WithLabelValues(r)
	}
	for _, c := range []string{storage.CauseOOM, storage.CauseMisconf, storage.CauseReadOnly, storage.CauseNoReplicas} {
		m.writeRefs.WithLabelValues(c)
	}
	return m
}

// countWriteRefusal counts err in zsbot_redis_write_refusals_total when it
// is Redis refusing a write, and reports whether it was.
func (m *Metrics) countWriteRefusal(err error) bool {
	cause := storage.RefusalCause(err)
	if cause != "" {
		m.writeRefs.WithLabelValues(cause).Inc()
	}
	return cause != ""
}

// Registry returns the metrics' registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler returns the /metrics endpoint.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// CountCommand counts one command of verb (its canonical name, such as
// "签约" or "help"; "unknown" for unparsed text) with outcome ("ok", or the
// zsbot error code of a refusal such as "invalid" or "forbidden"). The
// handlers' mux calls it once per message.
func (m *Metrics) CountCommand(verb, outcome string) {
	m.commands.WithLabelValues(verb, outcome).Inc()
}

// CountJob counts one run of the scheduled job name with outcome ("ok",
// "error" or "skipped").
func (m *Metrics) CountJob(name, outcome string) {
	m.jobs.WithLabelValues(name, outcome).Inc()
}

// CountRoundTrips counts every round trip of rdb to Redis — a command, a
// script or a pipeline (a transaction too) is one — in
// zsbot_redis_roundtrips_total.
func (m *Metrics) CountRoundTrips(rdb redis.UniversalClient) {
	rdb.AddHook(roundTripHook{m.roundTrips})
}

// roundTripHook counts round trips.
type roundTripHook struct{ c prometheus.Counter }

func (h roundTripHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h roundTripHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		h.c.Inc()
		return next(ctx, cmd)
	}
}

func (h roundTripHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		h.c.Inc()
		return next(ctx, cmds)
	}
}
