package handlers_test

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zsbot"
)

// TestCorpus sends every message of testdata/corpus.txt, as officers type
// them, through the real handlers on a real redis-server, starting from
// world's records, and compares what was stored with what the line says
// was meant. The format is described at the top of the file.
func TestCorpus(t *testing.T) {
	f, err := os.Open("testdata/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := world(t)
	sc := bufio.NewScanner(f)
	user, lines := "zhangsan", 0
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "@"):
			b.at(l[1:])
		case strings.HasPrefix(l, "as "):
			user = strings.TrimSpace(l[3:])
		default:
			msg, want, ok := strings.Cut(l, "⇒")
			if !ok {
				t.Fatalf("corpus.txt:%d: no ⇒ in %q", n, l)
			}
			lines++
			b.corpusLine(t, fmt.Sprintf("corpus.txt:%d", n), user, strings.TrimSpace(msg), strings.TrimSpace(want))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if lines < 150 {
		t.Fatalf("corpus.txt has %d messages; it needs 150 or more", lines)
	}
}

// corpusKeys are the fields a corpus line may state.
var corpusKeys = []string{"kind", "date", "amount", "company", "project", "name", "city", "count", "note", "reply"}

// corpusLine sends msg and checks it against want: "refused: <text>" (the
// reply contains text and nothing is written) or "key=value | …" (the
// record the message wrote has these fields; reply= is a part of the reply).
func (b *bot) corpusLine(t *testing.T, where, user, msg, want string) {
	t.Helper()
	before, writes := b.dump(), b.auditLen()
	reply := b.say(user, msg)
	after := b.dump()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %q → %q\n  %s", where, msg, reply, fmt.Sprintf(format, args...))
	}
	if refusal, ok := strings.CutPrefix(want, "refused:"); ok {
		if !strings.Contains(reply, strings.TrimSpace(refusal)) {
			fail("want a refusal containing %q", strings.TrimSpace(refusal))
		}
		if n := b.auditLen() - writes; n != 0 {
			fail("refused, yet wrote %d audit entries", n)
		}
		return
	}
	got := newRecord(before, after)
	for _, field := range strings.Split(want, "|") {
		k, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || !slices.Contains(corpusKeys, k):
			t.Fatalf("%s: bad field %q (want key=value with a key among %v)", where, field, corpusKeys)
		case k == "reply":
			if !strings.Contains(reply, v) {
				fail("reply lacks %q", v)
			}
		case got == nil:
			fail("nothing was written; want %s=%s", k, v)
		case got[k] != v:
			fail("stored %s=%q, want %q (record %v)", k, got[k], v, got)
		}
	}
}

// newRecord returns the fields of the record a message wrote, read from
// the exports before and after it: a new activity, payment, increase, task
// or project, else the project whose stage date changed; nil when none.
func newRecord(before, after *zsbot.Dump) map[string]string {
	companies := map[string]string{}
	for _, c := range after.Companies {
		companies[c.ID] = c.Name
	}
	old := map[string]bool{}
	for _, id := range idsOf(before) {
		old[id] = true
	}
	for _, a := range after.Activities {
		if !old[a.ID] {
			return map[string]string{"kind": string(a.Kind), "date": a.Date.String(), "company": companies[a.Company],
				"project": a.Project, "city": a.City, "count": count(a.Headcount), "note": a.Note}
		}
	}
	for _, p := range after.Payments {
		if !old[p.ID] {
			return map[string]string{"kind": "到位", "date": p.Date.String(), "amount": exactMoney(p.Amount), "project": p.Project}
		}
	}
	for _, z := range after.Increases {
		if !old[z.ID] {
			return map[string]string{"kind": "增资", "date": z.Date.String(), "amount": exactMoney(z.Amount), "project": z.Project}
		}
	}
	for _, k := range after.Tasks {
		if !old[k.ID] {
			return map[string]string{"kind": "任务", "date": k.Due.String(), "note": k.Text, "project": k.Project}
		}
	}
	was := map[string]*zsbot.Project{}
	for _, p := range before.Projects {
		was[p.ID] = p
	}
	for _, p := range after.Projects {
		rec := map[string]string{"project": p.ID, "name": p.Name, "company": companies[p.Company]}
		switch q := was[p.ID]; {
		case q == nil:
			rec["kind"], rec["amount"], rec["date"] = "新项目", exactMoney(p.Planned), p.CreatedOn.String()
		case p.SignedOn != q.SignedOn:
			rec["kind"], rec["amount"], rec["date"] = "签约", exactMoney(p.Amount), p.SignedOn.String()
		case p.OperatingOn != q.OperatingOn:
			rec["kind"], rec["date"] = "投产", p.OperatingOn.String()
		case p.StartedOn != q.StartedOn:
			rec["kind"], rec["date"] = "开工", p.StartedOn.String()
		default:
			continue
		}
		return rec
	}
	return nil
}

// idsOf lists the IDs of the records a message may create.
func idsOf(d *zsbot.Dump) []string {
	var ids []string
	for _, a := range d.Activities {
		ids = append(ids, a.ID)
	}
	for _, p := range d.Payments {
		ids = append(ids, p.ID)
	}
	for _, z := range d.Increases {
		ids = append(ids, z.ID)
	}
	for _, k := range d.Tasks {
		ids = append(ids, k.ID)
	}
	return ids
}

func count(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// exactMoney writes an amount exactly, as the corpus does: 20亿, 3000万,
// 1.2亿, 3.0005亿; "" for none.
func exactMoney(m zsbot.Money) string {
	yi, wan := int64(m)/10000, int64(m)%10000
	switch {
	case m == 0:
		return ""
	case wan == 0:
		return fmt.Sprintf("%d亿", yi)
	case yi == 0:
		return fmt.Sprintf("%d万", wan)
	}
	return strings.TrimRight(fmt.Sprintf("%d.%04d", yi, wan), "0") + "亿"
}
