package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/bot/wecomtest"
)

// client is WeCom's side of the rig's app.
func e2eClient() *wecompeer.Client {
	return &wecompeer.Client{Token: e2eToken, AESKey: e2eAESKey, CorpID: e2eCorpID, AgentID: "1000002"}
}

// post delivers plain to s and returns the status and the passive reply
// ("" for none).
func post(t *testing.T, s *serveProc, plain []byte) (int, string) {
	t.Helper()
	return postVia(t, http.DefaultClient, s, plain)
}

// postVia is post through hc.
func postVia(t *testing.T, hc *http.Client, s *serveProc, plain []byte) (int, string) {
	t.Helper()
	c := e2eClient()
	req, err := c.Post("http://"+s.addr+"/wecom/callback", plain, time.Now(), "42")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(body) == 0 {
		return resp.StatusCode, ""
	}
	r, err := c.OpenReply(body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, r.Content
}

// TestDuplicateDeliveriesUnderLoad delivers every message of the load one
// to four times at once: each copy that replies gives the same reply, and
// the records equal the distinct messages.
func TestDuplicateDeliveriesUnderLoad(t *testing.T) {
	r := newRig(t, nil)
	s := r.serve(t, "")
	c := faultLoad(3 * time.Second)
	c.Copies, c.Retries = 4, 0
	res, acks := r.runLoad(t, s, c, func() {})
	if res.Run.ErrorCount() != 0 { // OutMismatch counts: copies replied differently
		t.Fatalf("errors: %v %v", res.Run.Outcomes, res.Run.Errors)
	}
	v := r.verify(t, acks)
	if v.Unacked != 0 {
		t.Errorf("%d messages written but not acknowledged", v.Unacked)
	}
	activities := 0
	for _, line := range strings.Split(string(acks), "\n") {
		if strings.Contains(line, `"write":true`) && (strings.Contains(line, `"verb":"拜访"`) || strings.Contains(line, `"verb":"接待"`) || strings.Contains(line, `"verb":"洽谈"`)) {
			activities++
		}
	}
	if n := r.db.Client().HLen(context.Background(), "zs:{e2e}:rec:activity").Val(); n != int64(activities) {
		t.Errorf("%d activity records for %d distinct acknowledged activity messages", n, activities)
	}
}

// TestTwoInstances runs two `zsbot serve` on one Redis (issue #7): a
// message delivered to one and retried to the other — one after the
// other, or both at once — makes one record and the same reply; and the
// two schedulers send each occurrence of a notice once.
func TestTwoInstances(t *testing.T) {
	r := newRig(t, nil, "ZSBOT_SCHEDULE_HALF_MONTHLY=*/2 * * * * *", "ZSBOT_SCHEDULE_MONTHLY=off",
		"ZSBOT_SCHEDULE_QUARTERLY=off", "ZSBOT_SCHEDULE_OVERDUE=off", "ZSBOT_SCHEDULE_PERSONAL=off")
	a, b := r.serve(t, ""), r.serve(t, "")
	c := e2eClient()
	if _, reply := post(t, a, c.Text(e2eAdmin, "群 添加 领导群 robot-e2e-key 全区", "1001", time.Now())); !strings.HasPrefix(reply, "已") {
		t.Fatalf("group: %q", reply)
	}
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	grouped := time.Now().In(shanghai).Format("2006-01-02T15:04:05") // occurrences after it have a group to go to
	t.Run("RetryToTheOther", func(t *testing.T) {
		msg := c.Text(e2eAdmin, "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 51亿", "1002", time.Now())
		_, first := post(t, a, msg)
		_, again := post(t, b, msg)
		if !strings.HasPrefix(first, "已登记项目") || again != first {
			t.Fatalf("A replied %q, B %q", first, again)
		}
		msg = c.Text(e2eAdmin, "拜访 诺比侃 成都 两台同时收到", "1003", time.Now())
		var wg sync.WaitGroup
		replies := make([]string, 2)
		for i, s := range []*serveProc{a, b} {
			wg.Go(func() { _, replies[i] = post(t, s, msg) })
		}
		wg.Wait()
		if !strings.HasPrefix(replies[0], "已记录拜访") || replies[1] != replies[0] {
			t.Fatalf("at once: A replied %q, B %q", replies[0], replies[1])
		}
		audited, err := r.db.AuditedDeliveries(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if audited[bot.MessageDelivery(e2eAdmin, "1002")] != 1 || audited[bot.MessageDelivery(e2eAdmin, "1003")] != 1 {
			t.Fatalf("audit entries per delivery: %v", audited)
		}
	})
	t.Run("NoticeOnce", func(t *testing.T) {
		time.Sleep(7 * time.Second) // three or four occurrences, every two seconds
		a.stop(t)
		b.stop(t)
		ctx := context.Background()
		rdb := r.db.Client()
		keys, err := rdb.Keys(ctx, "zs:{e2e}:claim:half-monthly:*").Result()
		if err != nil {
			t.Fatal(err)
		}
		var claims []string
		for _, k := range keys {
			if strings.TrimPrefix(k, "zs:{e2e}:claim:half-monthly:") > grouped {
				claims = append(claims, k)
			}
		}
		if len(claims) < 2 {
			t.Fatalf("%d occurrences claimed since the group was added (%q); want a few", len(claims), keys)
		}
		// Each bulletin is one markdown message, which a chart may follow
		// as an image (when a CJK font is installed): count the markdown.
		queued := 0
		for _, raw := range rdb.HVals(ctx, "zs:{e2e}:outbox:msgs").Val() {
			if strings.Contains(raw, `"format":"markdown"`) {
				queued++
			}
		}
		sent := 0
		for _, req := range r.fake.Sent() {
			if req.Path == wecomtest.PathWebhook && req.Body["msgtype"] == "markdown" {
				sent++
			}
		}
		if sent+int(queued) != len(claims) {
			t.Fatalf("%d bulletins sent and %d still queued for %d occurrences claimed", sent, queued, len(claims))
		}
	})
}
