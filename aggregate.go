package zsbot

import (
	"sort"
	"strconv"
	"strings"
)

// Aggregates (issue 18): counters the writes keep, per day, month and
// year, of every measure of the figures, so that the figures of any period
// read O(days, months and years in it) small hashes instead of its
// records. Storage applies the deltas in the script that writes the
// records (atomic), and AggData sums them back into Figures equal to
// those of Compute and ComputeBy over the records (the property tests in
// storage and handlers prove it).
//
// A bucket is a day "d:20250304", a month "m:202503" or a year "y:2025".
// Its counters live in hashes by family: "n:<bucket>" the bureau's
// (compact: read by every 统计), "u:<bucket>" the same measures per
// officer and park (read only for figures by park or officer), and
// "k:<bucket>" / "kd:<bucket>:<month>" the visit chains that count
// distinct companies (below). The fields of n and u:
//
//	v r p              visits, receptions, promotions
//	td tt              tasks closed, … on or before their due date
//	s so               projects first signed (市外: so)
//	a ao               协议引资 in 万元: the amount at signing on its day, each 增资 on its own
//	st sto             projects started
//	f fo               资金到位 in 万元
//	h<k>               signings whose amount at signing is k亿 (whole 亿, 1 ≤ k ≤ 1000)
//	h<k>:<d0>          a 增资 that moved a signing of day d0 into (+1) or out of (−1) band k
//	cv:<y> cvo:<y>     a project signed in year y that started (on the later of its signing and start)
//
// In u the same fields carry their owner after "@": the officer and the
// park the record counts for when written, "who|park" — an activity's
// author, a task's assignee, a project's owner, and the project's park
// ("" for a record of no project or a project of no park: the officer's
// park counts, read when summed). Examples: "v@u1|双福园区", "td@u2|",
// "s@u1|珞璜园区", "h12:20250304@u1|珞璜园区", "cv:2025@u1|珞璜园区",
// "c:E3@u1|双福园区" (company E3 visited: a set per owner). A figure by park
// or officer reads O(officers × parks) fields, whatever the records. A
// project moved to another park moves its activities', tasks', payments' and
// its own counts in the same script (the write reads them: storage), and an
// activity or task of a project the change does not put names the park the
// script reads from the projects' units (ParkSlot). A field whose count
// reaches 0 is removed.
//
// Size bands: a band's bounds are whole 亿 (SizeTiers, "N亿级" targets of
// 1 to 1000亿), so a histogram by whole 亿 answers every band exactly. A
// signing's amount at the end of a period is its amount at signing plus the
// 增资 up to then; a 增资 on a later day is an event "h<k>:<d0>" that counts
// only for periods that hold the signing day d0 (d0 ≥ the period's start).
//
// Distinct companies visited: each visit of a company is tagged with the
// day of that company's previous visit (0 for none). The companies visited
// in [F, T] are exactly the visits in [F, T] whose previous visit is before
// F: one per company. The tags of a bucket are kept by the previous visit's
// month ("k:<bucket>", field yyyymm) and, within a month, by day
// ("kd:<bucket>:<yyyymm>", field dd), so a period reads at most a bucket's
// months of history plus 31 fields. Storage keeps each company's visits in a
// sorted set and moves the tags of the next visit in the write script.

// AggDelta is one counter change: field of the day Day (and of its month
// and year) by N.
type AggDelta struct {
	Day   Date
	Field string
	N     int64
	// Project, when set, is the project whose park the field names: the
	// field holds ParkSlot where that park goes, resolved when it is
	// written (the write script reads the project's park) or rebuilt.
	Project string
}

// ParkSlot stands in a field for the park of its delta's Project.
const ParkSlot = "\x00"

// OwnerKey is the owner part of a field by unit: the officer, "|", and the
// park a record counts for when written ("" for none: the officer's park,
// read when summed).
func OwnerKey(who, park string) string { return who + "|" + park }

