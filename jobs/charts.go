package jobs

import (
	"context"
	"log/slog"
	"time"

	"zsbot"
	"zsbot/chart"
)

// Charts draws the PNG charts that follow the 半月通报 and the 季度考核;
// *chart.Renderer implements it. Without one (no CJK font installed) the
// notices go out as text alone.
type Charts interface {
	HalfMonthlyPNG(d *chart.HalfMonthly) ([]byte, error)
	QuarterlyPNG(d *chart.Quarterly) ([]byte, error)
}

// ErrNoChart is returned by Notice.Chart for a notice without a chart, or
// when no Charts were given (no CJK font installed); its message is for
// the leader who asked.
var ErrNoChart = zsbot.Errorf(zsbot.ECONFLICT, "这条通报没有图表，或服务器未安装中文字体（如 fonts-wqy-microhei），图表未启用。")

// chartFunc draws a notice's chart as of now.
type chartFunc func(ctx context.Context, s zsbot.Store, now time.Time, c Charts) ([]byte, error)

// WithCharts returns the registry with each notice that has a chart drawing
// it with c after its text; a chart that fails is logged to log and the
// text goes alone. c nil returns the registry as it is.
func WithCharts(c Charts, log *slog.Logger) []*Notice {
	out := make([]*Notice, len(notices))
	for i, n := range notices {
		out[i] = n.withCharts(c, log)
	}
	return out
}

func (n *Notice) withCharts(c Charts, log *slog.Logger) *Notice {
	if c == nil || n.chart == nil {
		return n
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := *n
	m.charts, m.log = c, log
	return &m
}

// Chart draws the notice's chart as of now (for 通报 预览 半月 图 and zsbot
// notice --chart); ErrNoChart when it has none.
func (n *Notice) Chart(ctx context.Context, s zsbot.Store, now time.Time) ([]byte, error) {
	if n.chart == nil || n.charts == nil {
		return nil, ErrNoChart
	}
	return n.chart(ctx, s, now, n.charts)
}

// withChart adds, after the text to each group (robot or app chat), one
// image message of the notice's chart. A chart that cannot be drawn is
// logged and left out: the text never waits for it.
func (n *Notice) withChart(ctx context.Context, s zsbot.Store, now time.Time, msgs []*zsbot.Outgoing) []*zsbot.Outgoing {
	if n.chart == nil || n.charts == nil || len(msgs) == 0 {
		return msgs
	}
	png, err := n.Chart(ctx, s, now)
	if err != nil {
		n.log.Warn("notice goes without its chart", "notice", n.Name, "err", err)
		return msgs
	}
	out := make([]*zsbot.Outgoing, 0, 2*len(msgs))
	for _, m := range msgs {
		out = append(out, m)
		if m.Channel == zsbot.ChannelRobot || m.Channel == zsbot.ChannelAppChat {
			out = append(out, &zsbot.Outgoing{Channel: m.Channel, To: m.To, Format: zsbot.FormatImage,
				Text: "［图表］" + n.Title, Image: png, Tag: m.Tag})
		}
	}
	return out
}

// halfMonthlyChart is the 半月通报's chart: the year to the end of the last
// half-month.
func halfMonthlyChart(ctx context.Context, s zsbot.Store, now time.Time, c Charts) ([]byte, error) {
	_, to := LastHalfMonth(zsbot.DateOf(now))
	d, err := chart.HalfMonthlyData(ctx, s, to)
	if err != nil {
		return nil, err
	}
	return c.HalfMonthlyPNG(d)
}
