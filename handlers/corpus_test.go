package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
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
// world's records, and compares the record each one wrote, whole, with
// what the line says was meant. The format is described at the top of the
// file.
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
		case l == "world":
			b, user = world(t), "zhangsan"
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
	if lines < 330 {
		t.Fatalf("corpus.txt has %d messages; it needs 330 or more", lines)
	}
}

// corpusKeys are the fields of each kind of record: a corpus line that
// says a message wrote a record states every one of them (empty as
// "key="), so that no field can be stored wrong unnoticed.
var corpusKeys = map[string][]string{
	"拜访": activityKeys, "接待": activityKeys, "推介": activityKeys, "洽谈": activityKeys, "研判": activityKeys,
	"到位":  {"date", "amount", "project"},
	"增资":  {"date", "amount", "project"},
	"签约":  {"date", "amount", "project"},
	"开工":  {"date", "project"},
	"投产":  {"date", "project"},
	"终止":  {"date", "project", "note"},
	"新项目": {"project", "name", "amount", "company", "date"},
	"任务":  {"date", "note", "project", "who"},
	"完成":  {"id", "date", "project"},
	"协调":  {"id", "note", "project", "date"},
	"解决":  {"id", "date", "note"},
	"撤销":  {"note"},
}

var activityKeys = []string{"date", "company", "project", "city", "count", "note"}

// corpusLine sends msg and checks it against want:
//   - "refused: <text>" or "ask: <text>": the reply contains text and
//     nothing is written;
//   - "reply=<text>" alone: a read; the reply contains text and nothing is
//     written;
//   - "kind=… | key=value | …": the message wrote one audit entry, whose
//     record has exactly these fields (every field of its kind stated),
//     and created a company only when "new=<name>" says so.
func (b *bot) corpusLine(t *testing.T, where, user, msg, want string) {
	t.Helper()
	writes := b.auditLen()
	reply := b.say(user, msg)
	wrote := b.auditLen() - writes
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: %q → %q\n  %s", where, msg, reply, fmt.Sprintf(format, args...))
	}
	for _, prefix := range []string{"refused:", "ask:"} {
		if text, ok := strings.CutPrefix(want, prefix); ok {
			if !strings.Contains(reply, strings.TrimSpace(text)) {
				fail("want a reply containing %q", strings.TrimSpace(text))
			}
			if wrote != 0 {
				fail("%s, yet wrote %d audit entries", strings.TrimSuffix(prefix, ":"), wrote)
			}
			return
		}
	}
	fields := map[string]string{}
	for _, field := range strings.Split(want, "|") {
		k, v, ok := strings.Cut(strings.TrimSpace(field), "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if _, dup := fields[k]; !ok || dup {
			t.Fatalf("%s: bad field %q (want key=value, each key once)", where, field)
		}
		fields[k] = v
	}
	if part, ok := fields["reply"]; ok && !strings.Contains(reply, part) {
		fail("reply lacks %q", part)
	}
	kind := fields["kind"]
	if kind == "" {
		if len(fields) != 1 || fields["reply"] == "" {
			t.Fatalf("%s: a line states kind=… (a write), or reply=… alone (a read)", where)
		}
		if wrote != 0 {
			fail("a read, yet wrote %d audit entries", wrote)
		}
		return
	}
	keys, known := corpusKeys[kind]
	if !known {
		t.Fatalf("%s: unknown kind %q", where, kind)
	}
	for k := range fields {
		if k != "kind" && k != "reply" && k != "new" && !slices.Contains(keys, k) {
			t.Fatalf("%s: %s has no field %q (its fields: %v)", where, kind, k, keys)
		}
	}
	if wrote != 1 {
		fail("wrote %d audit entries, want 1", wrote)
		return
	}
	got := b.written(writes)
	if got["kind"] != kind {
		fail("stored a %q record %v, want %s", got["kind"], got, kind)
		return
	}
	for _, k := range append(keys, "new") {
		v, stated := fields[k]
		switch {
		case !stated && k != "new":
			fail("the line does not state %s (stored %q)", k, got[k])
		case got[k] != v:
			fail("stored %s=%q, want %q (record %v)", k, got[k], v, got)
		}
	}
}

