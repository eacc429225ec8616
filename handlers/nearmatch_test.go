package handlers_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot"
	transport "zsbot/bot"
)

// TestNearMatch: a name close to a company's asks and writes nothing; 1
// or 是 runs the command with the company offered, 新建 makes the new one,
// any other message drops the question.
func TestNearMatch(t *testing.T) {
	b := world(t)
	b.run(t, []step{
		{"Homophone", "", "拜访 康朔 重庆 昨天", 0, []string{"「康朔」与已有的2个企业或项目相近，请回复序号选择：\n1. E2 康硕集团\n2. E4 康硕电子\n或回复「新建」登记新企业「康朔」（10分钟内有效）。"}},
		{"Confirm", "", "1", 1, []string{"拜访", "2024年12月22日", "重庆", "企业：E2 康硕集团"}},
		{"AskAgain", "", "拜访 康朔 重庆", 0, []string{"1. E2 康硕集团", "2. E4 康硕电子"}}, // 康硕电子 reads as 康朔 and more
		{"CreateNew", "", "新建", 1, []string{"拜访", "重庆", "新建企业 E5 康朔"}},
		{"NowExact", "", "接待 康朔 3人", 1, []string{"接待", "3人", "企业：E5 康朔"}},
		{"Contained", "", "拜访 京东方科技集团 北京", 1, []string{"新建企业 E6 京东方科技集团"}},
		{"HoldsNotLinked", "", "新项目 京东物流西南仓 企业:京东 10亿", 0, []string{"是 E6 京东方科技集团 吗", "「京东」"}},
		{"HoldsCreated", "", "新建", 1, []string{"已登记项目 P5 京东物流西南仓", "新建企业 E7 京东"}},
		{"ExactNowLinks", "", "新项目 京东仓二期 企业:京东 5亿", 1, []string{"P6", "企业：E7 京东"}},
		{"Yes", "", "拜访 京东方科技 上海", 1, []string{"企业：E6 京东方科技集团"}}, // the same key: one company
		{"Slip", "", "新项目 晶帆储能 企业:晶帆光学 3亿", 0, []string{"是 E3 晶帆光电 吗"}},
		{"YesWord", "", "是", 1, []string{"P7 晶帆储能", "企业：E3 晶帆光电"}},
		{"PlaceAhead", "", "拜访 重庆康硕 上海", 0, []string{"1. E2 康硕集团", "2. E4 康硕电子", "或回复「新建」登记新企业「重庆康硕」"}},
		{"PickSecond", "", "2", 1, []string{"企业：E4 康硕电子", "项目 P4 康硕电子产业园"}},
		{"Dropped", "", "拜访 康朔集团 上海", 1, []string{"企业：E5 康朔"}},
		{"AskThenOther", "", "改 P3 企业 晶帆光学", 0, []string{"是 E3 晶帆光电 吗"}},
		{"OtherCancels", "", "查 P1", 0, []string{"P1"}},
		{"NoLongerAnswer", "", "1", 0, []string{"没有等待确认或选择"}},
		{"EditNew", "", "改 P3 企业 晶帆光学", 0, []string{"是 E3 晶帆光电 吗"}},
		{"EditCreates", "", "新建", 1, []string{"企业 晶帆光电 → 晶帆光学", "新建企业 E8 晶帆光学"}},
	})
	d := b.dump()
	byID := map[string]string{}
	for _, c := range d.Companies {
		byID[c.ID] = c.Name
	}
	want := map[string]string{"E1": "诺比侃科技", "E2": "康硕集团", "E3": "晶帆光电", "E4": "康硕电子", "E5": "康朔",
		"E6": "京东方科技集团", "E7": "京东", "E8": "晶帆光学"}
	if fmt.Sprint(byID) != fmt.Sprint(want) {
		t.Errorf("companies = %v\nwant %v", byID, want)
	}
	if a := d.Activities[0]; a.Company != "E2" || a.City != "重庆" || a.Date != 20241222 {
		t.Errorf("the confirmed visit = %+v", a)
	}
	if p := b.project("P5"); p.Company != "E7" {
		t.Errorf("P5's company = %s, want E7 京东", p.Company)
	}
}

// TestNearMatchProjects: 拜访 of a word that two projects' names hold asks
// which, or 新建, rather than creating a company of that word.
func TestNearMatchProjects(t *testing.T) {
	b := world(t)
	b.expect("zhangsan", "新项目 新材料中试基地 企业:华彩 3亿", "P5", "新建企业 E5 华彩")
	b.expect("zhangsan", "新项目 新材料产业园 企业:蓝海 5亿", "P6", "新建企业 E6 蓝海")
	b.run(t, []step{
		{"Ask", "", "拜访 新材料 北京", 0, []string{"「新材料」与已有的2个企业或项目相近", "1. 项目 P5 新材料中试基地", "2. 项目 P6 新材料产业园", "新建"}},
		{"Pick", "", "2", 1, []string{"拜访", "北京", "项目 P6 新材料产业园", "企业：E6 蓝海"}},
		{"AskAgain", "", "拜访 新材料 北京", 0, []string{"2个企业或项目"}},
		{"New", "", "新建", 1, []string{"新建企业 E7 新材料"}},
	})
	if a := b.dump().Activities[0]; a.Project != "P6" || a.Company != "E6" {
		t.Errorf("the picked visit = %+v", a)
	}
}

// TestNameClaimRace: 16 officers' first uses of one name at once, each in
// its own unit on the real Redis: exactly one company, and all 16 visits
// stored against it (the losers' commands run again and find it).
func TestNameClaimRace(t *testing.T) {
	b := registered(t)
	const n = 16
	for i := range n {
		b.expect("admin", fmt.Sprintf("人员 添加 u%d 官员%d 双福园区 招商员", i, i), "已登记")
	}
	once := transport.NewOnce(b.db, b.mux, transport.RunOptions{ReplyTimeout: time.Hour, CommandTimeout: time.Hour,
		ClaimTimeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	replies := make([]string, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			id := fmt.Sprintf("race:%d", i)
			res := once.Run(context.Background(), &transport.Delivery{ID: id, MsgID: id, From: fmt.Sprintf("u%d", i),
				Text: "拜访 恒瑞医药 上海", Command: true, At: b.now})
			replies[i] = res.Reply
		})
	}
	close(start)
	wg.Wait()
	d := b.dump()
	if len(d.Companies) != 1 {
		t.Fatalf("%d companies made of one name: %+v", len(d.Companies), d.Companies)
	}
	co := d.Companies[0]
	if len(d.Activities) != n {
		t.Fatalf("%d visits stored, want %d; replies:\n%s", len(d.Activities), n, strings.Join(replies, "\n"))
	}
	made := 0
	for i, a := range d.Activities {
		if a.Company != co.ID || a.Kind != zsbot.KindVisit || a.City != "上海" {
			t.Errorf("visit %d = %+v, want one of %s", i, a, co.ID)
		}
	}
	for _, r := range replies {
		switch {
		case strings.Contains(r, "新建企业 "+co.ID+" 恒瑞医药"):
			made++
		case !strings.Contains(r, "企业："+co.ID+" 恒瑞医药"):
			t.Errorf("reply %q names no company %s", r, co.ID)
		}
	}
	if made != 1 {
		t.Errorf("%d replies say they made the company, want 1", made)
	}
}
