package bot_test

import (
	"strings"
	"testing"
)

// maxWriteTrips is the most round trips to Redis a write command may make
// through the whole callback: claim and session, its reads, and the one
// script that writes the change with the delivery's record.
const maxWriteTrips = 3

// namedWriteTrips is what a write naming an existing project, task or item
// makes: the claim reads that record ahead (handlers.Mux.Reads), so the
// command's own read costs none.
const namedWriteTrips = 2

// TestWriteRoundTrips proves the budget on the full path —
// callback, once-only claim, handlers, write, once-only record — by
// counting every command, script and pipeline sent to Redis for each write
// verb of the load mix (and a few more). Reads are logged, not bounded.
func TestWriteRoundTrips(t *testing.T) {
	b := newRealBot(t)
	setup := []string{
		"人员 添加 zhangsan 张三 珞璜园区 招商员",
		"新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 51亿 园区:珞璜",
		"新项目 晶帆光电显示模组 企业:晶帆光电 20亿 园区:珞璜",
		"签约 晶帆光电显示模组 20亿",
		"新项目 康硕精密制造基地 企业:康硕 8亿 园区:珞璜",
		"签约 康硕精密制造基地 8亿",
		"开工 康硕精密制造基地",
	}
	for _, text := range setup {
		if reply, _ := b.say(t, "admin", text); !strings.HasPrefix(reply, "已") {
			t.Fatalf("setup %q: %q", text, reply)
		}
	}
	writes := []string{
		"拜访 诺比侃 成都 洽谈机器视觉装备项目",
		"拜访 中冶赛迪 重庆 初次接触", // a new company
		"接待 晶帆光电 5人 考察园区",
		"洽谈 诺比侃机器视觉智能装备生产总部 已完成土地预审",
		"研判 诺比侃 同意推进",
		"签约 诺比侃 51亿",
		"开工 晶帆光电",
		"到位 康硕 3.5亿",
		"增资 康硕 2亿",
		"任务 诺比侃 完成土地摘牌 2099-12-15 @张三",
		"完成 T1",
		"协调 诺比侃 用电指标需区里协调",
		"解决 C1 已落实",
		"新项目 中科纳米新材料西南智造基地 企业:京纳清科 30亿",
		"改 诺比侃 金额 55亿",
		"终止 中科纳米新材料西南智造基地 企业战略调整",
	}
	// Warm the scripts (the first run of a script on a server costs a NOSCRIPT).
	b.say(t, "zhangsan", "拜访 诺比侃 成都 预热")
	for _, text := range writes {
		reply, trips := b.say(t, "zhangsan", text)
		if !strings.HasPrefix(reply, "已") {
			t.Errorf("%q did not write: %q", text, reply)
			continue
		}
		t.Logf("%d round trips: %s", trips, text)
		if trips > maxWriteTrips {
			t.Errorf("%q made %d round trips to Redis, want at most %d", text, trips, maxWriteTrips)
		}
		// A new company or a new project names nothing stored to read ahead;
		// an 增资 reads the project's other 增资 for the figures' size bands
		// (storage/aggregate.go): one more.
		named := !strings.Contains(text, "中冶赛迪") && !strings.HasPrefix(text, "新项目") && !strings.HasPrefix(text, "增资")
		if named && trips > namedWriteTrips {
			t.Errorf("%q names a stored record but made %d round trips, want %d", text, trips, namedWriteTrips)
		}
	}
	for _, text := range []string{"查 诺比侃", "我的", "统计 本月", "帮助"} {
		b.say(t, "zhangsan", text) // warm its scripts
		_, trips := b.say(t, "zhangsan", text)
		t.Logf("%d round trips (read): %s", trips, text)
	}
}
