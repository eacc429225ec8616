// Package report reads and words the bureau's figures as every reader sees
// them — 统计, the notices and the Excel export: one ledger read per report
// (LoadReport), the figures of zsbot.Compute per period, park and officer,
// the bureau's sentences for them (SigningLine, StatsText …) and the
// workbook's sheets as rows (Workbook). It imports only the domain package
// and the standard library; the notices (jobs) and the verbs (handlers) use
// it, and package xlsx encodes its sheets.
package report

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strings"

	"zsbot"
)

// Report is the figures of one period as every reader sees them — 统计,
// the notices and the export: the period itself, the year to date at its
// end, the conversion and the targets' progress, all from one ledger read
// whose cost grows with the records of the span, never with the history.
type Report struct {
	From, To zsbot.Date
	Period   *zsbot.Figures   // [From, To]
	Year     *zsbot.Figures   // 1 January of To's year to To (nil for the quarterly)
	Conv     zsbot.Conversion // 签约落地转化率 as of To
	Targets  []*zsbot.Target  // of To's year (targets and weights)
	Progress []zsbot.Progress
	People   map[string]*zsbot.Person
	// ParkList is the bureau's closed list of parks (empty when none is
	// kept): every park row is one of them.
	ParkList []*zsbot.Park

	src source
}

// source computes figures for a report: from the ledger of its span (any
// period inside it) or from the aggregates read for its period and its
// year to date (those two only).
type source interface {
	figures(from, to zsbot.Date, unit zsbot.Unit) map[string]*zsbot.Figures
	conversion(asOf zsbot.Date, unit zsbot.Unit) map[string]zsbot.Conversion
}

type ledgerSource struct{ l *zsbot.Ledger }

func (s ledgerSource) figures(from, to zsbot.Date, unit zsbot.Unit) map[string]*zsbot.Figures {
	return zsbot.ComputeBy(s.l, from, to, unit)
}

func (s ledgerSource) conversion(asOf zsbot.Date, unit zsbot.Unit) map[string]zsbot.Conversion {
	return zsbot.ConvertBy(s.l, asOf, unit)
}

type aggSource struct {
	d *zsbot.AggData
	// memo keeps the figures of a span by unit kind: a report by park
	// (or officer) asks for the same span more than once (its period, its
	// year to date, its conversion), always with the same unit function.
	memo map[aggSpan]map[string]*zsbot.Figures
}

type aggSpan struct {
	from, to zsbot.Date
	unit     uintptr // the unit function's code (0: the bureau)
}

func (s aggSource) figures(from, to zsbot.Date, unit zsbot.Unit) map[string]*zsbot.Figures {
	if !s.d.Covers(from, to, unit != nil) {
		// A programming error (LoadStats reads the period and the year to
		// date only); never figures from buckets that were not read.
		panic(fmt.Sprintf("report: the aggregates read do not cover %v–%v", from, to))
	}
	k := aggSpan{from, to, 0}
	if unit != nil {
		k.unit = reflect.ValueOf(unit).Pointer()
	}
	f, ok := s.memo[k]
	if !ok {
		f = s.d.Figures(from, to, unit)
		s.memo[k] = f
	}
	return maps.Clone(f) // the caller may add units to it
}

func (s aggSource) conversion(asOf zsbot.Date, unit zsbot.Unit) map[string]zsbot.Conversion {
	out := map[string]zsbot.Conversion{}
	for k, f := range s.d.Figures(zsbot.YearStart(asOf), asOf, unit) {
		out[k] = f.Conversion()
	}
	return out
}

// LoadReport reads the ledger of [from, to] (extended back to 1 January of
// to's year), the year's targets and the people, and computes the report.
func LoadReport(ctx context.Context, s zsbot.Store, from, to zsbot.Date) (*Report, error) {
	return loadReport(ctx, s, from, to, true)
}

// LoadPeriod is LoadReport without the year: it reads only the period's
// records, and Year, Conv and Progress stay empty (the quarterly scores).
func LoadPeriod(ctx context.Context, s zsbot.Store, from, to zsbot.Date) (*Report, error) {
	return loadReport(ctx, s, from, to, false)
}