// AggOf returns the counters one activity or closed task adds to; other
// records add nothing here (projects, 增资 and payments: ProjectAgg and
// PaymentAgg, which depend on other records).
func AggOf(r Record) []AggDelta {
	switch r := r.(type) {
	case *Activity:
		if r == nil || r.Date.IsZero() {
			return nil
		}
		return activityAgg(r)
	case *Task:
		if r == nil || r.DoneOn.IsZero() {
			return nil
		}
		who, p := owned(r.Assignee, r.Project)
		out := []AggDelta{{r.DoneOn, "td", 1, ""}, {r.DoneOn, "td" + who, 1, p}}
		if r.DoneOn <= r.Due {
			out = append(out, AggDelta{r.DoneOn, "tt", 1, ""}, AggDelta{r.DoneOn, "tt" + who, 1, p})
		}
		return out
	}
	return nil
}

func activityAgg(a *Activity) []AggDelta {
	var m string
	switch a.Kind {
	case KindVisit:
		m = "v"
	case KindReception:
		m = "r"
	case KindPromotion:
		m = "p"
	default:
		return nil
	}
	who, p := owned(a.By, a.Project)
	out := []AggDelta{{a.Date, m, 1, ""}, {a.Date, m + who, 1, p}}
	if a.Kind == KindVisit && a.Company != "" {
		out = append(out, AggDelta{a.Date, "c:" + a.Company + who, 1, p})
	}
	return out
}

// owned is the owner part of the fields of a record by who about project
// ("@who|" and the project's park, a ParkSlot), and the project to resolve.
func owned(who, project string) (string, string) {
	if project == "" {
		return "@" + OwnerKey(who, ""), ""
	}
	return "@" + OwnerKey(who, ParkSlot), project
}

// Resolve returns d with the park of its project put in its field (park of
// a project that does not exist: "").
func (d AggDelta) Resolve(park string) AggDelta {
	if d.Project == "" {
		return d
	}
	d.Field = strings.Replace(d.Field, ParkSlot, park, 1)
	d.Project = ""
	return d
}

// PaymentAgg returns the counters of one payment to project p (its 市外
// flag, owner and park; nil p: none, as ComputeBy counts none).
func PaymentAgg(pay *Payment, p *Project) []AggDelta {
	if pay == nil || p == nil || pay.Date.IsZero() || pay.Amount == 0 {
		return nil
	}
	var d []AggDelta
	own := OwnerKey(p.Owner, p.Park)
	both(&d, pay.Date, "f", own, "", int64(pay.Amount))
	if p.OutOfCity {
		both(&d, pay.Date, "fo", own, "", int64(pay.Amount))
	}
	return d
}

// ProjectAgg returns the counters of a project with its 增资 (incs, in any
// order): its signing, its agreed amount and size band over time, its start
// and its conversion. nil p adds nothing.
func ProjectAgg(p *Project, incs []*Increase) []AggDelta {
	if p == nil {
		return nil
	}
	var d []AggDelta
	out := p.OutOfCity
	own := OwnerKey(p.Owner, p.Park)
	d0, amount := p.SignedOn, signedAmount(p)
	if !d0.IsZero() {
		both(&d, d0, "s", own, "", 1)
		both(&d, d0, "a", own, "", int64(amount))
		if out {
			both(&d, d0, "so", own, "", 1)
			both(&d, d0, "ao", own, "", int64(amount))
		}
		if k := band(amount); k > 0 {
			d = append(d, AggDelta{d0, "h" + strconv.Itoa(k), 1, ""}, AggDelta{d0, "h" + strconv.Itoa(k) + "@" + own, 1, ""})
		}
	}
	sorted := append([]*Increase(nil), incs...)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		return a.Date < b.Date || a.Date == b.Date && LessID(a.ID, b.ID)
	})
	for _, z := range sorted {
		if z.Date.IsZero() {
			continue
		}
		both(&d, z.Date, "a", own, "", int64(z.Amount))
		if out {
			both(&d, z.Date, "ao", own, "", int64(z.Amount))
		}
		if d0.IsZero() {
			continue
		}
		kb, ka := band(amount), band(amount+z.Amount)
		amount += z.Amount
		if kb == ka {
			continue
		}
		day, tag := max(z.Date, d0), ""
		if day != d0 {
			tag = ":" + strconv.Itoa(int(d0))
		}
		if kb > 0 {
			both(&d, day, "h"+strconv.Itoa(kb), own, tag, -1)
		}
		if ka > 0 {
			both(&d, day, "h"+strconv.Itoa(ka), own, tag, 1)
		}
	}
	if ds := p.StartedOn; !ds.IsZero() {
		both(&d, ds, "st", own, "", 1)
		if out {
			both(&d, ds, "sto", own, "", 1)
		}
		if !d0.IsZero() {
			tag := ":" + strconv.Itoa(d0.Year())
			both(&d, max(d0, ds), "cv", own, tag, 1)
			if out {
				both(&d, max(d0, ds), "cvo", own, tag, 1)
			}
		}
	}
	return d
}

