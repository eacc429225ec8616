package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"zsbot"
	"zsbot/chart"
)

// fakeCharts draws a fixed "PNG" and records the data it was given.
type fakeCharts struct {
	png  []byte
	err  error
	half *chart.HalfMonthly
	q    *chart.Quarterly
}

func (f *fakeCharts) HalfMonthlyPNG(d *chart.HalfMonthly) ([]byte, error) {
	f.half = d
	return f.png, f.err
}
func (f *fakeCharts) QuarterlyPNG(d *chart.Quarterly) ([]byte, error) { f.q = d; return f.png, f.err }

// TestQuarterlyChartData checks the numbers behind the 季度考核's chart
// against the golden file and the text: the same units in the same order,
// each bar's parts adding up to its score.
func TestQuarterlyChartData(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	q, err := loadQuarter(ctx, db, at(2025, 1, 1, 9, 40))
	if err != nil {
		t.Fatal(err)
	}
	d := quarterlyData(q)
	got, _ := json.MarshalIndent(d, "", "  ")
	golden(t, "quarterly-2025-01-01.chart", string(got)+"\n")
	if len(d.Parks) != len(q.parks) || len(d.Parks) == 0 || len(d.Officers) == 0 || len(d.Parts) != len(q.weights) {
		t.Fatalf("chart of %d parks, %d officers, %d parts; scores of %d parks, %d weights", len(d.Parks), len(d.Officers), len(d.Parts), len(q.parks), len(q.weights))
	}
	for _, st := range append(append([]chart.Stack(nil), d.Parks...), d.Officers...) {
		sum := 0.0
		for _, p := range st.Parts {
			sum += p
		}
		if math.Abs(sum-st.Total) > 0.05*float64(len(st.Parts)) {
			t.Errorf("%s: parts %v add up to %.1f, score %.1f", st.Label, st.Parts, sum, st.Total)
		}
	}
	drafts, err := buildQuarterly(ctx, db, at(2025, 1, 1, 9, 40))
	if err != nil {
		t.Fatal(err)
	}
	if top := d.Parks[0]; !bytes.Contains([]byte(drafts[0].Text), []byte(top.Label+" **")) {
		t.Errorf("the chart's first park %s is not in the text:\n%s", top.Label, drafts[0].Text)
	}
}

// TestNoticeWithChart checks that each group (robot or app chat) gets the
// notice's text and then one image of its chart, and that a chart that
// fails leaves the text as it was.
func TestNoticeWithChart(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	png := []byte("\x89PNG\r\n\x1a\nchart")
	plain, err := Lookup(HalfMonthly).Messages(ctx, db, at(2024, 12, 16, 9, 10), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{HalfMonthly, Quarterly} {
		t.Run(name, func(t *testing.T) {
			fc := &fakeCharts{png: png}
			var n *Notice
			for _, x := range WithCharts(fc, nil) {
				if x.Name == name {
					n = x
				}
			}
			msgs, err := n.Messages(ctx, db, at(2025, 1, 1, 9, 40), false)
			if err != nil {
				t.Fatal(err)
			}
			images, groups := 0, 0
			for i, m := range msgs {
				switch {
				case m.Format == zsbot.FormatImage:
					images++
					prev := msgs[i-1]
					if i == 0 || prev.Channel != m.Channel || prev.To[0] != m.To[0] || prev.Format != zsbot.FormatMarkdown || !bytes.Equal(m.Image, png) || m.Tag != name {
						t.Errorf("image %d does not follow its robot's text: %+v after %+v", i, m, prev)
					}
				case m.Channel == zsbot.ChannelRobot || m.Channel == zsbot.ChannelAppChat:
					groups++
				}
			}
			if groups == 0 || images != groups {
				t.Fatalf("%d group texts, %d images", groups, images)
			}
			if fc.half == nil && fc.q == nil {
				t.Fatal("the chart was not drawn from its data")
			}
		})
	}
	t.Run("Failing", func(t *testing.T) {
		n := halfMonthlyNotice.withCharts(&fakeCharts{err: errors.New("no font")}, nil)
		msgs, err := n.Messages(ctx, db, at(2024, 12, 16, 9, 10), false)
		if err != nil {
			t.Fatal(err)
		}
		if render(msgs) != render(plain) {
			t.Fatalf("a failing chart changed the text:\n%s\nwant\n%s", render(msgs), render(plain))
		}
	})
	t.Run("NoChart", func(t *testing.T) {
		if _, err := Lookup(Monthly).withCharts(&fakeCharts{png: png}, nil).Chart(ctx, db, at(2024, 12, 1, 9, 20)); !errors.Is(err, ErrNoChart) {
			t.Fatalf("月度协调 has a chart: %v", err)
		}
	})
}