// loadReport reads what a report needs; without the year it reads only the
// period's records (Year, Conv and Progress stay empty).
func loadReport(ctx context.Context, s zsbot.Store, from, to zsbot.Date, withYear bool) (*Report, error) {
	first := from
	if withYear {
		first = min(from, zsbot.YearStart(to))
	}
	l, err := s.Ledger(ctx, first, to)
	if err != nil {
		return nil, err
	}
	return newReport(ctx, s, from, to, ledgerSource{l}, withYear)
}

// fill computes the report's figures from its source.
func (r *Report) fill(withYear bool) {
	r.Period = r.src.figures(r.From, r.To, nil)[""]
	if !withYear {
		return
	}
	r.Year = r.Period
	if r.From != zsbot.YearStart(r.To) {
		r.Year = r.src.figures(zsbot.YearStart(r.To), r.To, nil)[""]
	}
	r.Conv = r.src.conversion(r.To, nil)[""]
	r.Conv.AsOf = r.To
	r.Progress = zsbot.TargetProgress(r.Targets, r.Year, r.Conv)
}

// LoadStats is LoadReport for 统计: from the aggregates when the store
// keeps them (a few small hashes, whatever the period holds), else from
// the records. units reads what figures by park or officer need too
// (Parks, Officers, ForUnit). Its figures are those of the period and of
// the year to date only: YearTo is not available.
func LoadStats(ctx context.Context, s zsbot.Store, from, to zsbot.Date, units bool) (*Report, error) {
	a, ok := s.(zsbot.Aggregator)
	if !ok {
		return LoadReport(ctx, s, from, to)
	}
	d, err := a.Aggregates(ctx, units, [2]zsbot.Date{from, to}, [2]zsbot.Date{zsbot.YearStart(to), to})
	if errors.Is(err, zsbot.ErrNoAggregates) {
		return LoadReport(ctx, s, from, to)
	}
	if err != nil {
		return nil, err
	}
	return newReport(ctx, s, from, to, aggSource{d, map[aggSpan]map[string]*zsbot.Figures{}}, true)
}

// newReport reads the year's targets, the people and the parks, and
// computes the report's figures from src.
func newReport(ctx context.Context, s zsbot.Store, from, to zsbot.Date, src source, withYear bool) (*Report, error) {
	targets, err := s.Targets(ctx, to.Year())
	if err != nil {
		return nil, err
	}
	people, err := LoadPeople(ctx, s)
	if err != nil {
		return nil, err
	}
	parks, err := s.Parks(ctx)
	if err != nil {
		return nil, err
	}
	r := &Report{From: from, To: to, Targets: targets, People: people, ParkList: parks, src: src}
	r.fill(withYear)
	return r, nil
}

// YearTo returns the bureau's figures from 1 January of d's year to d, for
// d within the report's ledger (a day from the year's start to To).
func (r *Report) YearTo(d zsbot.Date) *zsbot.Figures {
	return r.src.figures(zsbot.YearStart(d), d, nil)[""]
}

// Unit is one park's or officer's figures of the period.
type Unit struct {
	Key  string // park name or userid
	Name string // park name, or the officer's name
	*zsbot.Figures
}

// Parks returns the period's figures per park: every park of an active
// officer and every park with records, by 协议引资 then name; with a list
// of parks, only listed parks (and zsbot.NoPark) have rows.
func (r *Report) Parks() []Unit {
	unit := r.ParkUnit()
	units := r.units(unit, func(p *zsbot.Person) string {
		if p.Park == "" {
			return ""
		}
		return unit(nil, p.UserID)
	}, func(k string) string { return k })
	// Every listed park has its row, even with no officer and no record.
	seen := map[string]bool{}
	for _, u := range units {
		seen[u.Key] = true
	}
	for _, p := range r.ParkList {
		if !seen[p.Name] {
			units = append(units, Unit{Key: p.Name, Name: p.Name, Figures: &zsbot.Figures{From: r.From, To: r.To}})
		}
	}
	sortUnits(units)
	return units
}

// ParkUnit says which park a record counts for (ParkUnit of the report's
// people and parks).
func (r *Report) ParkUnit() zsbot.Unit { return ParkUnit(r.People, r.ParkList) }

