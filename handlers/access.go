package handlers

import (
	"context"
	"strings"

	"zsbot"
)

// object is what a write touches, as the access rule sees it.
type object int

// The objects of the access rule; README's permission table has a row for
// each (TestREADMEAccessTable).
const (
	objProject object = iota // a project's records: 签约 增资 开工 投产 到位 终止 改 删除 合并 任务 协调 洽谈 研判
	objTask                  // closing a task (完成)
	objItem                  // resolving a coordination item (解决)
	objAdmin                 // people, targets, groups, parks
)

// may is the bureau's one access rule: whether s may write obj, which
// belongs to project p (nil for admin objects, or a project gone), with
// assignee the task's assignee (objTask only). A project's records are for
// its owner, the officers of its park, leaders and admins; a task may also
// be closed by its assignee; people, targets, groups and parks are for
// admins. A disabled or unregistered person may write nothing.
func may(s *zsbot.Person, obj object, p *zsbot.Project, assignee string) bool {
	switch {
	case s == nil || !s.Active:
		return false
	case s.IsAdmin():
		return true
	case obj == objAdmin:
		return false
	case s.IsLeader():
		return true
	case obj == objTask && assignee != "" && s.UserID == assignee:
		return true
	case p == nil:
		return false
	case s.UserID == p.Owner:
		return true
	}
	return p.Park != "" && samePark(s.Park, p.Park)
}

// mayWriteProject refuses, naming who may, unless the sender may write
// p's records; what is the action as the refusal words it ("签约", "修改").
func (h *handlers) mayWriteProject(ctx context.Context, r *Request, p *zsbot.Project, what string) error {
	if may(r.Sender, objProject, p, "") {
		return nil
	}
	return zsbot.Errorf(zsbot.EFORBIDDEN, "只有%s、领导和管理员可以%s %s %s。", h.projectPeople(ctx, r, p, "负责人"), what, p.ID, clip(p.Name, 20))
}

// mayCloseTask refuses, naming who may, unless the sender may close t:
// its assignee, its project's owner or park, leaders and admins.
func (h *handlers) mayCloseTask(ctx context.Context, r *Request, t *zsbot.Task) error {
	p, err := h.projectOf(ctx, r, t.Project)
	if err != nil {
		return err
	}
	if may(r.Sender, objTask, p, t.Assignee) {
		return nil
	}
	who := "任务负责人" + h.personName(ctx, r.Tx, t.Assignee)
	if p != nil {
		who += "、" + h.projectPeople(ctx, r, p, "项目负责人")
	}
	return zsbot.Errorf(zsbot.EFORBIDDEN, "只有%s、领导和管理员可以完成任务 %s。", who, t.ID)
}

// mayResolveItem refuses, naming who may, unless the sender may resolve
// it: its project's owner or park, leaders and admins.
func (h *handlers) mayResolveItem(ctx context.Context, r *Request, it *zsbot.Item) error {
	p, err := h.projectOf(ctx, r, it.Project)
	if err != nil {
		return err
	}
	if may(r.Sender, objItem, p, "") {
		return nil
	}
	who := "领导和管理员"
	if p != nil {
		who = h.projectPeople(ctx, r, p, "项目负责人") + "、" + who
	}
	return zsbot.Errorf(zsbot.EFORBIDDEN, "只有%s可以解决协调事项 %s。", who, it.ID)
}

// mustAdmin refuses unless the sender is an admin: people, targets, groups
// and parks are for admins; what is the action as the refusal words it.
func mustAdmin(r *Request, what string) error {
	if may(r.Sender, objAdmin, nil, "") {
		return nil
	}
	return zsbot.Errorf(zsbot.EFORBIDDEN, "只有管理员可以%s。", what)
}

// projectOf reads a task's or item's project; nil when it is gone.
func (h *handlers) projectOf(ctx context.Context, r *Request, id string) (*zsbot.Project, error) {
	if id == "" {
		return nil, nil
	}
	p, err := r.Tx.Project(ctx, id)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return nil, nil
	}
	return p, err
}

// projectPeople names who, besides leaders and admins, may write p:
// "负责人张三、双福园区的人员".
func (h *handlers) projectPeople(ctx context.Context, r *Request, p *zsbot.Project, owner string) string {
	who := []string{owner + h.personName(ctx, r.Tx, p.Owner)}
	if p.Park != "" {
		who = append(who, p.Park+"的人员")
	}
	return strings.Join(who, "、")
}