// both adds n to the bureau's measure m and to the owner's (m@owner);
// tag follows each.
func both(d *[]AggDelta, day Date, m, owner, tag string, n int64) {
	if n == 0 || day.IsZero() {
		return
	}
	*d = append(*d, AggDelta{day, m + tag, n, ""}, AggDelta{day, m + tag + "@" + owner, n, ""})
}

// band is the histogram bin of an amount: whole 亿, capped at 1000 (the
// largest band bound), 0 below 1亿 (no field).
func band(m Money) int {
	if m < Yi {
		return 0
	}
	return int(min(m/Yi, 1000))
}

// NetDeltas returns plus minus minus, summed by day and field, nets of 0
// dropped, in first-seen order.
func NetDeltas(minus, plus []AggDelta) []AggDelta {
	type key struct {
		day            Date
		field, project string
	}
	sum := map[key]int64{}
	var order []key
	add := func(ds []AggDelta, sign int64) {
		for _, d := range ds {
			k := key{d.Day, d.Field, d.Project}
			if _, seen := sum[k]; !seen {
				order = append(order, k)
			}
			sum[k] += sign * d.N
		}
	}
	add(minus, -1)
	add(plus, 1)
	var out []AggDelta
	for _, k := range order {
		if n := sum[k]; n != 0 {
			out = append(out, AggDelta{k.day, k.field, n, k.project})
		}
	}
	return out
}

// AggBuckets are the names of the hashes that one field of day d counts
// in: its family ("u" for a field naming its owner, else "n"), then the
// day, the month and the year: "n:d:20250304", "n:m:202503", "n:y:2025".
func AggBuckets(field string, d Date) [3]string {
	f := "n:"
	if strings.Contains(field, "@") {
		f = "u:"
	}
	return spanNames(f, d)
}

func spanNames(prefix string, d Date) [3]string {
	return [3]string{prefix + "d:" + strconv.Itoa(int(d)), prefix + "m:" + strconv.Itoa(int(d)/100), prefix + "y:" + strconv.Itoa(d.Year())}
}

// ChainCompany returns the company whose visit chain an activity is in:
// a visit's company, or "".
func ChainCompany(a *Activity) string {
	if a == nil || a.Kind != KindVisit || a.Date.IsZero() {
		return ""
	}
	return a.Company
}

// ChainFields are the counters of one visit tag: a visit on day d whose
// company's previous visit was on day prev (0 for none). Each pair is a
// hash and a field: "k:<bucket>" by prev's month, and (prev not 0)
// "kd:<bucket>:<prev's month>" by prev's day, for d's day, month and year.
// The write script computes the same names (apply.lua, chain_tag).
func ChainFields(d, prev Date) [][2]string {
	pm := strconv.Itoa(int(prev) / 100)
	var out [][2]string
	for _, b := range spanNames("", d) {
		out = append(out, [2]string{"k:" + b, pm})
		if prev != 0 {
			out = append(out, [2]string{"kd:" + b + ":" + pm, strconv.Itoa(prev.Day())})
		}
	}
	return out
}

// AggSpan returns the buckets that cover [from, to] exactly, without
// their family: whole years as "y:YYYY", whole months as "m:YYYYMM", the
// rest as days "d:YYYYMMDD", in order.
func AggSpan(from, to Date) []string {
	var out []string
	for d := from; d <= to; {
		if d.Month() == 1 && d.Day() == 1 && NewDate(d.Year(), 12, 31) <= to {
			out = append(out, "y:"+strconv.Itoa(d.Year()))
			d = NewDate(d.Year()+1, 1, 1)
			continue
		}
		first := NewDate(d.Year(), d.Month(), 1)
		next := first.AddDays(32)
		next = NewDate(next.Year(), next.Month(), 1)
		if d == first && next.AddDays(-1) <= to {
			out = append(out, "m:"+strconv.Itoa(int(d)/100))
			d = next
			continue
		}
		out = append(out, "d:"+strconv.Itoa(int(d)))
		d = d.AddDays(1)
	}
	return out
}

