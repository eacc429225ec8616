package zsbot

import (
	"sort"
	"strconv"
)

// Figures are the bulletin's figures of one period [From, To] (SPEC §4),
// for the whole bureau or for one unit (a park, an officer). They are
// computed here and nowhere else: 统计, every notice and the export read
// them from Compute and ComputeBy.
type Figures struct {
	From, To Date
	// Signings are the projects first signed in the period, by date: the
	// count of 签约项目. 增资 never adds a signing.
	Signings []Signing
	// Agreed is 协议引资: the signed amounts of those projects plus every
	// 增资 dated in the period; AgreedOut the same for 市外 projects.
	Agreed, AgreedOut Money
	// Started counts projects whose start date is in the period (开工项目);
	// StartedOut the 市外 ones (新开工市外项目).
	Started, StartedOut int
	// Funds is 资金到位: payments dated in the period; FundsOut to 市外 projects.
	Funds, FundsOut Money
	// Visits (拜访), Receptions (接待批次) and Promotions (推介活动) count
	// activities; Visited counts the distinct companies visited.
	Visits, Visited, Receptions, Promotions int
	// TasksDone counts tasks closed in the period, TasksOnTime those closed
	// on or before their due date.
	TasksDone, TasksOnTime int
	// Converted counts the projects signed in To's year whose later of
	// signing and start falls in the period (they started by To);
	// ConvertedOut the 市外 ones. For a period from 1 January it is the
	// conversion's Started (Conversion). From the records it needs a
	// ledger from 1 January of To's year (as every report reads).
	Converted, ConvertedOut int

	nSigned, nSignedOut int
	hist                map[int]int // signings by their amount at To in whole 亿 (band)
	companies           map[string]bool
}

// Conversion is the conversion as of To of figures from 1 January of To's
// year (the year to date).
func (f *Figures) Conversion() Conversion {
	return Conversion{AsOf: f.To, Signed: f.Signed(), Started: f.Converted, SignedOut: f.SignedOut(), StartOut: f.ConvertedOut}
}

// Signing is one project first signed in a period, with its agreed amount
// as of the period's end: the amount at signing plus any 增资 up to then.
type Signing struct {
	Project *Project
	Amount  Money
}

// Tier is a size band of agreed amounts: Lo inclusive, Hi exclusive (0 =
// no upper bound).
type Tier struct {
	Label  string
	Lo, Hi Money
}

// SizeTiers are the bands of the year-end report: 10–20, 20–50, 50–100 and
// ≥100亿, lower bound inclusive.
var SizeTiers = []Tier{
	{"10-20亿元", 10 * Yi, 20 * Yi},
	{"20-50亿元", 20 * Yi, 50 * Yi},
	{"50-100亿元", 50 * Yi, 100 * Yi},
	{"100亿元以上", 100 * Yi, 0},
}

// Major is the threshold of "10亿元以上项目".
const Major = 10 * Yi

// Signed is the number of 签约项目.
// The list decides when there is one (figures from the records); figures
// from the aggregates carry the counts alone.
func (f *Figures) Signed() int {
	if f.Signings != nil {
		return len(f.Signings)
	}
	return f.nSigned
}

// SignedOut is the number of 市外 签约项目.
func (f *Figures) SignedOut() int {
	if f.Signings == nil {
		return f.nSignedOut
	}
	n := 0
	for _, s := range f.Signings {
		if s.Project.OutOfCity {
			n++
		}
	}
	return n
}

// Count returns the number of signings whose amount falls in t. Bands of
// whole 亿 up to 1000亿 (every band the reports and targets name) are
// answered, for figures from the aggregates, from their histogram; figures
// from the records count their Signings list.
func (f *Figures) Count(t Tier) int {
	if f.Signings == nil && t.Lo >= Yi && t.Lo%Yi == 0 && t.Hi%Yi == 0 && t.Lo <= 1000*Yi && t.Hi <= 1000*Yi {
		n := 0
		for k, c := range f.hist {
			if Money(k)*Yi >= t.Lo && (t.Hi == 0 || Money(k)*Yi < t.Hi) {
				n += c
			}
		}
		return n
	}
	return len(f.In(t))
}

// In returns the signings whose amount falls in t, by date (figures from
// the records only: those from the aggregates keep no list).
func (f *Figures) In(t Tier) []Signing {
	var out []Signing
	for _, s := range f.Signings {
		if s.Amount >= t.Lo && (t.Hi == 0 || s.Amount < t.Hi) {
			out = append(out, s)
		}
	}
	return out
}

// Unit says which unit a record counts for, given its project (nil for an
// activity without one) and its responsible officer: the project's owner,
// the activity's author or the task's assignee.
type Unit func(p *Project, user string) string

// ByOfficer counts every record for its responsible officer.
func ByOfficer(_ *Project, user string) string { return user }

// ByPark counts a record for its project's park, or else for the park of
// its officer (parks maps userids to parks); NoPark when neither is known.
func ByPark(parks map[string]string) Unit {
	return func(p *Project, user string) string {
		if p != nil && p.Park != "" {
			return p.Park
		}
		if park := parks[user]; park != "" {
			return park
		}
		return NoPark
	}
}

