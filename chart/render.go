package chart

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Renderer draws charts as PNG images with one CJK font. It keeps its own
// font cache, so it changes none of gonum/plot's package defaults; it is
// safe for concurrent use.
type Renderer struct {
	path    string
	typo    font.Font
	handler text.Handler
}

func newRenderer(f *sfnt.Font, path string) *Renderer {
	return &Renderer{path: path, typo: font.Font{Typeface: cjk}, handler: newMixed(f)}
}

// Font is the file of the Renderer's font.
func (r *Renderer) Font() string { return r.path }

// The charts' size in pixels and resolution.
const (
	Width = 1000
	dpi   = 96
)

// px converts pixels to the canvas's points.
func px(n float64) vg.Length { return vg.Length(n * 72 / dpi) }

// Colours of the charts.
var (
	colOnPace = color.RGBA{R: 0x2f, G: 0x6f, B: 0xd0, A: 0xff}
	colBehind = color.RGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}
	colPace   = color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff}
	colLast   = color.RGBA{R: 0x95, G: 0xa5, B: 0xa6, A: 0xff}
	colParts  = []color.Color{
		color.RGBA{R: 0x2f, G: 0x6f, B: 0xd0, A: 0xff}, color.RGBA{R: 0x27, G: 0xae, B: 0x60, A: 0xff},
		color.RGBA{R: 0xe6, G: 0x7e, B: 0x22, A: 0xff}, color.RGBA{R: 0x8e, G: 0x44, B: 0xad, A: 0xff},
		color.RGBA{R: 0x16, G: 0xa0, B: 0x85, A: 0xff}, color.RGBA{R: 0xc0, G: 0x39, B: 0x2b, A: 0xff},
		color.RGBA{R: 0x7f, G: 0x8c, B: 0x8d, A: 0xff}, color.RGBA{R: 0xf1, G: 0xc4, B: 0x0f, A: 0xff},
	}
)

// newPlot returns a plot whose every text is drawn with the Renderer's font.
func (r *Renderer) newPlot(title string) *plot.Plot {
	p := plot.New()
	p.TextHandler = r.handler
	for _, s := range []*text.Style{&p.Title.TextStyle, &p.X.Label.TextStyle, &p.Y.Label.TextStyle, &p.X.Tick.Label, &p.Y.Tick.Label, &p.Legend.TextStyle} {
		s.Handler = r.handler
		s.Font = font.From(r.typo, s.Font.Size)
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.X.Tick.Label.Font.Size = vg.Points(10)
	p.Y.Tick.Label.Font.Size = vg.Points(11)
	return p
}

// style is a text style of the Renderer's font.
func (r *Renderer) style(size float64, c color.Color) text.Style {
	f := r.typo
	f.Size = vg.Points(size)
	return text.Style{Color: c, Font: f, Handler: r.handler, XAlign: draw.XLeft, YAlign: draw.YCenter}
}

// labels returns the texts at the points, in the Renderer's font.
func (r *Renderer) labels(xys plotter.XYs, texts []string, c color.Color) (*plotter.Labels, error) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		l.TextStyle[i] = r.style(10, c)
	}
	return l, nil
}

// header writes a chart's title and lines of figures at the top of c.
func (r *Renderer) header(c draw.Canvas, title string, lines []string) {
	y := c.Max.Y - px(28)
	c.FillText(r.style(20, color.Black), vg.Point{X: c.Min.X + px(24), Y: y}, title)
	for _, l := range lines {
		y -= px(30)
		c.FillText(r.style(14, color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff}), vg.Point{X: c.Min.X + px(24), Y: y}, l)
	}
}

