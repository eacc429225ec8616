package handlers_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"zsbot"
)

// phrasedRecords describes the records the last audit entry wrote, each as
// joinFields of its kind, date, company, place, head count and note (an
// activity); 新企业 and its name (a company); the project, its new stage,
// the stage's day and the agreed amount (a stage change); 到位, project,
// day and amount (a payment); joined by "; ". A project change that keeps
// its stage is left out.
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
