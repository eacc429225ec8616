package handlers_test

import (
	"strings"
	"testing"

	"zsbot/handlers"
	"zsbot/storage/redistest"
)

// TestWrites checks which commands Mux.Writes calls reads, and proves it
// for every one of them: run on a bureau with records, none changes a key
// but its own once-only record.
func TestWrites(t *testing.T) {
	b := world(t)
	for text, want := range map[string]bool{
		"签约 P1 51亿": true, "拜访 诺比侃 成都": true, "撤销": true, "人员 列表": true, "群 列表": true,
		"通报 预览 半月": true, "导出": true, "2": true, "昨天拜访比亚迪": true, "乱码": true,
		"查 P1": false, "show P1": false, "帮助": false, "?": false, "？": false, "我的": false,
		"统计 本月": false, "历史 P1": false,
	} {
		if got := b.mux.Writes(text); got != want {
			t.Errorf("Writes(%q) = %v, want %v", text, got, want)
		}
	}
	reads := 0
	for _, v := range b.mux.Verbs() {
		if b.mux.Writes(v.Name) != (v.Access > handlers.Member) {
			t.Errorf("Writes(%q) disagrees with its access %d", v.Name, v.Access)
		}
		if v.Access > handlers.Member {
			continue
		}
		for _, text := range []string{v.Name, v.Example} {
			before := b.keys()
			reply := b.say("zhangsan", text)
			if after := b.keys(); after != before {
				t.Errorf("%q (a read) changed the store:\nbefore %s\nafter  %s", text, before, after)
			}
			if reply == "" {
				t.Errorf("%q: no reply", text)
			}
			reads++
		}
	}
	if reads < 10 {
		t.Fatalf("only %d read commands run", reads)
	}
}

// keys returns every key of the bureau with its value, but the messages'
// once-only records: each message, a read too, writes its own when it
// runs on the production path (b.say) with a claim.
func (b *bot) keys() string {
	b.tb.Helper()
	var keep []string
	for _, line := range strings.Split(redistest.Snapshot(b.tb, b.db.Client(), "zs:{test}:*"), "\n") {
		if !strings.HasPrefix(line, "zs:{test}:dlv:") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n")
}
