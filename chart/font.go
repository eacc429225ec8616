package chart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
)

// FontDirs are where Find looks for a CJK font: Debian's and the local
// font directories.
var FontDirs = []string{"/usr/share/fonts", "/usr/local/share/fonts"}

// fontNames are the files of fonts known to carry Simplified Chinese, best
// first: Debian's fonts-wqy-microhei (a .ttc collection), fonts-noto-cjk,
// fonts-wqy-zenhei and fonts-droid-fallback (a plain .ttf).
var fontNames = []string{"wqy-microhei.ttc", "notosanscjk-regular.ttc", "notosanscjksc-regular.otf", "wqy-zenhei.ttc", "droidsansfallbackfull.ttf", "droidsansfallback.ttf"}

// ErrNoFont is returned by Find when no CJK font is installed.
var ErrNoFont = errors.New("chart: no CJK font found (install fonts-wqy-microhei or fonts-droid-fallback)")

// Find returns a Renderer with the first font of fontNames found under
// dirs (FontDirs when none), or with path when it is not empty, checking
// that the font draws Chinese. It returns ErrNoFont, wrapped with what was
// searched, when there is none.
func Find(path string, dirs ...string) (*Renderer, error) {
	if path != "" {
		return Load(path)
	}
	if len(dirs) == 0 {
		dirs = FontDirs
	}
	found := map[string]string{}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if name := strings.ToLower(d.Name()); found[name] == "" {
					found[name] = p
				}
			}
			return nil
		})
	}
	for _, name := range fontNames {
		if p := found[name]; p != "" {
			if r, err := Load(p); err == nil {
				return r, nil
			}
		}
	}
	return nil, fmt.Errorf("%w under %s", ErrNoFont, strings.Join(dirs, ", "))
}

// Load returns a Renderer with the font of the file at path: a .ttf or
// .otf, or the first font of a .ttc/.otc collection that draws Chinese.
func Load(path string) (*Renderer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	coll, err := opentype.ParseCollection(data)
	if err != nil {
		return nil, fmt.Errorf("chart: font %s: %w", path, err)
	}
	for i := range coll.NumFonts() {
		f, err := coll.Font(i)
		if err == nil && drawsChinese(f) {
			return newRenderer(f, path), nil
		}
	}
	return nil, fmt.Errorf("chart: font %s has no Chinese glyphs", path)
}

// drawsChinese reports whether f has glyphs for the characters the charts
// write most.
func drawsChinese(f *sfnt.Font) bool {
	var b sfnt.Buffer
	for _, r := range "签约亿元滞后园区" {
		if g, err := f.GlyphIndex(&b, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}
