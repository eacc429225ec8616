package handlers_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"zsbot"
)

// TestVisitDateProperty sends visits dated in any accepted form, with a
// random time of day and the punctuation voice input adds, and checks that
// each either stores exactly the intended day, with the note untouched, or
// stores nothing.
func TestVisitDateProperty(t *testing.T) {
	b := registered(t)
	b.at("2025-03-20T10:00")
	today := zsbot.Date(20250320)
	r := rand.New(rand.NewPCG(13, 2))
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	stored := 0
	punct := []string{"", "。", "；", "！", "？", "…", "...", ".", "，", "、", " "}
	for i := range 150 {
		k := r.IntN(300)
		d := today.AddDays(-k)
		y, m, day := d.Year(), int(d.Month()), d.Day()
		forms := []string{d.String(), d.Chinese(), fmt.Sprintf("%d/%d/%d", y, m, day), fmt.Sprintf("%d.%d.%d", y, m, day),
			fmt.Sprintf("%d%02d%02d", y, m, day), fmt.Sprintf("%d年%d月%d号", y%100, m, day),
			fmt.Sprintf("%d月%d日", m, day), fmt.Sprintf("%d月%d号", m, day), fmt.Sprintf("%d.%d", m, day), fmt.Sprintf("%d/%d", m, day)}
		if k < 28 {
			forms = append(forms, fmt.Sprintf("%d号", day))
		}
		if k < 3 {
			forms = append(forms, []string{"今天", "昨天", "前天"}[k])
		}
		word := pick(forms...) + pick("", "下午", "上午", "晚上8点", "的下午")
		note := pick("", "谈硅料项目", "谈硅料项目。下周再去")
		parts := []string{"通威", "成都", word + pick(punct...)}
		if r.IntN(2) == 0 {
			parts = append(parts, pick("14:30", "下午3点", "上午")+pick(punct...))
		}
		if note != "" {
			parts = append(parts, note+pick(punct...))
		}
		msg := "拜访 " + strings.Join(parts, pick(" ", "，", "；", "。"))
		n := b.auditLen()
		reply := b.say("zhangsan", msg)
		rec := b.written(n)
		if rec == nil {
			continue // refused, which is allowed: nothing was stored
		}
		stored++
		if rec["date"] != d.String() || rec["note"] != strings.TrimRight(note, "。") || rec["city"] != "成都" {
			t.Fatalf("message %d: %q → %q\n  stored %v; want %s, note %q", i, msg, reply, rec, d, note)
		}
	}
	t.Logf("%d of 150 visits stored", stored)
	if stored < 100 {
		t.Fatalf("only %d of 150 visits were stored; the generator makes too many refusals to prove anything", stored)
	}
}
