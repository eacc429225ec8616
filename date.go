package zsbot

import (
	"fmt"
	"time"
)

// Date is a calendar day in the bureau's time zone, encoded as YYYYMMDD
// (20241220). The zero Date means "no date". Dates compare with < and ==,
// and serve directly as sorted-set scores.
type Date int32

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// NewDate builds a Date; it does not normalise impossible days (use Valid).
func NewDate(y int, m time.Month, d int) Date {
	return Date(y*10000 + int(m)*100 + d)
}

// ParseISODate parses "2024-03-15". The empty string gives the zero Date.
func ParseISODate(s string) (Date, error) {
	if s == "" {
		return 0, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return 0, fmt.Errorf("bad date %q: %w", s, err)
	}
	return DateOf(t), nil
}

// Year, Month and Day return the parts of d.
func (d Date) Year() int         { return int(d) / 10000 }
func (d Date) Month() time.Month { return time.Month(int(d) / 100 % 100) }
func (d Date) Day() int          { return int(d) % 100 }

// IsZero reports whether d is the absent date.
func (d Date) IsZero() bool { return d == 0 }

// Valid reports whether d is a real calendar day (2月30日 is not).
func (d Date) Valid() bool {
	if d.Year() < 1900 || d.Year() > 2999 {
		return false
	}
	t := d.Time(time.UTC)
	return DateOf(t) == d
}

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date {
	return DateOf(d.Time(time.UTC).AddDate(0, 0, n))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time(time.UTC).Weekday() }

// DaysSince returns the number of days from e to d (positive when d is later).
func (d Date) DaysSince(e Date) int {
	return int(d.Time(time.UTC).Sub(e.Time(time.UTC)).Hours() / 24)
}

// String formats d as 2024-03-15, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d.Month()), d.Day())
}

// Chinese formats d as 2024年3月15日.
func (d Date) Chinese() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

// Short formats d as 3月15日.
func (d Date) Short() string {
	if d == 0 {
		return ""
	}
	return fmt.Sprintf("%d月%d日", int(d.Month()), d.Day())
}

// Span writes the period from–to as briefly as it stays clear:
// "2024年12月1日至15日", "2024年11月16日至12月1日", "2024年12月1日".
func Span(from, to Date) string {
	switch {
	case from == to:
		return from.Chinese()
	case from.Year() != to.Year():
		return from.Chinese() + "至" + to.Chinese()
	case from.Month() != to.Month():
		return from.Chinese() + "至" + to.Short()
	}
	return fmt.Sprintf("%s至%d日", from.Chinese(), to.Day())
}

// ShortFrom formats d as 3月15日 when it falls in the year of today,
// otherwise with its year: 2027年3月15日.
func (d Date) ShortFrom(today Date) string {
	if d == 0 || d.Year() == today.Year() {
		return d.Short()
	}
	return d.Chinese()
}

// MarshalText encodes d as YYYY-MM-DD ("" when zero).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD or "".
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseISODate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func itoa(n int) string { return fmt.Sprint(n) }
