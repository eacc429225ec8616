package zsbot

import "strconv"

// Ratio is a share N/D, kept exact.
type Ratio struct{ N, D int64 }

// Tenths returns the ratio in tenths of a percent, rounded half up
// (26/37 → 703).
func (r Ratio) Tenths() int64 {
	if r.D <= 0 {
		return 0
	}
	return (r.N*2000 + r.D) / (2 * r.D)
}

// Percent shows the ratio as a percentage with one decimal ("70.3%"), or
// "—" when there is no base.
func (r Ratio) Percent() string {
	if r.D <= 0 {
		return "—"
	}
	t := r.Tenths()
	return strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10) + "%"
}

// Less reports whether r is below s, exactly.
func (r Ratio) Less(s Ratio) bool { return r.N*s.D < s.N*r.D }

// Conversion is 签约落地转化率 (also called 开工率) as of a report date:
// among the projects first signed from 1 January of AsOf's year to AsOf,
// how many had started by AsOf; the 市外 variant beside it.
type Conversion struct {
	AsOf                Date
	Signed, Started     int
	SignedOut, StartOut int
}

// Convert returns the conversion as of asOf from a ledger that covers
// 1 January of asOf's year to asOf.
func Convert(l *Ledger, asOf Date) Conversion { return ConvertBy(l, asOf, nil)[""] }

// ConvertBy returns the conversion as of asOf per unit (nil unit: one entry
// under ""), each signing counted for its project's unit as ComputeBy counts
// it, so the units' counts add up to the bureau's.
func ConvertBy(l *Ledger, asOf Date, unit Unit) map[string]Conversion {
	out := map[string]Conversion{}
	if unit == nil {
		out[""] = Conversion{AsOf: asOf}
	}
	first := YearStart(asOf)
	for _, p := range projectsOf(l, l.Signed) {
		if p.SignedOn < first || p.SignedOn > asOf {
			continue
		}
		k := ""
		if unit != nil {
			k = unit(p, p.Owner)
		}
		c := out[k]
		c.AsOf = asOf
		started := !p.StartedOn.IsZero() && p.StartedOn <= asOf
		c.Signed++
		if started {
			c.Started++
		}
		if p.OutOfCity {
			c.SignedOut++
			if started {
				c.StartOut++
			}
		}
		out[k] = c
	}
	return out
}

// Rate is 签约落地转化率.
func (c Conversion) Rate() Ratio { return Ratio{int64(c.Started), int64(c.Signed)} }

// RateOut is 市外项目开工率.
func (c Conversion) RateOut() Ratio { return Ratio{int64(c.StartOut), int64(c.SignedOut)} }

// YearStart returns 1 January of d's year.
func YearStart(d Date) Date { return NewDate(d.Year(), 1, 1) }

// Elapsed is the share of d's year gone by the end of day d.
func Elapsed(d Date) Ratio {
	first := YearStart(d)
	days := NewDate(d.Year(), 12, 31).DaysSince(first) + 1
	return Ratio{int64(d.DaysSince(first) + 1), int64(days)}
}