// encode draws with fn on a white canvas of w×h pixels and returns the PNG.
func encode(w, h int, fn func(c draw.Canvas) error) ([]byte, error) {
	img := vgimg.NewWith(vgimg.UseWH(px(float64(w)), px(float64(h))), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
	if err := fn(draw.New(img)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart: png: %w", err)
	}
	if buf.Len() > MaxBytes {
		return nil, fmt.Errorf("chart: png of %d bytes is over WeCom's %d", buf.Len(), MaxBytes)
	}
	return buf.Bytes(), nil
}

// band returns the part of c between the heights top and bottom in pixels
// from c's top.
func band(c draw.Canvas, top, bottom float64) draw.Canvas {
	h := c.Max.Y - c.Min.Y
	return draw.Crop(c, 0, 0, h-px(bottom), -px(top))
}

// HalfMonthlySize returns the pixel size of d's chart.
func HalfMonthlySize(d *HalfMonthly) (w, h int) {
	return Width, headerPx(len(d.Headline)) + targetsPx(len(d.Targets)) + 460
}

func headerPx(lines int) int { return 60 + 30*lines }
func targetsPx(n int) int    { return 120 + 44*max(n, 1) }

// HalfMonthlyPNG draws the 半月通报's chart: the header, the targets' bars
// of % done with the time elapsed as a vertical line, and the cumulative
// 协议引资 and 资金到位 by month against last year side by side.
func (r *Renderer) HalfMonthlyPNG(d *HalfMonthly) ([]byte, error) {
	w, h := HalfMonthlySize(d)
	return encode(w, h, func(c draw.Canvas) error {
		top := float64(headerPx(len(d.Headline)))
		r.header(band(c, 0, top), d.Title, d.Headline)
		mid := top + float64(targetsPx(len(d.Targets)))
		tp, err := r.targetsPlot(d)
		if err != nil {
			return err
		}
		tp.Draw(draw.Crop(band(c, top, mid), px(10), -px(20), 0, 0))
		bottom := band(c, mid, float64(h))
		tiles := draw.Tiles{Rows: 1, Cols: 2, PadLeft: px(10), PadRight: px(20), PadBottom: px(10), PadX: px(30)}
		for i, s := range []struct {
			title  string
			series []Series
		}{{"累计协议引资（亿元）", d.Agreed}, {"累计资金到位（亿元）", d.Funds}} {
			lp, err := r.linesPlot(s.title, d.Months, s.series)
			if err != nil {
				return err
			}
			lp.Draw(tiles.At(bottom, i, 0))
		}
		return nil
	})
}

// targetsPlot is the bars of the targets' % done, the elapsed line and the
// notes beside the bars.
func (r *Renderer) targetsPlot(d *HalfMonthly) (*plot.Plot, error) {
	p := r.newPlot(fmt.Sprintf("年度目标完成率（%%），竖线为时间进度%.1f%%", d.Elapsed))
	n := len(d.Targets)
	if n == 0 {
		p.Title.Text = "尚未设定年度目标"
		p.HideAxes()
		return p, nil
	}
	hi := 110.0
	for _, b := range d.Targets {
		hi = math.Max(hi, math.Min(b.Value, 200)*1.45)
	}
	var onPace, behind plotter.Values
	names := make([]string, n)
	var xys plotter.XYs
	var notes []string
	for i, b := range d.Targets {
		j := n - 1 - i // the first target on top
		names[j] = b.Label
		v := math.Min(b.Value, hi)
		on, late := v, 0.0
		if b.Behind {
			on, late = 0, v
		}
		onPace = append(onPace, 0)
		behind = append(behind, 0)
		onPace[len(onPace)-1], behind[len(behind)-1] = on, late
		note := b.Note
		if b.Behind {
			note += " 滞后"
		}
		xys = append(xys, plotter.XY{X: v + hi*0.01, Y: float64(j)})
		notes = append(notes, note)
	}
	// Values were appended in target order; the plot wants them by row.
	onPace, behind = reversed(onPace), reversed(behind)
	for _, s := range []struct {
		v plotter.Values
		c color.Color
	}{{onPace, colOnPace}, {behind, colBehind}} {
		bars, err := plotter.NewBarChart(s.v, px(26))
		if err != nil {
			return nil, err
		}
		bars.Horizontal, bars.Color, bars.LineStyle.Width = true, s.c, 0
		p.Add(bars)
	}
	pace, err := plotter.NewLine(plotter.XYs{{X: d.Elapsed, Y: -0.6}, {X: d.Elapsed, Y: float64(n) - 0.4}})
	if err != nil {
		return nil, err
	}
	pace.Color, pace.Width, pace.Dashes = colPace, vg.Points(2), []vg.Length{vg.Points(6), vg.Points(3)}
	p.Add(pace)
	lab, err := r.labels(xys, notes, color.Black)
	if err != nil {
		return nil, err
	}
	for i, b := range d.Targets {
		if b.Behind {
			lab.TextStyle[i].Color = colBehind
		}
	}
	p.Add(lab)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, hi
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	return p, nil
}

func reversed(v plotter.Values) plotter.Values {
	out := make(plotter.Values, len(v))
	for i := range v {
		out[len(v)-1-i] = v[i]
	}
	return out
}

// linesPlot is cumulative series by month, this year's last value written
// beside its last point.
func (r *Renderer) linesPlot(title string, months []string, series []Series) (*plot.Plot, error) {
	p := r.newPlot(title)
	cols := []color.Color{colOnPace, colLast}
	for i, s := range series {
		xys := make(plotter.XYs, len(s.Values))
		for m, v := range s.Values {
			xys[m] = plotter.XY{X: float64(m + 1), Y: v}
		}
		if len(xys) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = cols[i%2], cols[i%2]
		line.Width = vg.Points(2.5 - float64(i))
		p.Add(line, points)
		p.Legend.Add(s.Name, line)
		last := xys[len(xys)-1]
		lab, err := r.labels(plotter.XYs{{X: last.X, Y: last.Y}}, []string{fmt.Sprintf("%g亿", last.Y)}, cols[i%2])
		if err != nil {
			return nil, err
		}
		lab.TextStyle[0].XAlign, lab.TextStyle[0].YAlign = draw.XRight, draw.YBottom
		lab.Offset = vg.Point{Y: px(4)}
		p.Add(lab)
	}
	var ticks []plot.Tick
	for i, m := range months {
		ticks = append(ticks, plot.Tick{Value: float64(i + 1), Label: m})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0.5, float64(max(len(months), 1))+0.5
	p.Y.Min = 0
	p.Legend.Top, p.Legend.Left = true, true
	return p, nil
}

// QuarterlySize returns the pixel size of d's chart.
func QuarterlySize(d *Quarterly) (w, h int) {
	return Width, headerPx(0) + stacksPx(len(d.Parks)) + stacksPx(len(d.Officers))
}

func stacksPx(n int) int { return 130 + 40*max(n, 1) }

// QuarterlyPNG draws the 季度考核's chart: the parks, then the officers,
// ranked by score, each bar stacked by scoring part.
func (r *Renderer) QuarterlyPNG(d *Quarterly) ([]byte, error) {
	w, h := QuarterlySize(d)
	return encode(w, h, func(c draw.Canvas) error {
		top := float64(headerPx(0))
		r.header(band(c, 0, top), d.Title, nil)
		for _, s := range []struct {
			title  string
			stacks []Stack
		}{{"园区排名（得分）", d.Parks}, {"招商员排名（得分）", d.Officers}} {
			bottom := top + float64(stacksPx(len(s.stacks)))
			sp, err := r.stacksPlot(s.title, d.Parts, s.stacks)
			if err != nil {
				return err
			}
			sp.Draw(draw.Crop(band(c, top, bottom), px(10), -px(20), px(6), 0))
			top = bottom
		}
		return nil
	})
}

// stacksPlot is horizontal bars stacked by part, best on top, each total
// written at its end.
func (r *Renderer) stacksPlot(title string, parts []string, stacks []Stack) (*plot.Plot, error) {
	p := r.newPlot(title)
	n := len(stacks)
	if n == 0 {
		p.Title.Text = title + "：无"
		p.HideAxes()
		return p, nil
	}
	names := make([]string, n)
	var xys plotter.XYs
	var totals []string
	for i, s := range stacks {
		names[n-1-i] = s.Label
		xys = append(xys, plotter.XY{X: s.Total + 1, Y: float64(n - 1 - i)})
		totals = append(totals, fmt.Sprintf("%.1f分", s.Total))
	}
	var below *plotter.BarChart
	for j, part := range parts {
		v := make(plotter.Values, n)
		for i, s := range stacks {
			if j < len(s.Parts) {
				v[n-1-i] = s.Parts[j]
			}
		}
		bars, err := plotter.NewBarChart(v, px(24))
		if err != nil {
			return nil, err
		}
		bars.Horizontal, bars.Color, bars.LineStyle.Width = true, colParts[j%len(colParts)], 0
		if below != nil {
			bars.StackOn(below)
		}
		below = bars
		p.Add(bars)
		p.Legend.Add(part, bars)
	}
	lab, err := r.labels(xys, totals, color.Black)
	if err != nil {
		return nil, err
	}
	p.Add(lab)
	p.NominalY(names...)
	p.X.Min, p.X.Max = 0, 118
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.Legend.Top = true
	return p, nil
}
