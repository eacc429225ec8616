package zsbot

import (
	"sort"
	"strconv"
	"strings"
)

// Aggregates (issue 18, first step): counters the writes keep, per day and
// per month, of the activity measures of the figures — 拜访, 接待, 推介 and
// the companies visited — for the bureau and for each officer (the
// activity's By). Storage applies the deltas in the script that writes the
// records (atomic); AggTotals reads them back. The measures that depend on
// a project's attributes (signings, starts, funds, 增资) are not kept yet:
// their figures still come from the records.
//
// A bucket is a day, a month or a year, split in three hashes by the
// family of their fields (AggBuckets, AggFamily); the fields are:
//
//	v r p            visits, receptions, promotions of the bureau
//	v@u/P2 r@u/ p@u/ the same recorded by officer u about project P2 (or none)
//	c:E3             visits of company E3 (bureau)
//	c@u/P2:E3        visits of company E3 by officer u about project P2
//
// The unit a field counts for (a park, an officer) is resolved when it is
// read, from the project and the officer named in it (zsbot.Unit), so a
// project moved to another park or a person's park changed moves its
// counts with it, with no rewrite of the counters.
//
// A field whose count drops to 0 is removed, so a company field present
// means "visited in the bucket": the distinct companies of a period are the
// union of its buckets' c: fields, exactly.

// AggDelta is one counter change: field of the day Day (and of its month
// and year) by N.
type AggDelta struct {
	Day   Date
	Field string
	N     int64
}

// AggDeltas returns the counter changes of a put of after over before
// (either nil): before's counts taken off, after's added, nets of zero
// dropped. Only activities count.
func AggDeltas(before, after Record) []AggDelta {
	sum := map[[2]string]int64{}
	var order [][2]string
	add := func(r Record, n int64) {
		a, ok := r.(*Activity)
		if !ok || a == nil || a.Date.IsZero() {
			return
		}
		for _, f := range activityFields(a) {
			k := [2]string{strconv.Itoa(int(a.Date)), f}
			if _, seen := sum[k]; !seen {
				order = append(order, k)
			}
			sum[k] += n
		}
	}
	add(before, -1)
	add(after, +1)
	var out []AggDelta
	for _, k := range order {
		if n := sum[k]; n != 0 {
			d, _ := strconv.Atoi(k[0])
			out = append(out, AggDelta{Day: Date(d), Field: k[1], N: n})
		}
	}
	return out
}

// activityFields are the counters one activity adds 1 to.
func activityFields(a *Activity) []string {
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
	who := a.By + "/" + a.Project
	out := []string{m, m + "@" + who}
	if a.Kind == KindVisit && a.Company != "" {
		out = append(out, "c:"+a.Company, "c@"+who+":"+a.Company)
	}
	return out
}

// AggBuckets are the names of the hashes that one field of day d counts
// in: its family (AggFamily), then the day, the month and the year:
// "n:d:20250304", "n:m:202503", "n:y:2025".
func AggBuckets(field string, d Date) [3]string {
	f := AggFamily(field) + ":"
	return [3]string{f + "d:" + strconv.Itoa(int(d)), f + "m:" + strconv.Itoa(int(d)/100), f + "y:" + strconv.Itoa(d.Year())}
}

// AggFamily is the hash family of a field: "n" the counts (small), "c"
// the companies visited of the bureau, "u" the companies visited per
// officer and project (read only for figures by unit).
func AggFamily(field string) string {
	switch {
	case strings.HasPrefix(field, "c:"):
		return "c"
	case strings.HasPrefix(field, "c@"):
		return "u"
	}
	return "n"
}

// AggTotals are the activity measures of a period from the counters.
type AggTotals struct {
	Visits, Visited, Receptions, Promotions int
}

// SumBuckets adds up bucket hashes (field → count) into the bureau's
// totals and, with unit, the totals per unit: unit(project ID, userid)
// says which unit a field counts for (nil: no units).
func SumBuckets(buckets []map[string]int64, unit func(project, user string) string) (*AggTotals, map[string]*AggTotals) {
	bureau := &AggTotals{}
	units := map[string]*AggTotals{}
	at := func(u string) *AggTotals {
		t := units[u]
		if t == nil {
			t = &AggTotals{}
			units[u] = t
		}
		return t
	}
	seen := map[string]bool{} // unit + "\x00" + company, "\x01" + company for the bureau
	for _, b := range buckets {
		for f, n := range b {
			if n == 0 {
				continue
			}
			switch {
			case f == "v":
				bureau.Visits += int(n)
			case f == "r":
				bureau.Receptions += int(n)
			case f == "p":
				bureau.Promotions += int(n)
			case strings.HasPrefix(f, "c:"):
				if k := "\x01" + f[2:]; !seen[k] {
					seen[k] = true
					bureau.Visited++
				}
			case unit == nil:
			case strings.HasPrefix(f, "c@"):
				rest, co := cutLast(f[2:], ":")
				who, project := cutLast(rest, "/")
				u := unit(project, who)
				if k := u + "\x00" + co; !seen[k] {
					seen[k] = true
					at(u).Visited++
				}
			default:
				m, rest, _ := strings.Cut(f, "@")
				who, project := cutLast(rest, "/")
				t := at(unit(project, who))
				switch m {
				case "v":
					t.Visits += int(n)
				case "r":
					t.Receptions += int(n)
				case "p":
					t.Promotions += int(n)
				}
			}
		}
	}
	return bureau, units
}

// AggProjects returns the project IDs the buckets' fields name, once each.
func AggProjects(buckets []map[string]int64) []string {
	seen := map[string]bool{}
	var out []string
	for _, b := range buckets {
		for f := range b {
			if !strings.Contains(f, "@") {
				continue
			}
			if strings.HasPrefix(f, "c@") {
				f, _ = cutLast(f, ":")
			}
			if _, p := cutLast(f, "/"); p != "" && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.Strings(out)
	return out
}

func cutLast(s, sep string) (string, string) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):]
	}
	return s, ""
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

// ExpectedBuckets returns the day and month bucket hashes that the given
// activities make (for a rebuild): key "d:YYYYMMDD" or "m:YYYYMM".
func ExpectedBuckets(acts []*Activity) map[string]map[string]int64 {
	out := map[string]map[string]int64{}
	bump := func(k, f string) {
		h := out[k]
		if h == nil {
			h = map[string]int64{}
			out[k] = h
		}
		h[f]++
	}
	for _, a := range acts {
		if a == nil || a.Date.IsZero() {
			continue
		}
		for _, f := range activityFields(a) {
			for _, k := range AggBuckets(f, a.Date) {
				bump(k, f)
			}
		}
	}
	return out
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
