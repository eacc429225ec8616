package chart

import (
	"math"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// mixed is a text.Handler that writes each character in the CJK font when
// it has the glyph and in Liberation Sans (bundled with gonum/plot)
// otherwise: fonts-droid-fallback, for one, has Chinese but no Latin digits.
type mixed struct {
	fonts *font.Cache
	has   func(rune) bool
}

var _ text.Handler = mixed{}

// The typefaces of the Renderer's cache.
const (
	cjk   = font.Typeface("CJK")
	latin = font.Typeface("Latin")
)

func newMixed(f *sfnt.Font) mixed {
	coll := font.Collection{{Font: font.Font{Typeface: cjk}, Face: f}}
	for _, face := range liberation.Collection() {
		if face.Font.Variant == "Sans" && face.Font.Weight == xfont.WeightNormal && face.Font.Style == xfont.StyleNormal {
			coll = append(coll, font.Face{Font: font.Font{Typeface: latin}, Face: face.Face})
		}
	}
	has := map[rune]bool{}
	var b sfnt.Buffer
	for r := rune(0x20); r < 0x3000; r++ { // Latin, punctuation, symbols: precomputed, read-only after
		g, err := f.GlyphIndex(&b, r)
		has[r] = err == nil && g != 0
	}
	return mixed{fonts: font.NewCache(coll), has: func(r rune) bool { v, ok := has[r]; return !ok || v }}
}

func (m mixed) face(tf font.Typeface, size font.Length) *font.Face {
	f := m.fonts.Lookup(font.Font{Typeface: tf}, size)
	return &f
}

// runs splits s into runs of one typeface.
func (m mixed) runs(s string) (runs []string, faces []font.Typeface) {
	var cur strings.Builder
	tf := font.Typeface("")
	for _, r := range s {
		t := cjk
		if !m.has(r) {
			t = latin
		}
		if t != tf && cur.Len() > 0 {
			runs, faces = append(runs, cur.String()), append(faces, tf)
			cur.Reset()
		}
		tf = t
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		runs, faces = append(runs, cur.String()), append(faces, tf)
	}
	return runs, faces
}

func (m mixed) width(s string, size font.Length) vg.Length {
	var w vg.Length
	runs, faces := m.runs(s)
	for i, r := range runs {
		w += m.face(faces[i], size).Width(r)
	}
	return w
}

// Cache returns the CJK and Latin faces.
func (m mixed) Cache() *font.Cache { return m.fonts }

// Extents are the CJK font's at fnt's size.
func (m mixed) Extents(fnt font.Font) font.Extents { return m.face(cjk, fnt.Size).Extents() }

// Lines splits txt at line breaks.
func (m mixed) Lines(txt string) []string { return strings.Split(strings.TrimRight(txt, "\n"), "\n") }

// Box measures one line of txt.
func (m mixed) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	ext := m.Extents(fnt)
	return m.width(txt, fnt.Size), ext.Ascent, ext.Descent
}

// Draw writes txt as text.Plain does, run by run.
func (m mixed) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
	}
	sin64, cos64 := math.Sincos(sty.Rotation)
	cos, sin := vg.Length(cos64), vg.Length(sin64)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := m.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - m.Extents(sty.Font).Ascent
	for i, line := range lines {
		at := pt.Add(vg.Point{X: vg.Length(sty.XAlign) * m.width(line, sty.Font.Size), Y: vg.Length(len(lines)-i) * sty.Font.Size})
		runs, faces := m.runs(line)
		for j, r := range runs {
			f := m.face(faces[j], sty.Font.Size)
			c.FillString(*f, at, r)
			at.X += f.Width(r)
		}
	}
	if sty.Rotation != 0 {
		c.Pop()
	}
}
