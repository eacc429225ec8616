package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// usedMemory returns Redis's used_memory less the clients' buffers.
func (b *realBot) usedMemory(tb testing.TB) int64 {
	tb.Helper()
	info, err := b.db.Client().Info(context.Background(), "memory").Result()
	if err != nil {
		tb.Fatal(err)
	}
	var used, clients int64
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			used, _ = strconv.ParseInt(v, 10, 64)
		}
		if v, ok := strings.CutPrefix(line, "mem_clients_normal:"); ok {
			clients, _ = strconv.ParseInt(v, 10, 64)
		}
	}
	return used - clients
}

// TestRecordSizes measures the Redis memory a bureau's records take, as
// the commands store them: a project (with its new company, name entries,
// directory entry, date indexes, audit entry, history and undo lists) and
// an activity (with its indexes, the project's follow-up date and the
// audit entry with both), the once-only records of the deliveries
// included. The bounds are generous; BENCHMARKS.md has the numbers.
func TestRecordSizes(t *testing.T) {
	b := newRealBot(t)
	b.say(t, "admin", "人员 添加 zhangsan 张三 珞璜园区 招商员")
	const n = 500
	measure := func(what string, text func(i int) string) float64 {
		before := b.usedMemory(t)
		for i := range n {
			if reply, _ := b.say(t, "zhangsan", text(i)); !strings.HasPrefix(reply, "已") {
				t.Fatalf("%q: %q", text(i), reply)
			}
		}
		per := float64(b.usedMemory(t)-before) / n
		t.Logf("%s: %.0f bytes of Redis memory each", what, per)
		return per
	}
	project := measure("project (新项目 with a new company)", func(i int) string {
		return fmt.Sprintf("新项目 星河%04d号精工基地 企业:星河%04d号精工 %d亿 产业:智能装备 园区:珞璜", i, i, 1+i%60)
	})
	activity := measure("activity (拜访 of a company with one project)", func(i int) string {
		return fmt.Sprintf("拜访 星河%04d号精工 成都 洽谈机器视觉装备项目第%d次", i, i)
	})
	if project > 5000 || activity > 3000 {
		t.Errorf("a project takes %.0f bytes and an activity %.0f: more than twice what they took when measured", project, activity)
	}
}