// NoPark is the unit of records that belong to no park.
const NoPark = "未分园区"

// Compute returns the bureau's figures of [from, to] from a ledger that
// covers at least that span.
func Compute(l *Ledger, from, to Date) *Figures {
	return ComputeBy(l, from, to, nil)[""]
}

// ComputeBy returns the figures of [from, to] per unit (nil unit: one entry
// under ""). Records outside [from, to] are ignored, so one ledger serves
// every period inside it.
func ComputeBy(l *Ledger, from, to Date, unit Unit) map[string]*Figures {
	out := map[string]*Figures{}
	at := func(p *Project, user string) *Figures {
		k := ""
		if unit != nil {
			k = unit(p, user)
		}
		f := out[k]
		if f == nil {
			f = &Figures{From: from, To: to}
			out[k] = f
		}
		return f
	}
	if unit == nil {
		at(nil, "")
	}
	in := func(d Date) bool { return d >= from && d <= to }
	raised := map[string]Money{} // 增资 up to the end of the period, by project
	for _, z := range l.Increases {
		if z.Date <= to {
			raised[z.Project] += z.Amount
		}
		if p := l.Projects[z.Project]; p != nil && in(z.Date) {
			at(p, p.Owner).agree(p, z.Amount)
		}
	}
	for _, p := range projectsOf(l, l.Signed) {
		if in(p.SignedOn) {
			f := at(p, p.Owner)
			f.Signings = append(f.Signings, Signing{p, signedAmount(p) + raised[p.ID]})
			f.agree(p, signedAmount(p))
		}
	}
	for _, p := range projectsOf(l, l.Signed) {
		if e := max(p.SignedOn, p.StartedOn); p.SignedOn.Year() == to.Year() && !p.StartedOn.IsZero() && in(e) {
			f := at(p, p.Owner)
			f.Converted++
			if p.OutOfCity {
				f.ConvertedOut++
			}
		}
	}
	for _, p := range projectsOf(l, l.Started) {
		if in(p.StartedOn) {
			f := at(p, p.Owner)
			f.Started++
			if p.OutOfCity {
				f.StartedOut++
			}
		}
	}
	for _, pay := range l.Payments {
		if p := l.Projects[pay.Project]; in(pay.Date) && p != nil {
			f := at(p, p.Owner)
			f.Funds += pay.Amount
			if p.OutOfCity {
				f.FundsOut += pay.Amount
			}
		}
	}
	for _, a := range l.Activities {
		if in(a.Date) {
			at(l.Projects[a.Project], a.By).act(a)
		}
	}
	for _, t := range l.TasksDone {
		if in(t.DoneOn) {
			f := at(l.Projects[t.Project], t.Assignee)
			f.TasksDone++
			if t.DoneOn <= t.Due {
				f.TasksOnTime++
			}
		}
	}
	for _, f := range out {
		sort.SliceStable(f.Signings, func(i, j int) bool {
			a, b := f.Signings[i].Project, f.Signings[j].Project
			return a.SignedOn < b.SignedOn || a.SignedOn == b.SignedOn && LessID(a.ID, b.ID)
		})
		f.companies = nil
		f.hist = map[int]int{}
		for _, s := range f.Signings {
			f.nSigned++
			if s.Project.OutOfCity {
				f.nSignedOut++
			}
			if k := band(s.Amount); k > 0 {
				f.hist[k]++
			}
		}
	}
	return out
}

func (f *Figures) agree(p *Project, m Money) {
	f.Agreed += m
	if p.OutOfCity {
		f.AgreedOut += m
	}
}

func (f *Figures) act(a *Activity) {
	switch a.Kind {
	case KindVisit:
		f.Visits++
		if a.Company != "" && !f.companies[a.Company] {
			if f.companies == nil {
				f.companies = map[string]bool{}
			}
			f.companies[a.Company] = true
			f.Visited++
		}
	case KindReception:
		f.Receptions++
	case KindPromotion:
		f.Promotions++
	}
}

// signedAmount is the agreed amount at the first signing (records of an
// older layout kept only Amount).
func signedAmount(p *Project) Money {
	if p.Signed != 0 {
		return p.Signed
	}
	return p.Amount
}

// projectsOf returns the ledger's projects with the given IDs, once each.
func projectsOf(l *Ledger, ids []string) []*Project {
	out := make([]*Project, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if p := l.Projects[id]; p != nil && !seen[id] {
			seen[id] = true
			out = append(out, p)
		}
	}
	return out
}

// LessID orders record IDs like P2 < P10: by prefix, then number.
func LessID(a, b string) bool {
	na, errA := strconv.Atoi(a[min(1, len(a)):])
	nb, errB := strconv.Atoi(b[min(1, len(b)):])
	if errA == nil && errB == nil && a != "" && b != "" && a[0] == b[0] {
		return na < nb
	}
	return a < b
}
