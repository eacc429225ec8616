package handlers_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"zsbot"
)

// TestCorpusPhrasing runs officers' messages as typed on a phone
// (testdata/corpus_phrasing.txt) through the real handlers in world's
// bureau, one after the other, and holds each to what it must do:
//
//	message ⇒ 拜访 | 2024-12-22 | 通威 | 成都 | 0 | 洽谈扩产   the records written, exactly
//	message ⇒ refused: 请写明企业                           nothing written; the reply says so
//	message ⇒ ask: 是不是要「签约」                          nothing written; the reply asks
//	message ⇒ reply: P1                                   nothing written (a read)
//
// A record is its kind, date, company, place, head count and note (an
// activity); 新企业 and its name (a company); the project, its new stage, the
// stage's day and the agreed amount (a stage change); 到位, project, day and
// amount (a payment). Several records are joined by "; ". "-" is empty.
// "user> message" speaks as another officer; "@2024-12-23T10:00" moves the clock.
func TestCorpusPhrasing(t *testing.T) {
	f, err := os.Open("testdata/corpus_phrasing.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := world(t)
	sc := bufio.NewScanner(f)
	lines := 0
	for no := 1; sc.Scan(); no++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
			continue
		case strings.HasPrefix(l, "@"):
			b.at(l[1:])
			continue
		}
		text, want, ok := strings.Cut(l, " ⇒ ")
		if !ok {
			t.Fatalf("line %d: no ⇒ in %q", no, l)
		}
		lines++
		user := "zhangsan"
		if u, rest, ok := strings.Cut(text, "> "); ok && !strings.ContainsAny(u, " ") {
			user, text = u, rest
		}
		n := b.auditLen()
		reply := b.say(user, text)
		wrote := b.auditLen() - n
		switch {
		case strings.HasPrefix(want, "refused: ") || strings.HasPrefix(want, "ask: ") || strings.HasPrefix(want, "reply: "):
			_, part, _ := strings.Cut(want, ": ")
			if wrote != 0 || !strings.Contains(reply, part) {
				t.Errorf("line %d: %q → %q (wrote %d)\n  want nothing written and %q", no, text, reply, wrote, part)
			}
		case wrote != 1:
			t.Errorf("line %d: %q → %q\n  wrote %d entries, want the records %s", no, text, reply, wrote, want)
		default:
			if got := b.phrasedRecords(); got != want {
				t.Errorf("line %d: %q → %q\n  got  %s\n  want %s", no, text, reply, got, want)
			}
		}
	}
	if lines < 100 {
		t.Fatalf("the corpus has %d messages; it needs 100 or more", lines)
	}
}

// phrasedRecords describes the records the last audit entry wrote (see
// TestCorpusPhrasing); a project change that keeps its stage is left out.
func (b *bot) phrasedRecords() string {
	b.tb.Helper()
	log, err := b.db.AuditLog(context.Background())
	if err != nil {
		b.tb.Fatal(err)
	}
	var out []string
	for _, d := range log[len(log)-1].Changes {
		if s := b.describeDiff(d); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "; ")
}

func (b *bot) describeDiff(d zsbot.Diff) string {
	b.tb.Helper()
	decode := func(raw []byte, v any) {
		if err := json.Unmarshal(raw, v); err != nil {
			b.tb.Fatal(err)
		}
	}
	switch d.Kind {
	case zsbot.KindCompany:
		var c zsbot.Company
		decode(d.After, &c)
		return "新企业 " + c.Name
	case zsbot.KindActivity:
		var a zsbot.Activity
		decode(d.After, &a)
		company := "-"
		if a.Company != "" {
			c, err := b.db.Company(context.Background(), a.Company)
			if err != nil {
				b.tb.Fatal(err)
			}
			company = c.Name
		}
		return joinFields(string(a.Kind), a.Date.String(), company, a.City, strconv.Itoa(a.Headcount), a.Note)
	case zsbot.KindPayment:
		var p zsbot.Payment
		decode(d.After, &p)
		return joinFields("到位", p.Project, p.Date.String(), p.Amount.Yi())
	case zsbot.KindProject:
		var before, after zsbot.Project
		if len(d.Before) > 0 {
			decode(d.Before, &before)
		}
		decode(d.After, &after)
		switch {
		case after.Stage == before.Stage:
			return ""
		case after.Stage == zsbot.StageSigned:
			return joinFields(after.ID, string(after.Stage), after.SignedOn.String(), after.Amount.Yi())
		case after.Stage == zsbot.StageStarted:
			return joinFields(after.ID, string(after.Stage), after.StartedOn.String())
		}
		return joinFields(after.ID, string(after.Stage))
	}
	return string(d.Kind) + " " + d.ID
}

// joinFields joins fields with " | ", an empty one shown as "-".
func joinFields(fields ...string) string {
	for i, f := range fields {
		if f == "" {
			fields[i] = "-"
		}
	}
	return strings.Join(fields, " | ")
}
