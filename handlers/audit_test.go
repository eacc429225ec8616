package handlers_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"zsbot/storage"
)

// TestGroupUndoKeepsNoKey adds a robot group, undoes it, adds it again,
// changes it, removes it and tries to undo the removal: every audit entry
// stays free of the key, and the record alone holds it.
func TestGroupUndoKeepsNoKey(t *testing.T) {
	b := registered(t)
	ctx := context.Background()
	add := "群 添加 领导群 " + robotKey + " 全区"
	b.expect("admin", add, "已登记群 领导群")
	b.expect("admin", "撤销", "已撤销")
	if _, err := b.db.Group(ctx, "领导群"); err == nil {
		t.Fatal("undoing 群 添加 left the group")
	}
	b.expect("admin", add, "已登记群 领导群")
	b.expect("admin", "群 添加 领导群 "+robotKey+" 全区 季度", "已更新群 领导群")
	b.expect("admin", "撤销", "已撤销")
	if g, err := b.db.Group(ctx, "领导群"); err != nil || g.RobotKey != robotKey || len(g.Notices) != 4 {
		t.Fatalf("undoing a change of notices: %+v, %v (want the key and the four default notices)", g, err)
	}
	b.expect("admin", "群 添加 领导群 abcd1234-ef56-7890 全区", "已更新群 领导群")
	b.expect("admin", "撤销", "不能撤销", "不保存key", "群 添加 领导群 <机器人key> 全区")
	if g, _ := b.db.Group(ctx, "领导群"); g.RobotKey != "abcd1234-ef56-7890" {
		t.Fatalf("a refused undo changed the group: %+v", g)
	}
	b.expect("admin", "群 删除 领导群", "已删除群 领导群")
	b.expect("admin", "撤销", "不能撤销「群 删除 领导群」", "请重新登记：群 添加 领导群 <机器人key> 全区")
	if _, err := b.db.Group(ctx, "领导群"); err == nil {
		t.Fatal("a refused undo brought the group back")
	}
	log, err := b.db.AuditLog(ctx)
	if err != nil || len(log) < 6 {
		t.Fatalf("audit log: %d entries, %v", len(log), err)
	}
	for _, e := range log {
		raw, _ := json.Marshal(e)
		text := string(raw) + e.Raw + e.Summary
		for _, d := range e.Changes {
			text += string(d.Before) + string(d.After)
		}
		if strings.Contains(text, robotKey) || strings.Contains(text, "abcd1234-ef56-7890") {
			t.Errorf("audit entry %s holds a robot key: %s", e.ID, text)
		}
	}
}

// TestHistoryAndUndoAtTheWindow archives the entries written before a
// moment and checks 历史 and 撤销 on both sides of it.
func TestHistoryAndUndoAtTheWindow(t *testing.T) {
	b := world(t)
	b.at("2024-12-23T11:00")
	b.expect("zhangsan", "洽谈 诺比侃 已完成土地预审", "洽谈")
	time.Sleep(5 * time.Millisecond)
	cut := time.Now()
	time.Sleep(5 * time.Millisecond)
	b.expect("zhangsan", "洽谈 诺比侃 已报价", "洽谈")
	o := storage.ArchiveOptions{Dir: t.TempDir(), Keep: 24 * time.Hour, Now: cut.Add(24 * time.Hour), Loc: shanghai}
	if rep, err := b.db.ArchiveAudit(context.Background(), o); err != nil || rep.Archived == 0 {
		t.Fatalf("archive: %+v, %v", rep, err)
	}
	got := b.expect("wangwu", "历史 P1", "张三：洽谈 诺比侃 已报价", "更早的记录已归档（保留1天）")
	if strings.Contains(got, "已完成土地预审") || strings.Contains(got, "新项目") {
		t.Errorf("历史 shows archived entries:\n%s", got)
	}
	b.expect("zhangsan", "撤销", "已撤销", "洽谈 诺比侃 已报价")
	b.expect("zhangsan", "撤销", "您更早的操作已归档（保留1天），不能再撤销")
	b.expect("li", "历史 P1", "张三：撤销", "〔已撤销〕", "更早的记录已归档（保留1天）")
}