// written returns the fields of the record that the audit entries after
// the first n wrote: the activity, payment, increase, task, coordination
// item or project it created, the task or item it closed, the project
// whose stage it moved, or the undo; "new" names a company it created.
// Nil when nothing was written.
func (b *bot) written(n int) map[string]string {
	b.tb.Helper()
	log, err := b.db.AuditLog(context.Background())
	if err != nil {
		b.tb.Fatal(err)
	}
	if len(log) <= n {
		return nil
	}
	e := log[len(log)-1]
	if e.Undoes != "" {
		return map[string]string{"kind": "撤销", "note": strings.TrimPrefix(e.Summary, "撤销 ")}
	}
	companies := map[string]string{}
	for _, c := range b.dump().Companies {
		companies[c.ID] = c.Name
	}
	decode := func(raw []byte, v any) bool {
		if len(raw) == 0 {
			return false
		}
		if err := json.Unmarshal(raw, v); err != nil {
			b.tb.Fatal(err)
		}
		return true
	}
	rec := map[string]string{}
	for _, d := range e.Changes {
		created := len(d.Before) == 0
		switch d.Kind {
		case zsbot.KindCompany:
			var c zsbot.Company
			if decode(d.After, &c) && created {
				rec["new"] = c.Name
			}
		case zsbot.KindActivity:
			var a zsbot.Activity
			decode(d.After, &a)
			set(rec, "kind", string(a.Kind), "date", a.Date.String(), "company", companies[a.Company],
				"project", a.Project, "city", a.City, "count", count(a.Headcount), "note", a.Note)
		case zsbot.KindPayment:
			var p zsbot.Payment
			decode(d.After, &p)
			set(rec, "kind", "到位", "date", p.Date.String(), "amount", exactMoney(p.Amount), "project", p.Project)
		case zsbot.KindIncrease:
			var z zsbot.Increase
			decode(d.After, &z)
			set(rec, "kind", "增资", "date", z.Date.String(), "amount", exactMoney(z.Amount), "project", z.Project)
		case zsbot.KindTask:
			var was, k zsbot.Task
			decode(d.Before, &was)
			decode(d.After, &k)
			if created {
				set(rec, "kind", "任务", "date", k.Due.String(), "note", k.Text, "project", k.Project, "who", k.Assignee)
			} else if was.DoneOn.IsZero() && !k.DoneOn.IsZero() {
				set(rec, "kind", "完成", "id", k.ID, "date", k.DoneOn.String(), "project", k.Project)
			}
		case zsbot.KindItem:
			var was, c zsbot.Item
			decode(d.Before, &was)
			decode(d.After, &c)
			if created {
				set(rec, "kind", "协调", "id", c.ID, "note", c.Text, "project", c.Project, "date", c.OpenedOn.String())
			} else if was.ResolvedOn.IsZero() && !c.ResolvedOn.IsZero() {
				set(rec, "kind", "解决", "id", c.ID, "date", c.ResolvedOn.String(), "note", c.Resolution)
			}
		case zsbot.KindProject:
			var was, p zsbot.Project
			decode(d.Before, &was)
			decode(d.After, &p)
			if rec["kind"] != "" {
				continue // a payment's or increase's project
			}
			switch {
			case created:
				set(rec, "kind", "新项目", "project", p.ID, "name", p.Name, "amount", exactMoney(p.Planned),
					"company", companies[p.Company], "date", p.CreatedOn.String())
			case p.Stage == zsbot.StageDropped && was.Stage != zsbot.StageDropped:
				set(rec, "kind", "终止", "date", p.DroppedOn.String(), "project", p.ID, "note", p.DropReason)
			case p.SignedOn != was.SignedOn:
				set(rec, "kind", "签约", "date", p.SignedOn.String(), "amount", exactMoney(p.Amount), "project", p.ID)
			case p.OperatingOn != was.OperatingOn:
				set(rec, "kind", "投产", "date", p.OperatingOn.String(), "project", p.ID)
			case p.StartedOn != was.StartedOn:
				set(rec, "kind", "开工", "date", p.StartedOn.String(), "project", p.ID)
			}
		}
	}
	return rec
}

// set puts key/value pairs into rec.
func set(rec map[string]string, kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		rec[kv[i]] = kv[i+1]
	}
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