// AggKeys returns the hashes that the figures of [from, to] read: the
// bureau's counters and visit chains of each bucket of AggSpan and, with
// units, the counters per owner.
func AggKeys(from, to Date, units bool) []string {
	var out []string
	pm := strconv.Itoa(int(from) / 100)
	for _, b := range AggSpan(from, to) {
		out = append(out, "n:"+b, "k:"+b)
		if from.Day() != 1 {
			out = append(out, "kd:"+b+":"+pm)
		}
		if units {
			out = append(out, "u:"+b)
		}
	}
	return out
}

// AggData is what the figures of some periods read from the aggregates:
// the bucket hashes by name (AggKeys).
type AggData struct {
	Buckets map[string]map[string]int64
}

// Covers reports whether d holds every bucket that the figures of
// [from, to] read (with units: those by owner too).
func (d *AggData) Covers(from, to Date, units bool) bool {
	for _, k := range AggKeys(from, to, units) {
		if _, ok := d.Buckets[k]; !ok {
			return false
		}
	}
	return true
}

// Figures returns the figures of [from, to] as ComputeBy does (nil unit:
// one entry under ""), from the buckets of AggKeys(from, to, unit != nil).
// unit is given a project that holds only the park a field names (ByPark,
// ByOfficer and report.ParkUnit read no more of it).
// Its Signings list is empty: the counts, amounts, bands and Converted
// are set.
func (d *AggData) Figures(from, to Date, unit Unit) map[string]*Figures {
	out := map[string]*Figures{}
	at := func(k string) *Figures {
		f := out[k]
		if f == nil {
			f = &Figures{From: from, To: to, hist: map[int]int{}}
			out[k] = f
		}
		return f
	}
	bureau := at("")
	fromMonth := int(from) / 100
	for _, b := range AggSpan(from, to) {
		for field, n := range d.Buckets["n:"+b] {
			bureau.count(field, int(n), from, to)
		}
		for pm, n := range d.Buckets["k:"+b] {
			m, _ := strconv.Atoi(pm)
			switch {
			case m < fromMonth:
				bureau.Visited += int(n)
			case m == fromMonth && from.Day() != 1:
				for dd, c := range d.Buckets["kd:"+b+":"+pm] {
					if day, _ := strconv.Atoi(dd); day < from.Day() {
						bureau.Visited += int(c)
					}
				}
			}
		}
	}
	if unit == nil {
		bureau.settle()
		return out
	}
	delete(out, "")
	// The unit of an owner ("who|park"), resolved once: a period names the
	// same owners in many buckets and measures.
	units := map[string]*Figures{}
	for _, b := range AggSpan(from, to) {
		for field, n := range d.Buckets["u:"+b] {
			m, owner, _ := strings.Cut(field, "@")
			f := units[owner]
			if f == nil {
				who, park, _ := strings.Cut(owner, "|")
				f = at(unit(&Project{Park: park}, who))
				units[owner] = f
			}
			if company, ok := strings.CutPrefix(m, "c:"); ok {
				if f.companies == nil {
					f.companies = map[string]bool{}
				}
				if !f.companies[company] {
					f.companies[company] = true
					f.Visited++
				}
				continue
			}
			f.count(m, int(n), from, to)
		}
	}
	for _, f := range out {
		f.settle()
		f.companies = nil
	}
	return out
}

