package charttest

import (
	"path/filepath"
	"runtime"
	"testing"

	"zsbot/chart"
)

// FontPath is the CJK font the chart tests draw with, checked in so that
// they never depend on a font package being installable on the machine:
// WenQuanYi Micro Hei (Apache-2.0), a .ttc collection like the one Debian
// installs, cut down to the characters the repository holds by
// chart/testdata/font/make.sh.
func FontPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata", "font", "wqy-microhei-subset.ttc")
}

// Renderer returns a chart.Renderer drawing with FontPath's font.
func Renderer(t testing.TB) *chart.Renderer {
	t.Helper()
	r, err := chart.Load(FontPath())
	if err != nil {
		t.Fatalf("the tests' font: %v", err)
	}
	return r
}
