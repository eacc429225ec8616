package handlers

import (
	"os"
	"strings"
	"testing"

	"zsbot"
)

// TestREADMEAccessTable checks README's permission table against the one
// access rule (may): for each row's object and each column's kind of
// person, ✓ exactly when the rule allows.
func TestREADMEAccessTable(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	p := &zsbot.Project{ID: "P1", Owner: "owner", Park: "双福园区"}
	const assignee = "assignee"
	people := map[string]*zsbot.Person{
		"负责人":   {UserID: "owner", Park: "双福园区", Role: zsbot.RoleOfficer, Active: true},
		"本园区人员": {UserID: "mate", Park: "双福", Role: zsbot.RoleOfficer, Active: true},
		"任务负责人": {UserID: assignee, Park: "德感园区", Role: zsbot.RoleOfficer, Active: true},
		"其他人员":  {UserID: "other", Park: "德感园区", Role: zsbot.RoleOfficer, Active: true},
		"领导":    {UserID: "leader", Park: "招商科", Role: zsbot.RoleLeader, Active: true},
		"管理员":   {UserID: "admin", Park: "德感园区", Role: zsbot.RoleAdmin, Active: true},
	}
	rows := map[object]string{ // a verb each row's first cell must name
		objProject: "签约 增资 开工 投产 到位 终止 改 删除 合并 任务 协调 洽谈 研判",
		objTask:    "完成",
		objItem:    "解决",
		objAdmin:   "人员 目标 群 园区",
	}
	var header []string
	seen := map[object]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "|") {
			header = nil
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "写什么" {
			header = cells
			continue
		}
		if header == nil || strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != len(header) {
			t.Fatalf("README: row %q has %d cells, the header %d", line, len(cells), len(header))
		}
		obj, found := object(-1), false
		for o, verbs := range rows {
			if strings.Contains(cells[0], strings.Fields(verbs)[0]) {
				obj, found = o, true
				for _, v := range strings.Fields(verbs) {
					if !strings.Contains(cells[0], v) {
						t.Errorf("README: the row %q does not name %s", cells[0], v)
					}
				}
			}
		}
		if !found {
			t.Errorf("README: row %q names no object of the rule", cells[0])
			continue
		}
		seen[obj] = true
		for i, col := range header[1:] {
			s := people[col]
			if s == nil {
				t.Fatalf("README: column %q is no kind of person the test knows", col)
			}
			want := map[bool]string{true: "✓", false: "✗"}[may(s, obj, p, assignee)]
			if cells[i+1] != want {
				t.Errorf("README: %s × %s is %q, the rule says %q", cells[0], col, cells[i+1], want)
			}
		}
	}
	for o := range rows {
		if !seen[o] {
			t.Errorf("README's permission table has no row for %q", rows[o])
		}
	}
	if len(seen) == 0 {
		t.Fatal("README has no permission table (a header starting 「| 写什么 |」)")
	}
}

// TestMayRefusesTheInactive: a disabled or unregistered person may write
// nothing, whatever the role.
func TestMayRefusesTheInactive(t *testing.T) {
	p := &zsbot.Project{ID: "P1", Owner: "owner", Park: "双福园区"}
	for _, s := range []*zsbot.Person{nil, {UserID: "owner", Park: "双福园区", Role: zsbot.RoleAdmin}} {
		for _, o := range []object{objProject, objTask, objItem, objAdmin} {
			if may(s, o, p, "owner") {
				t.Errorf("may(%+v, %d) = true", s, o)
			}
		}
	}
}