// Officers returns the period's figures per officer: every active officer
// and everyone responsible for a record, by 协议引资 then name.
func (r *Report) Officers() []Unit {
	return r.units(zsbot.ByOfficer, func(p *zsbot.Person) string { return p.UserID }, r.Name)
}

// ByUnit returns the period's figures per park or officer, keyed.
func (r *Report) ByUnit(parks bool) map[string]*zsbot.Figures {
	units := r.Officers()
	if parks {
		units = r.Parks()
	}
	out := make(map[string]*zsbot.Figures, len(units))
	for _, u := range units {
		out[u.Key] = u.Figures
	}
	return out
}

// UnitFunc says which park (parks true) or officer a record counts for.
func (r *Report) UnitFunc(parks bool) zsbot.Unit {
	if parks {
		return r.ParkUnit()
	}
	return zsbot.ByOfficer
}

// Name is an officer's name, or the userid of someone not registered.
func (r *Report) Name(userID string) string { return PersonName(r.People, userID) }

// LoadPeople reads the register by userid.
func LoadPeople(ctx context.Context, s zsbot.Store) (map[string]*zsbot.Person, error) {
	people, err := s.People(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*zsbot.Person, len(people))
	for _, p := range people {
		m[p.UserID] = p
	}
	return m, nil
}

// PersonName is the name of the person userID in people, or the userid of
// someone not registered.
func PersonName(people map[string]*zsbot.Person, userID string) string {
	if p := people[userID]; p != nil && p.Name != "" {
		return p.Name
	}
	return userID
}

// ParkUnit counts records per park (zsbot.ByPark), writing each park as the
// list names it, or without a list as the register does: "双福" on a
// project counts for "双福园区". With a list, a park that names none of it
// counts as zsbot.NoPark, so no row shows a park that is not listed.
func ParkUnit(people map[string]*zsbot.Person, list []*zsbot.Park) zsbot.Unit {
	parks := map[string]string{}
	named := map[string]string{}
	for id, p := range people {
		parks[id] = p.Park
		if q := named[parkKey(p.Park)]; len(list) == 0 && p.Park != "" && (q == "" || len(p.Park) > len(q) || len(p.Park) == len(q) && p.Park < q) {
			named[parkKey(p.Park)] = p.Park
		}
	}
	for _, lp := range list {
		for _, s := range append([]string{lp.Name}, lp.Short...) {
			named[parkKey(s)] = lp.Name
		}
	}
	byPark := zsbot.ByPark(parks)
	return func(p *zsbot.Project, user string) string {
		k := byPark(p, user)
		if n, ok := named[parkKey(k)]; ok {
			return n
		}
		if len(list) > 0 {
			return zsbot.NoPark
		}
		return k
	}
}

func (r *Report) units(unit zsbot.Unit, keyOf func(*zsbot.Person) string, name func(string) string) []Unit {
	figs := r.src.figures(r.From, r.To, unit)
	for _, p := range r.People {
		if k := keyOf(p); p.Active && p.Role == zsbot.RoleOfficer && k != "" && figs[k] == nil {
			figs[k] = &zsbot.Figures{From: r.From, To: r.To}
		}
	}
	out := make([]Unit, 0, len(figs))
	for k, f := range figs {
		out = append(out, Unit{Key: k, Name: name(k), Figures: f})
	}
	sortUnits(out)
	return out
}

// sortUnits orders units by 协议引资, then name.
func sortUnits(out []Unit) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Agreed != b.Agreed {
			return a.Agreed > b.Agreed
		}
		return a.Name < b.Name
	})
}

// SamePark reports whether two park names mean the same park: "珞璜" and
// "珞璜园区" (or "珞璜工业园区") do.
func SamePark(a, b string) bool { return parkKey(a) == parkKey(b) }

func parkKey(s string) string {
	s = strings.TrimSpace(s)
	for _, suffix := range []string{"工业园区", "园区", "工业园"} {
		if k, ok := strings.CutSuffix(s, suffix); ok && k != "" {
			return k
		}
	}
	return s
}
