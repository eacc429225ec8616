package handlers_test

import (
	"context"
	"strings"
	"testing"
)

// TestAdminsNeverLost: a ZSBOT_ADMINS user stays an admin whatever role he
// is registered with, and the last active admin cannot be disabled or
// given another role.
func TestAdminsNeverLost(t *testing.T) {
	b := newBot(t)
	b.run(t, []step{
		{"ConfigAdminAsLeader", "admin", "人员 添加 admin 管理 招商科 领导", 1, []string{"已登记 管理", "在 ZSBOT_ADMINS 中，仍是管理员"}},
		{"ConfigAdminStillAdmin", "admin", "人员 添加 ad 周八 德感园区 管理员", 1, []string{"已登记 周八"}},
		{"DisableConfigAdmin", "ad", "人员 停用 admin", 1, []string{"已停用 管理"}},
		{"ErrDemoteLastAdmin", "ad", "人员 添加 ad 周八 德感园区 招商员", 0, []string{"最后一位在用的管理员"}},
		{"ErrDisableLastAdmin", "ad", "人员 停用 ad", 0, []string{"最后一位在用的管理员"}},
		{"ErrHandOverLastAdmin", "ad", "人员 停用 ad 移交 ad", 0, []string{"不能移交给本人"}},
		{"EnableConfigAdmin", "ad", "人员 启用 admin", 1, []string{"已启用 管理"}},
		{"DemoteOnceAnotherAdmin", "admin", "人员 添加 ad 周八 德感园区 招商员", 1, []string{"已更新 周八"}},
		{"ErrDemotedMayNotManage", "ad", "人员 列表", 0, []string{"只限管理员"}},
	})
}

// TestHandOver: disabling an officer tells the admin what is left, and 移交
// moves his open projects and tasks in one audited, undoable change;
// notices no longer @-mention him.
func TestHandOver(t *testing.T) {
	b := accessWorld(t)
	b.expect("zs", "新项目 诺比侃机器视觉 企业:诺比侃 10亿", "P1")
	b.expect("zs", "新项目 晶帆光电芯片 企业:晶帆光电 10亿", "P2")
	b.expect("zs", "新项目 康硕总部 企业:康硕 10亿", "P3")
	b.expect("zs", "终止 P3 企业战略调整", "已终止")
	b.expect("zs", "任务 P1 完成土地摘牌 今天", "T1")
	b.expect("zs", "任务 P2 办理环评 明天", "T2")
	b.expect("zs", "完成 T2", "已完成")
	b.run(t, []step{
		{"DisableTellsWhatIsLeft", "admin", "人员 停用 zs", 1, []string{"已停用 张三", "名下还有2个未终止的项目、1项未完成的任务", "人员 停用 zs 移交 <userid>"}},
	})
	b.expect("li", "通报 预览 逾期", "T1", "张三（负责人已停用）")
	// 通报 预览 answers plain text, a mention as 「@张三」 (issue 15).
	if got := b.say("li", "通报 预览 逾期"); strings.Contains(got, "@张三") || strings.Contains(got, "@zs") {
		t.Errorf("a disabled officer is @-mentioned:\n%s", got)
	}
	b.run(t, []step{
		{"ErrHeirDisabled", "admin", "人员 停用 zs 移交 chen", 0, []string{"已停用"}},
		{"ErrHeirUnknown", "admin", "人员 停用 zs 移交 nobody", 0, []string{"未找到人员"}},
		{"HandOver", "admin", "人员 停用 zs 移交 zl", 1, []string{"2个项目、1项任务移交给 赵六（zl）", "P1 P2 T1"}},
	})
	for _, id := range []string{"P1", "P2"} {
		if p := b.project(id); p.Owner != "zl" {
			t.Errorf("%s owner = %s, want zl", id, p.Owner)
		}
	}
	if p := b.project("P3"); p.Owner != "zs" {
		t.Errorf("the dropped P3 moved to %s", p.Owner)
	}
	ctx := context.Background()
	if tk, _ := b.db.Task(ctx, "T1"); tk.Assignee != "zl" {
		t.Errorf("T1 assignee = %s", tk.Assignee)
	}
	if tk, _ := b.db.Task(ctx, "T2"); tk.Assignee != "zs" {
		t.Errorf("the done T2 moved to %s", tk.Assignee)
	}
	b.expect("zl", "签约 P1 10亿", "已记录签约")
	b.expect("li", "通报 预览 逾期", "T1 诺比侃机器视觉", "@赵六")
	b.expect("zl", "撤销", "已撤销")
	b.expect("admin", "撤销", "已撤销", "人员 停用 zs 移交 zl")
	if p := b.project("P1"); p.Owner != "zs" {
		t.Errorf("after 撤销 P1 owner = %s", p.Owner)
	}
}
