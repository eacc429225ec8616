package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot/storage/redistest"
)

// readyz returns s's /readyz status and body.
func readyz(t *testing.T, s *serveProc) (int, string) {
	t.Helper()
	resp, err := http.Get("http://" + s.admin + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRedisRefusesWrites runs `zsbot serve` on a redis-server with
// maxmemory and noeviction, filled until it refuses writes: the reads
// still answer passively with their content, a write gets the reply that
// names the cause (200, so WeCom does not retry) and writes nothing,
// /readyz says why it is not ready, and the metric counts every refusal.
// Once memory is freed the same message — same MsgId: the refusal left no
// once-only record — is recorded, and /readyz is ready again.
func TestRedisRefusesWrites(t *testing.T) {
	r := newRig(t, redistest.MemoryArgs("8mb"))
	s := r.serve(t, "")
	c := e2eClient()
	say := func(from, text, id string) string {
		t.Helper()
		code, reply := post(t, s, c.Text(from, text, id, time.Now()))
		if code != http.StatusOK || reply == "" {
			t.Fatalf("%s: %q: status %d, reply %q; want 200 with a passive reply", from, text, code, reply)
		}
		return reply
	}
	say(e2eAdmin, "人员 添加 zhangsan 张三 双福园区 招商员", "9001")
	say("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 30亿", "9002")
	say("zhangsan", "任务 P1 完成土地摘牌 12月31日", "9003")
	if code, body := readyz(t, s); code != http.StatusOK {
		t.Fatalf("/readyz before: %d %q", code, body)
	}

	r.redis.Fill(t)
	rdb := r.db.Client()
	before := redistest.Snapshot(t, rdb, "zs:{e2e}:*")
	reads := []struct{ text, want string }{
		{"帮助", "新项目"},
		{"查 P1", "诺比侃机器视觉智能装备生产总部"},
		{"我的", "您负责的项目1个"},
		{"统计", "签约项目"},
		{"历史 P1", "新项目"},
	}
	for i, rd := range reads {
		if reply := say("zhangsan", rd.text, "910"+string(rune('0'+i))); !strings.Contains(reply, rd.want) {
			t.Errorf("%q under OOM: %q, want it to hold %q", rd.text, reply, rd.want)
		}
	}
	const refused = "数据服务暂时无法写入（内存已满），本条未记录，请稍后重发。"
	if reply := say("zhangsan", "签约 P1 51亿", "9200"); reply != refused {
		t.Fatalf("a write under OOM: %q, want %q", reply, refused)
	}
	if after := redistest.Snapshot(t, rdb, "zs:{e2e}:*"); after != before {
		t.Fatalf("the bureau's keys changed under OOM:\nbefore %s\nafter  %s", before, after)
	}
	if code, body := readyz(t, s); code != http.StatusServiceUnavailable || !strings.Contains(body, "refuses writes") || !strings.Contains(body, "oom") {
		t.Fatalf("/readyz under OOM: %d %q; want 503 naming the cause", code, body)
	}
	if m := metrics(t, s); !strings.Contains(m, `zsbot_redis_write_refusals_total{cause="oom"} 6`+"\n") {
		t.Fatalf("want 6 refusals (5 reads, 1 write) counted by cause:\n%s", grep(m, "write_refusals"))
	}

	r.redis.Unfill(t)
	if reply := say("zhangsan", "签约 P1 51亿", "9200"); !strings.HasPrefix(reply, "已记录签约") {
		t.Fatalf("the same write after memory was freed: %q", reply)
	}
	if code, body := readyz(t, s); code != http.StatusOK {
		t.Fatalf("/readyz after memory was freed: %d %q", code, body)
	}
}

// grep returns the lines of s that hold substr.
func grep(s, substr string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, substr) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
