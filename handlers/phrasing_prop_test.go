package handlers_test

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"zsbot"
	"zsbot/handlers/parse"
)

// TestPhrasingKeepsNamesClean generates company names and types them the
// ways officers do — with particles, time words, places, dates and head
// counts around them, glued or apart — and checks that each message
// creates the company under exactly its name, with the activity's place,
// date and head count where they belong.
func TestPhrasingKeepsNamesClean(t *testing.T) {
	b := world(t)
	rng := rand.New(rand.NewPCG(13, 2026))
	dates := []struct {
		word string
		date zsbot.Date
	}{{"", 20241223}, {"昨天", 20241222}, {"前天", 20241221}, {"上周三", 20241218}, {"12月20日", 20241220}}
	places := []string{"成都", "深圳", "宁波", "福建", "江苏", "德国"}
	type form struct {
		text               string // N name, C place, D date word, K count
		kind               zsbot.ActivityKind
		place, date, count bool
	}
	forms := []form{
		{"拜访 N C D", zsbot.KindVisit, true, true, false},
		{"D拜访了N", zsbot.KindVisit, false, true, false},
		{"D去C拜访了N", zsbot.KindVisit, true, true, false},
		{"拜访NCD", zsbot.KindVisit, true, true, false},
		{"拜访 N、C、D", zsbot.KindVisit, true, true, false},
		{"D考察了N C", zsbot.KindVisit, true, true, false},
		{"拜访 了N D", zsbot.KindVisit, false, true, false},
		{"D接待了N一行K人", zsbot.KindReception, false, true, true},
		{"接待 N等K人 D", zsbot.KindReception, false, true, true},
		{"上午接待了NK人", zsbot.KindReception, false, false, true},
		{"D来访 N C K人", zsbot.KindReception, true, true, true},
		{"今天接待了N一行K人", zsbot.KindReception, false, false, true},
		{"今天去C拜访了N", zsbot.KindVisit, true, false, false},
		{"接待 N 共K人 D", zsbot.KindReception, false, true, true},
		{"D去C考察N一行", zsbot.KindVisit, true, true, false},
		{"D接待N等一行K人", zsbot.KindReception, false, true, true},
	}
	var made []string
	for i := 0; i < 80; i++ {
		name := freshName(rng, made)
		made = append(made, name)
		f := forms[rng.IntN(len(forms))]
		d := dates[0] // today, unsaid
		if f.date {
			d = dates[1+rng.IntN(len(dates)-1)]
		}
		place := places[rng.IntN(len(places))]
		count := 2 + rng.IntN(20)
		text := strings.NewReplacer("N", name, "C", place, "D", d.word, "K", strconv.Itoa(count)).Replace(f.text)
		n := b.auditLen()
		reply := b.say("zhangsan", strings.TrimSpace(text))
		if b.auditLen() != n+1 {
			t.Errorf("%q → %q: wrote %d entries, want 1", text, reply, b.auditLen()-n)
			continue
		}
		want := joinFields(string(f.kind), d.date.String(), name, map[bool]string{true: place}[f.place],
			strconv.Itoa(map[bool]int{true: count}[f.count]), "")
		if got := b.phrasedRecords(); got != "新企业 "+name+"; "+want {
			t.Errorf("%q → %q\n  got  %s\n  want 新企业 %s; %s", text, reply, got, name, want)
		}
	}
}

// freshName makes a company name of three to five characters that neither
// contains nor is contained in any name made before, nor is within two
// characters' edit of one (so that it is new, not near: nearmatch.go).
func freshName(rng *rand.Rand, made []string) string {
	const pool = "华鑫瑞泰恒宏达兴隆盛源鼎丰凯博晟昊俊翔宇峰岚澜锦航奥力威琪"
	rs := []rune(pool)
	for {
		var b strings.Builder
		for range 3 + rng.IntN(3) {
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		name, fresh := b.String(), true
		for _, m := range made {
			fresh = fresh && !strings.Contains(m, name) && !strings.Contains(name, m) &&
				parse.EditDistance([]rune(m), []rune(name)) > 2
		}
		if fresh {
			return name
		}
	}
}
