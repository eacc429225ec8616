package handlers_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot/storage"
)

// BenchmarkAuditMemory measures the Redis memory of a seed-sized bureau
// (a year: 120 signings, 60 starts, 300 visits, 400 receptions, 240 tasks of
// which 200 done, 240 payments), generated command by command through the
// handlers and the real write path, so with every audit entry: one year,
// ten years, and ten years after the audit archive with a 400-day
// retention. Run once (BENCHMARKS.md):
//
//	go test ./handlers -run '^$' -bench AuditMemory -benchtime 1x -timeout 30m
func BenchmarkAuditMemory(b *testing.B) {
	for _, years := range []int{1, 10} {
		b.Run(fmt.Sprintf("%dy", years), func(b *testing.B) {
			bot := registered(b)
			ctx := context.Background()
			base := usedMemory(b, bot.db)
			rng := rand.New(rand.NewPCG(2026, 12))
			for y := range years {
				seedYear(b, bot, rng, 2017+y)
			}
			report(b, bot.db, base, "all")
			if years == 1 {
				return
			}
			restamp(b, bot.db)
			end := time.Date(2017+years, 1, 1, 0, 0, 0, 0, shanghai)
			rep, err := bot.db.ArchiveAudit(ctx, storage.ArchiveOptions{Dir: b.TempDir(), Keep: 400 * 24 * time.Hour, Now: end, Loc: shanghai})
			if err != nil {
				b.Fatal(err)
			}
			b.Logf("archived %d entries to %d monthly files", rep.Archived, len(rep.Files))
			report(b, bot.db, base, "kept400d")
		})
	}
}

var idOf = regexp.MustCompile(`[PT]\d+`)

// seedYear sends one year of a seed-sized bureau's commands, each on its
// day at 10:00 (a deterministic spread).
func seedYear(tb testing.TB, b *bot, rng *rand.Rand, year int) {
	tb.Helper()
	on := func(d int) { b.now = time.Date(year, 1, 1, 10, 0, 0, 0, shanghai).AddDate(0, 0, d) }
	var projects, tasks []string
	for i := range 120 {
		on(i * 3)
		p := idOf.FindString(b.say("zhangsan", fmt.Sprintf("新项目 智能装备项目%d-%d 企业:装备科技%d-%d 5亿 产业:智能装备", year, i, year, i)))
		b.expect("zhangsan", "签约 "+p+" 5亿 今天", "签约")
		projects = append(projects, p)
	}
	// pick is a project signed by the current day (created every third day).
	pick := func() string {
		d := int(b.now.Sub(time.Date(year, 1, 1, 10, 0, 0, 0, shanghai)) / (24 * time.Hour))
		return projects[rng.IntN(min(len(projects), d/3+1))]
	}
	for i := range 60 {
		on(10 + i*5)
		b.expect("zhangsan", "开工 "+projects[i]+" 今天", "开工")
	}
	for i := range 300 {
		on(i * 364 / 300)
		b.expect("zhangsan", "拜访 "+pick()+" 成都 今天 洽谈机器视觉装备项目的用地与配套", "拜访")
	}
	for i := range 400 {
		on(i * 364 / 400)
		b.expect("zhangsan", "接待 "+pick()+" 5人 今天 考察园区并座谈", "接待")
	}
	for i := range 240 {
		on(i * 300 / 240)
		due := b.now.AddDate(0, 1, 0).Format("2006-01-02")
		tasks = append(tasks, idOf.FindString(b.say("zhangsan", "任务 "+pick()+" 完成土地摘牌和规划许可 "+due+" @张三")))
		if reply := b.say("zhangsan", "到位 "+pick()+" 0.5亿 今天"); strings.Contains(reply, "是否确认") {
			b.expect("zhangsan", "确认", "已记录到位资金") // past the 协议引资: asked first
		} else if !strings.Contains(reply, "已记录到位资金") {
			tb.Fatalf("到位 → %q", reply)
		}
	}
	for i, t := range tasks[:200] {
		on(20 + i*300/240)
		b.expect("zhangsan", "完成 "+t, "完成")
	}
}

// restamp gives the audit entries the IDs Redis would have given them had
// they been written on their days (their When), and maps the history and
// undo lists to the new IDs: the archive goes by stream ID.
func restamp(tb testing.TB, db *storage.DB) {
	tb.Helper()
	ctx, rdb := context.Background(), db.Client()
	log, err := db.AuditLog(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	msgs, _ := rdb.XRange(ctx, "zs:{test}:audit", "-", "+").Result()
	order := make([]int, len(log)) // by When: seedYear sends a year's commands kind by kind
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return log[x].When.Compare(log[y].When) })
	newID, last, seq := map[string]string{}, int64(0), 0
	pipe := rdb.Pipeline()
	for _, i := range order {
		a := log[i]
		ms := a.When.UnixMilli()
		if ms <= last {
			ms, seq = last, seq+1
		} else {
			seq = 0
		}
		last = ms
		newID[a.ID] = strconv.FormatInt(ms, 10) + "-" + strconv.Itoa(seq)
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: "zs:{test}:audit2", ID: newID[a.ID], Values: msgs[i].Values})
	}
	pipe.Rename(ctx, "zs:{test}:audit2", "zs:{test}:audit")
	for _, pattern := range []string{"zs:{test}:hist:*", "zs:{test}:undo:*"} {
		keys, _ := rdb.Keys(ctx, pattern).Result()
		for _, k := range keys {
			ids, _ := rdb.LRange(ctx, k, 0, -1).Result()
			pipe.Del(ctx, k)
			for _, id := range ids {
				pipe.RPush(ctx, k, newID[id])
			}
		}
	}
	if _, err := pipe.Exec(ctx); err != nil {
		tb.Fatal(err)
	}
}

// report logs and reports the bureau's memory: MEMORY USAGE summed over
// its keys (all, and the audit stream alone), and INFO used_memory less
// base (the empty server's).
func report(b *testing.B, db *storage.DB, base int64, label string) {
	ctx, rdb := context.Background(), db.Client()
	keys, _ := rdb.Keys(ctx, "zs:{test}:*").Result()
	var sum, audit int64
	for _, k := range keys {
		n, err := rdb.MemoryUsage(ctx, k, 0).Result()
		if err != nil {
			b.Fatal(err)
		}
		sum += n
		if strings.HasSuffix(k, ":audit") {
			audit = n
		}
	}
	entries, _ := rdb.XLen(ctx, "zs:{test}:audit").Result()
	used := usedMemory(b, db) - base
	b.Logf("%s: %d keys, MEMORY USAGE %d B (audit stream %d B, %d entries), used_memory delta %d B", label, len(keys), sum, audit, entries, used)
	b.ReportMetric(float64(sum), label+"-usage-B")
	b.ReportMetric(float64(audit), label+"-audit-B")
	b.ReportMetric(float64(used), label+"-used-B")
}

func usedMemory(tb testing.TB, db *storage.DB) int64 {
	tb.Helper()
	info, err := db.Client().Info(context.Background(), "memory").Result()
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(info, "\r\n") {
		if v, ok := strings.CutPrefix(line, "used_memory:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	tb.Fatal("no used_memory in INFO")
	return 0
}
