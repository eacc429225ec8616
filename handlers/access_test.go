package handlers_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// accessWorld returns a bot with officers zs and zl of 双福园区, ww and sq
// of 德感园区, leader li (招商科), admin ad (德感园区, registered), chen of
// 双福园区 (disabled), and the bootstrap admin "admin".
func accessWorld(tb testing.TB) *bot {
	tb.Helper()
	b := newBot(tb)
	for _, c := range []string{
		"人员 添加 zs 张三 双福园区 招商员", "人员 添加 zl 赵六 双福园区 招商员",
		"人员 添加 ww 王五 德感园区 招商员", "人员 添加 sq 孙七 德感园区 招商员",
		"人员 添加 li 李四 招商科 领导", "人员 添加 ad 周八 德感园区 管理员",
		"人员 添加 chen 陈九 双福园区 招商员", "人员 停用 chen",
	} {
		b.expect("admin", c, "已")
	}
	return b
}

// actor is one of the matrix's senders, as it stands to a project of a
// park: who it is for a 双福 project and for a 德感 one.
type actor struct {
	name      string
	shuangfu  string // the userid for a project of 双福园区
	degan     string // the userid for a project of 德感园区
	allowed   bool
	refusedBy string // what the refusal says when !allowed
}

var actors = []actor{
	{"Owner", "zs", "ww", true, ""},
	{"SameParkOfficer", "zl", "sq", true, ""},
	{"OtherParkOfficer", "sq", "zl", false, "只有"},
	{"Leader", "li", "li", true, ""},
	{"Admin", "ad", "ad", true, ""},
	{"Disabled", "chen", "chen", false, "已停用"},
	{"Unregistered", "stranger", "stranger", false, "不是登记用户"},
}

// writing is one verb of the matrix: what its owner does first ({P} the
// project's ID; a {T} or {C} in the reply of the last setup is kept), and
// the command itself.
type writing struct {
	verb  string
	setup []string
	cmd   string
}

var writings = []writing{
	{"签约", nil, "签约 {P} 10亿"},
	{"增资", []string{"签约 {P} 10亿"}, "增资 {P} 1亿"},
	{"开工", []string{"签约 {P} 10亿"}, "开工 {P}"},
	{"投产", []string{"签约 {P} 10亿"}, "投产 {P}"},
	{"到位", []string{"签约 {P} 10亿"}, "到位 {P} 1亿"},
	{"终止", nil, "终止 {P} 企业战略调整"},
	{"改", nil, "改 {P} 产业 新材料"},
	{"任务", nil, "任务 {P} 完成土地摘牌 12月31日"},
	{"协调", nil, "协调 {P} 用电指标需区里协调"},
	{"洽谈", nil, "洽谈 {P} 已完成土地预审"},
	{"研判", nil, "研判 {P} 同意推进"},
	{"完成", []string{"任务 {P} 完成土地摘牌 12月31日"}, "完成 {T}"},
	{"解决", []string{"协调 {P} 用电指标需区里协调"}, "解决 {C} 已落实"},
}

var (
	projectID = regexp.MustCompile(`\bP\d+`)
	taskID    = regexp.MustCompile(`\bT\d+`)
	itemID    = regexp.MustCompile(`\bC\d+`)
)

// TestPermissionMatrix runs every verb that writes a project's records as
// every kind of sender, on a project of the sender's park and of another:
// each is either done (one audit entry) or refused, saying why, with
// nothing written.
func TestPermissionMatrix(t *testing.T) {
	b := accessWorld(t)
	n := 0
	for _, w := range writings {
		for _, park := range []string{"双福园区", "德感园区"} {
			for _, a := range actors {
				t.Run(w.verb+"/"+park+"/"+a.name, func(t *testing.T) {
					owner, user := "zs", a.shuangfu
					if park == "德感园区" {
						owner, user = "ww", a.degan
					}
					n++
					reply := b.expect(owner, fmt.Sprintf("新项目 矩阵项目%d 企业:矩阵企业 10亿", n), park)
					p := projectID.FindString(reply)
					cmd := strings.ReplaceAll(w.cmd, "{P}", p)
					for _, s := range w.setup {
						reply = b.expect(owner, strings.ReplaceAll(s, "{P}", p), "已")
					}
					cmd = strings.ReplaceAll(cmd, "{T}", taskID.FindString(reply))
					cmd = strings.ReplaceAll(cmd, "{C}", itemID.FindString(reply))
					before, project := b.auditLen(), *b.project(p)
					reply = b.say(user, cmd)
					wrote := b.auditLen() - before
					switch {
					case a.allowed && (wrote != 1 || !strings.HasPrefix(reply, "已")):
						t.Errorf("%s: %q → %q (%d entries), want it done", user, cmd, reply, wrote)
					case !a.allowed && (wrote != 0 || !strings.Contains(reply, a.refusedBy)):
						t.Errorf("%s: %q → %q (%d entries), want refused with %q and nothing written", user, cmd, reply, wrote, a.refusedBy)
					case !a.allowed && *b.project(p) != project:
						t.Errorf("%s: %q changed %s", user, cmd, p)
					}
					if a.name == "OtherParkOfficer" && !strings.Contains(reply, park+"的人员、领导和管理员") {
						t.Errorf("%q → %q: the refusal does not name who may", cmd, reply)
					}
				})
			}
		}
	}
}

// TestAdminWrites: people, targets, groups and parks are written by
// admins only, and every refusal writes nothing.
func TestAdminWrites(t *testing.T) {
	b := accessWorld(t)
	for i, cmd := range []string{
		"人员 添加 x%d 某人 双福园区 招商员",
		"目标 2025 签约项目 %d",
		"群 添加 群%d 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa 全区",
		"园区 添加 第%d园区", // last: once a list is kept, 双福园区 above would be refused
	} {
		for j, a := range actors {
			user := a.shuangfu
			text := fmt.Sprintf(cmd, 100+10*i+j)
			n := b.auditLen()
			reply := b.say(user, text)
			wrote := b.auditLen() - n
			allowed := a.name == "Admin"
			if allowed != (wrote == 1) || !allowed && wrote != 0 {
				t.Errorf("%s: %q → %q (%d entries), allowed %v", user, text, reply, wrote, allowed)
			}
			if !allowed && !strings.Contains(reply, "管理员") && !strings.Contains(reply, "登记") {
				t.Errorf("%s: %q → %q: the refusal does not say who may", user, text, reply)
			}
		}
	}
}

// TestTaskAssigneeMayClose: a task's assignee of another park may close
// it, and nothing else of the project.
func TestTaskAssigneeMayClose(t *testing.T) {
	b := accessWorld(t)
	b.expect("zs", "新项目 诺比侃机器视觉 企业:诺比侃 10亿", "P1")
	b.expect("zs", "任务 P1 完成土地摘牌 12月31日 @孙七", "T1", "孙七")
	b.expect("zs", "任务 P1 办理环评 12月30日", "T2")
	b.run(t, []step{
		{"ErrNotHisTask", "sq", "完成 T2", 0, []string{"只有任务负责人张三、项目负责人张三、双福园区的人员、领导和管理员可以完成任务 T2"}},
		{"ErrNotHisProject", "sq", "协调 P1 用电指标", 0, []string{"只有负责人张三、双福园区的人员"}},
		{"Assignee", "sq", "完成 T1", 1, []string{"已完成任务 T1"}},
	})
}
