package jobs

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"zsbot"
)

//go:embed holidays/*.txt
var builtinHolidays embed.FS

// Calendar decides the working days of the daily reminders: Monday to
// Friday, except the days a holiday file marks 休 (法定节假日), plus the
// weekend days it marks 班 (调休上班).
//
// A holiday file is UTF-8 text, one entry a line; '#' starts a comment:
//
//	2026-10-01..2026-10-07 休 国庆节
//	2026-10-10 班 国庆节调休上班（周六）
//
// A date or an inclusive range "FROM..TO", then 休 (or off) or 班 (or work),
// then an optional note. Years without entries fall back to Monday–Friday.
type Calendar struct {
	days  map[zsbot.Date]bool // true: working day, false: day off
	years map[int]bool        // years with entries
}

// DefaultCalendar is the built-in calendar (jobs/holidays/*.txt).
func DefaultCalendar() *Calendar {
	c, err := readCalendar(builtinHolidays, "holidays")
	if err != nil {
		panic("jobs: built-in holiday calendar: " + err.Error()) // tested
	}
	return c
}

// LoadCalendar reads the calendar at path (ZSBOT_HOLIDAYS): a file, or a
// directory of *.txt files. An empty path gives the built-in calendar. The
// operator's files replace the built-in ones entirely.
func LoadCalendar(path string) (*Calendar, error) {
	if path == "" {
		return DefaultCalendar(), nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readCalendar(os.DirFS(path), ".")
	}
	return readCalendar(os.DirFS(filepath.Dir(path)), filepath.Base(path))
}

// readCalendar reads one file, or every *.txt of a directory, of fsys.
func readCalendar(fsys fs.FS, name string) (*Calendar, error) {
	c := &Calendar{days: map[zsbot.Date]bool{}, years: map[int]bool{}}
	files := []string{name}
	if st, err := fs.Stat(fsys, name); err == nil && st.IsDir() {
		if files, err = fs.Glob(fsys, filepath.ToSlash(filepath.Join(name, "*.txt"))); err != nil {
			return nil, err
		}
		sort.Strings(files)
	}
	for _, f := range files {
		r, err := fsys.Open(f)
		if err != nil {
			return nil, err
		}
		err = c.read(r, f)
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ParseCalendar reads one holiday file from r; name is used in errors.
func ParseCalendar(r io.Reader, name string) (*Calendar, error) {
	c := &Calendar{days: map[zsbot.Date]bool{}, years: map[int]bool{}}
	return c, c.read(r, name)
}

func (c *Calendar) read(r io.Reader, name string) error {
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		bad := func(why string) error {
			return fmt.Errorf("%s:%d: %s (want e.g. \"2026-10-01..2026-10-07 休 国庆节\" or \"2026-10-10 班\")", name, n, why)
		}
		if len(f) < 2 {
			return bad("a date and 休 or 班 are required")
		}
		a, b, isRange := strings.Cut(f[0], "..")
		from, err1 := zsbot.ParseISODate(a)
		to, err2 := zsbot.ParseISODate(b)
		if !isRange {
			to, err2 = from, nil
		}
		if err1 != nil || err2 != nil || from.IsZero() || to < from || to.DaysSince(from) > 31 {
			return bad(fmt.Sprintf("%q is not a date or a range of at most a month", f[0]))
		}
		var working bool
		switch strings.ToLower(f[1]) {
		case "休", "off", "holiday":
		case "班", "work", "workday":
			working = true
		default:
			return bad(fmt.Sprintf("%q is neither 休 nor 班", f[1]))
		}
		for d := from; d <= to; d = d.AddDays(1) {
			c.days[d] = working
			c.years[d.Year()] = true
		}
	}
	return sc.Err()
}

// Working reports whether d is a working day.
func (c *Calendar) Working(d zsbot.Date) bool {
	if w, ok := c.days[d]; ok {
		return w
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Covers reports whether the calendar has entries for year (else that
// year's working days are just Monday to Friday).
func (c *Calendar) Covers(year int) bool { return c.years[year] }
