package main

import (
	"context"
	"strings"
	"testing"
	"time"
	"zsbot/bot"

	"zsbot/bot/wecomtest"
)

// keyFamilies are the families of a bureau's keys (storage/keys.go), and
// whether each must expire: the record, its indexes, the figures' aggregates and its logs are kept
// (bounded by the records, or trimmed); what serves deliveries, choices,
// locks, rate limits, tokens, notice claims and the serving processes'
// liveness entries must carry a TTL.
var keyFamilies = []struct {
	prefix string
	ttl    bool
}{
	{"rec:", false}, {"seq:", false}, {"names:", false}, {"nameclaim:", false}, {"dir:", false}, {"idx:", false},
	{"audit", false}, {"undo:", false}, {"hist:", false}, {"agg:", false}, {"aggv:", false}, {"aggp", false}, {"aggversion", false},
	{"outbox:queue", false}, {"outbox:msgs", false}, {"outbox:seq", false},
	{"outbox:dead", false}, {"outbox:misconf", false}, {"outbox:alerts", false}, {"greet:", true},
	{"dlv:", true}, {"live:", true}, {"probe", true}, {"pick:", true}, {"outbox:lock", true}, {"rate:", true}, {"token:", true}, {"claim:", true},
}

// TestKeysExpire runs the bot through every kind of key — records,
// deliveries, a pending numbered choice, replies by app message (token,
// outbox, its lock), notices to a group robot (claims, rate counters), a
// greeting (its day's claim),
// /readyz's write probe —
// then scans every key of the bureau: each belongs to a known family, and
// every key of a family that must expire has a TTL.
func TestKeysExpire(t *testing.T) {
	r := newRig(t, nil, "ZSBOT_SCHEDULE_HALF_MONTHLY=*/2 * * * * *", "ZSBOT_REPLY_TIMEOUT=1ns")
	s := r.serve(t, "")
	c := e2eClient()
	for i, text := range []string{
		"群 添加 领导群 robot-e2e-key 全区",
		"人员 添加 zhangsan 张三 珞璜园区 招商员",
		"新项目 星河精工甲基地 企业:星河精工甲 10亿",
		"新项目 星河精工乙基地 企业:星河精工乙 20亿",
		"拜访 星河精工甲 成都",
		"查 星河", // two match: a numbered choice waits
	} {
		id := "200" + string(rune('0'+i))
		if code, _ := post(t, s, c.Text(e2eAdmin, text, id, time.Now())); code != 200 {
			t.Fatalf("%q: status %d", text, code)
		}
		// With a 1 ns reply timeout each command finishes in the background
		// (1 ms was not always shorter than a command on a fast machine):
		// wait for it, or a later command's claim (which takes the sender's
		// pending choice) could overtake it.
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if d, err := r.db.GetDelivery(context.Background(), bot.MessageDelivery(e2eAdmin, id)); err == nil && d.Done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q did not finish within 20s", text)
			}
		}
	}
	ctx := context.Background()
	rdb := r.db.Client()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		kinds := map[string]bool{}
		for _, req := range r.fake.Sent() {
			kinds[req.Path] = true
		}
		pick, _ := rdb.Exists(ctx, "zs:{e2e}:pick:"+e2eAdmin).Result()
		if kinds[wecomtest.PathMessage] && kinds[wecomtest.PathWebhook] && pick == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no app message, robot message and pending choice within 20s: %v, pick %d", kinds, pick)
		}
	}
	// A member opening the app: the day's greeting claim.
	if code, _ := post(t, s, c.Event("zhangsan", "enter_agent", time.Now())); code != 200 {
		t.Fatalf("enter_agent: status %d", code)
	}
	for deadline := time.Now().Add(20 * time.Second); len(rdb.Keys(ctx, "zs:{e2e}:greet:*").Val()) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no greeting claim within 20s")
		}
	}
	if code, body := readyz(t, s); code != 200 { // its write probe
		t.Fatalf("/readyz: %d %q", code, body)
	}
	seen := map[string]int{}
	iter := rdb.Scan(ctx, 0, "*", 1000).Iterator()
	for iter.Next(ctx) {
		key := iter.Val()
		rest, ok := strings.CutPrefix(key, "zs:{e2e}:")
		if !ok {
			t.Errorf("key %q is not the bureau's", key)
			continue
		}
		family := ""
		mustExpire := false
		for _, f := range keyFamilies {
			if strings.HasPrefix(rest, f.prefix) {
				family, mustExpire = f.prefix, f.ttl
				break
			}
		}
		if family == "" {
			t.Errorf("key %q is of no known family", key)
			continue
		}
		seen[family]++
		if ttl := rdb.PTTL(ctx, key).Val(); mustExpire && ttl <= 0 {
			t.Errorf("%q has no TTL (%v)", key, ttl)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	for _, f := range keyFamilies {
		if f.ttl && seen[f.prefix] == 0 {
			t.Errorf("the run made no key of the family %q: it was not checked", f.prefix)
		}
	}
	t.Logf("keys by family: %v", seen)
}