// count adds n to the measure of a bureau field (an owner's field without
// its owner).
func (f *Figures) count(field string, n int, from, to Date) {
	switch field {
	case "v":
		f.Visits += n
	case "r":
		f.Receptions += n
	case "p":
		f.Promotions += n
	case "td":
		f.TasksDone += n
	case "tt":
		f.TasksOnTime += n
	case "s":
		f.nSigned += n
	case "so":
		f.nSignedOut += n
	case "a":
		f.Agreed += Money(n)
	case "ao":
		f.AgreedOut += Money(n)
	case "st":
		f.Started += n
	case "sto":
		f.StartedOut += n
	case "f":
		f.Funds += Money(n)
	case "fo":
		f.FundsOut += Money(n)
	default:
		name, tag, _ := strings.Cut(field, ":")
		switch {
		case name == "cv" || name == "cvo":
			if y, _ := strconv.Atoi(tag); y != to.Year() {
				return
			}
			if name == "cv" {
				f.Converted += n
			} else {
				f.ConvertedOut += n
			}
		case len(name) > 1 && name[0] == 'h':
			k, err := strconv.Atoi(name[1:])
			if err != nil {
				return
			}
			if tag != "" {
				if d0, _ := strconv.Atoi(tag); Date(d0) < from {
					return
				}
			}
			f.hist[k] += n
		}
	}
}

// settle drops the empty bins of the histogram.
func (f *Figures) settle() {
	for k, n := range f.hist {
		if n == 0 {
			delete(f.hist, k)
		}
	}
}

// ExpectedBuckets returns every bucket hash (day, month and year, every
// family) that the given records make: what the writes keep, recomputed
// for a rebuild. Records of other kinds are ignored.
func ExpectedBuckets(recs []Record) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	bump := func(k, f string, n int64) {
		h := out[k]
		if h == nil {
			h = map[string]int64{}
			out[k] = h
		}
		if h[f] += n; h[f] == 0 {
			delete(h, f)
		}
	}
	projects := map[string]*Project{}
	incs := map[string][]*Increase{}
	var pays []*Payment
	visits := map[string][]*Activity{}
	add := func(ds []AggDelta) {
		for _, d := range ds {
			for _, b := range AggBuckets(d.Field, d.Day) {
				bump(b, d.Field, d.N)
			}
		}
	}
	var owned []Record // activities and tasks: their fields name their project's park
	for _, r := range recs {
		switch r := r.(type) {
		case *Project:
			projects[r.ID] = r
		case *Increase:
			incs[r.Project] = append(incs[r.Project], r)
		case *Payment:
			pays = append(pays, r)
		case *Activity:
			owned = append(owned, r)
			if c := ChainCompany(r); c != "" {
				visits[c] = append(visits[c], r)
			}
		case *Task:
			owned = append(owned, r)
		}
	}
	for _, r := range owned {
		for _, d := range AggOf(r) {
			park := ""
			if p := projects[d.Project]; p != nil {
				park = p.Park
			}
			add([]AggDelta{d.Resolve(park)})
		}
	}
	for _, p := range projects {
		add(ProjectAgg(p, incs[p.ID]))
	}
	for _, pay := range pays {
		add(PaymentAgg(pay, projects[pay.Project]))
	}
	for _, vs := range visits {
		SortChain(vs)
		prev := Date(0)
		for _, v := range vs {
			for _, hf := range ChainFields(v.Date, prev) {
				bump(hf[0], hf[1], 1)
			}
			prev = v.Date
		}
	}
	for k, h := range out {
		if len(h) == 0 {
			delete(out, k)
		}
	}
	return out
}

// SortChain orders a company's visits as its sorted set does: by day, then
// by ID bytewise.
func SortChain(vs []*Activity) {
	sort.Slice(vs, func(i, j int) bool {
		return vs[i].Date < vs[j].Date || vs[i].Date == vs[j].Date && vs[i].ID < vs[j].ID
	})
}

// DiffBuckets lists the differences between expected and stored bucket
// hashes, one line each, sorted: empty when they agree.
func DiffBuckets(want, got map[string]map[string]int64) []string {
	var out []string
	for k, w := range want {
		g := got[k]
		for f, n := range w {
			if g[f] != n {
				out = append(out, k+" "+f+": 应为 "+strconv.FormatInt(n, 10)+"，存 "+strconv.FormatInt(g[f], 10))
			}
		}
	}
	for k, g := range got {
		for f, n := range g {
			if _, ok := want[k][f]; !ok && n != 0 {
				out = append(out, k+" "+f+": 应为 0，存 "+strconv.FormatInt(n, 10))
			}
		}
	}
	sort.Strings(out)
	return out
}
