package chart_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/chart"
	"zsbot/chart/charttest"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.json with the current data")

// mustSeed starts a real redis-server holding charttest.Seed2024.
func mustSeed(tb testing.TB) *storage.DB {
	tb.Helper()
	db := storage.New(redistest.Start(tb).Client(tb), "test")
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "admin", When: time.Unix(0, 0), Raw: "seed"}}
	for _, r := range charttest.Seed2024() {
		c.Add(nil, r)
	}
	if _, err := db.Apply(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return db
}

func golden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./chart -update creates it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test ./chart -run %s -update to accept):\n--- got\n%s\n--- want\n%s", path, t.Name(), got, want)
	}
}

// TestHalfMonthlyData checks the numbers behind the 半月通报's chart of 16
// December 2024 on the seed-shaped year: the headline carries the 966亿 and
// the 37 市外 starts, the targets' bars their % done against 95.4% of the
// year, and the cumulative lines end at the year's totals.
func TestHalfMonthlyData(t *testing.T) {
	db := mustSeed(t)
	d, err := chart.HalfMonthlyData(context.Background(), db, 20241215)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "half-monthly-2024-12-16", d)
	head := strings.Join(d.Headline, "\n")
	for _, want := range []string{"签约项目121个", "协议引资966亿元", "新开工市外项目37个", "市外项目资金到位162.7亿元", "10亿元以上项目14个"} {
		if !strings.Contains(head, want) {
			t.Errorf("headline lacks %s:\n%s", want, head)
		}
	}
	if d.Elapsed != 95.6 {
		t.Errorf("elapsed %v%%, want 350/366 = 95.6%%", d.Elapsed)
	}
	last := func(s chart.Series) float64 { return s.Values[len(s.Values)-1] }
	if len(d.Months) != 12 || last(d.Agreed[0]) != 966 || last(d.Funds[0]) != 167.7 || last(d.Agreed[1]) != 33 || last(d.Funds[1]) != 10 {
		t.Errorf("months %d, 协议引资 %v (last year %v), 到位 %v (last year %v)", len(d.Months), d.Agreed[0].Values, d.Agreed[1].Values, d.Funds[0].Values, d.Funds[1].Values)
	}
	for i := 1; i < len(d.Months); i++ {
		if d.Agreed[0].Values[i] < d.Agreed[0].Values[i-1] {
			t.Fatalf("协议引资 is not cumulative: %v", d.Agreed[0].Values)
		}
	}
	bars := map[string]chart.Bar{}
	for _, b := range d.Targets {
		bars[b.Label] = b
	}
	if b := bars["签约项目"]; b.Value != 100.8 || b.Behind || b.Note != "121/120个，完成100.8%" {
		t.Errorf("签约项目 bar %+v", b)
	}
	if b := bars["新开工市外项目"]; b.Value != 92.5 || !b.Behind {
		t.Errorf("新开工市外项目 bar %+v: 37 of 40 is behind 95.6%% of the year", b)
	}
	if b := bars["协议引资"]; b.Value != 96.6 || b.Behind || !strings.Contains(b.Note, "966亿元/1000亿元") {
		t.Errorf("协议引资 bar %+v", b)
	}
	if b := bars["拜访"]; !strings.Contains(b.Note, "家") || !strings.Contains(b.Note, "次") {
		t.Errorf("拜访 bar %+v: shows 家 and 次", b)
	}
}

// renderer returns the Renderer of the tests' own CJK font, so that the
// PNGs are drawn on every machine, with or without fonts installed.
func renderer(t *testing.T) *chart.Renderer {
	t.Helper()
	return charttest.Renderer(t)
}

// TestPNG checks that the charts decode as PNG images of their size, within
// WeCom's limit for a robot's image.
func TestPNG(t *testing.T) {
	r := renderer(t)
	db := mustSeed(t)
	d, err := chart.HalfMonthlyData(context.Background(), db, 20241215)
	if err != nil {
		t.Fatal(err)
	}
	q := &chart.Quarterly{Title: "2024年第4季度考核得分", Parts: []string{"签约项目30", "协议引资20"},
		Parks:    []chart.Stack{{Label: "双福园区", Parts: []float64{30, 12.5}, Total: 42.5}, {Label: "珞璜园区", Parts: []float64{10, 20}, Total: 30}},
		Officers: []chart.Stack{{Label: "张三（双福园区）", Parts: []float64{30, 10}, Total: 40}}}
	for _, tc := range []struct {
		name string
		draw func() ([]byte, error)
		w, h int
	}{
		{"HalfMonthly", func() ([]byte, error) { return r.HalfMonthlyPNG(d) }, 0, 0},
		{"Quarterly", func() ([]byte, error) { return r.QuarterlyPNG(q) }, 0, 0},
		{"NoTargets", func() ([]byte, error) { e := *d; e.Targets = nil; return r.HalfMonthlyPNG(&e) }, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := tc.draw()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			w, h := chart.HalfMonthlySize(d)
			switch tc.name {
			case "Quarterly":
				w, h = chart.QuarterlySize(q)
			case "NoTargets":
				e := *d
				e.Targets = nil
				w, h = chart.HalfMonthlySize(&e)
			}
			if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
				t.Errorf("image %v, want %d×%d", b, w, h)
			}
			if len(data) > chart.MaxBytes || len(data) < 10_000 {
				t.Errorf("PNG of %d bytes: over WeCom's %d, or too small to hold a chart", len(data), chart.MaxBytes)
			}
			if dir := os.Getenv("ZSBOT_CHART_DIR"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, tc.name+".png"), data, 0o644)
			}
		})
	}
}

// TestFind: Find looks for the fonts it knows under the directories it is
// given, at any depth, passes over a file of a known name that is not a
// font, and says what it searched when it finds none.
func TestFind(t *testing.T) {
	empty := t.TempDir()
	if _, err := chart.Find("", empty); !errors.Is(err, chart.ErrNoFont) || !strings.Contains(err.Error(), empty) {
		t.Fatalf("an empty font directory: %v, want ErrNoFont naming it", err)
	}
	if _, err := chart.Load(filepath.Join(t.TempDir(), "none.ttf")); err == nil {
		t.Fatal("a missing file loads")
	}
	font, err := os.ReadFile(charttest.FontPath())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	put := func(name string, data []byte) string {
		p := filepath.Join(dir, "truetype", name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	put("wqy/wqy-microhei.ttc", []byte("not a font"))
	if _, err := chart.Find("", dir); !errors.Is(err, chart.ErrNoFont) {
		t.Fatalf("only a broken wqy-microhei.ttc: %v, want ErrNoFont", err)
	}
	want := put("wqy/WQY-ZenHei.ttc", font)
	r, err := chart.Find("", empty, dir)
	if err != nil {
		t.Fatalf("a good font after a broken one: %v", err)
	}
	if r.Font() != want {
		t.Errorf("Find chose %s, want %s", r.Font(), want)
	}
}
