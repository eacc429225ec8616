package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) staffVerb() *Verb {
	v := &Verb{Name: "人员", Aliases: []string{"staff"}, Access: Admin,
		Usage:   "人员 添加 <userid> <姓名> <园区或科室> <招商员|领导|管理员> / 人员 停用 <userid> [移交 <userid>] / 人员 启用 <userid> / 人员 列表",
		Example: "人员 添加 zhangsan 张三 双福园区 招商员", Brief: "登记、停用人员（管理员）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.staff(ctx, r, v) })
	return v
}

var roles = map[string]zsbot.Role{
	"招商员": zsbot.RoleOfficer, "officer": zsbot.RoleOfficer,
	"领导": zsbot.RoleLeader, "leader": zsbot.RoleLeader,
	"管理员": zsbot.RoleAdmin, "admin": zsbot.RoleAdmin,
}

func (h *handlers) staff(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) == 0 {
		return "", usageError(v, "请写明操作：添加、停用、启用或列表")
	}
	switch op, args := strings.ToLower(r.Words[0]), r.Words[1:]; op {
	case "添加", "add", "修改":
		return h.staffAdd(ctx, r, v, args)
	case "停用", "disable":
		switch {
		case len(args) == 3 && (args[1] == "移交" || strings.EqualFold(args[1], "to")):
			return h.staffHandOver(ctx, r, args[0], args[2])
		case len(args) != 1:
			return "", usageError(v, "请写明一个userid，移交时写：人员 停用 <userid> 移交 <userid>")
		}
		return h.staffActive(ctx, r, args[0], false)
	case "启用", "enable":
		if len(args) != 1 {
			return "", usageError(v, "请写明一个userid")
		}
		return h.staffActive(ctx, r, args[0], true)
	case "列表", "list":
		return h.staffList(ctx, r.Tx)
	}
	return "", usageError(v, fmt.Sprintf("不认识的操作「%s」", clip(r.Words[0], 10)))
}

func (h *handlers) staffAdd(ctx context.Context, r *Request, v *Verb, args []string) (string, error) {
	if len(args) != 4 {
		return "", usageError(v, "添加人员要写 userid、姓名、园区或科室、角色四项")
	}
	role, ok := roles[strings.ToLower(args[3])]
	if !ok {
		return "", usageError(v, "角色只能是 招商员、领导 或 管理员")
	}
	uid := args[0]
	if !zsbot.ValidUserID(uid) {
		return "", usageError(v, "userid 只能含字母、数字、下划线、点、@ 和横线")
	}
	if err := checkLen("姓名", args[1], 20); err != nil {
		return "", err
	}
	if err := checkLen("园区或科室", args[2], 20); err != nil {
		return "", err
	}
	before, err := r.Tx.Person(ctx, uid)
	if err != nil && zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
		return "", err
	}
	park, err := h.personPark(ctx, r.Tx, args[2], role)
	if err != nil {
		return "", err
	}
	after := &zsbot.Person{UserID: uid, Name: args[1], Park: park, Role: role, Active: true}
	if err := h.keepAnAdmin(ctx, r, before, after); err != nil {
		return "", err
	}
	c := r.change("人员 添加 "+uid, "")
	c.Add(before, after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	verb := "已登记"
	if before != nil {
		verb = "已更新"
	}
	note := ""
	if role != zsbot.RoleAdmin && h.mux.configAdmin(uid) {
		note = fmt.Sprintf("\n%s 在 ZSBOT_ADMINS 中，仍是管理员；要取消其管理员权限，请从 ZSBOT_ADMINS 中去掉后重启。", uid)
	}
	return fmt.Sprintf("%s %s（%s，%s，%s）。%s", verb, after.Name, uid, after.Park, after.Role, note), nil
}

func (h *handlers) staffActive(ctx context.Context, r *Request, uid string, active bool) (string, error) {
	before, err := r.Tx.Person(ctx, uid)
	if err != nil {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "没有登记 userid 为 %s 的人员。发送「人员 列表」查看。", clip(uid, 40))
	}
	if before.Active == active {
		return fmt.Sprintf("%s（%s）本来就是%s状态。", before.Name, uid, activeWord(active)), nil
	}
	after := *before
	after.Active = active
	if err := h.keepAnAdmin(ctx, r, before, &after); err != nil {
		return "", err
	}
	c := r.change("人员 "+activeWord(active)+" "+uid, "")
	c.Add(before, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	reply := fmt.Sprintf("已%s %s（%s）。", activeWord(active), after.Name, uid)
	if active {
		return reply, nil
	}
	ps, ts, err := h.openWork(ctx, r.Tx, uid)
	if err != nil {
		return "", err
	}
	if len(ps)+len(ts) > 0 {
		reply += fmt.Sprintf("名下还有%d个未终止的项目、%d项未完成的任务，通报中显示「负责人已停用」。移交请发送：人员 停用 %s 移交 <userid>", len(ps), len(ts), uid)
	}
	return reply, nil
}

// personPark resolves an officer's park to a listed one (refused with the
// list when it names none); a leader's or admin's may be a section (科室)
// instead, kept as typed.
func (h *handlers) personPark(ctx context.Context, st zsbot.Store, word string, role zsbot.Role) (string, error) {
	l, err := loadParks(ctx, st)
	if err != nil {
		return "", err
	}
	park, err := l.resolve(word)
	if err != nil && role != zsbot.RoleOfficer {
		return word, nil
	}
	return park, err
}

// keepAnAdmin refuses a change of a person from before to after that
// would leave the bureau with no active admin (ZSBOT_ADMINS count).
func (h *handlers) keepAnAdmin(ctx context.Context, r *Request, before, after *zsbot.Person) error {
	if before == nil || !h.isAdmin(before) || h.isAdmin(after) {
		return nil
	}
	people, err := r.Tx.People(ctx)
	if err != nil {
		return err
	}
	registered := map[string]bool{}
	for _, p := range people {
		registered[p.UserID] = true
		if p.UserID != before.UserID && h.isAdmin(p) {
			return nil
		}
	}
	for _, a := range h.mux.cfg.Admins {
		if !registered[a] {
			return nil
		}
	}
	return zsbot.Errorf(zsbot.ECONFLICT, "%s（%s）是最后一位在用的管理员，不能停用或改为其他角色。请先登记另一位管理员。", before.Name, before.UserID)
}

// isAdmin reports whether p, as registered, is an active admin: by role,
// or as one of ZSBOT_ADMINS.
func (h *handlers) isAdmin(p *zsbot.Person) bool {
	return p.Active && (p.Role == zsbot.RoleAdmin || h.mux.configAdmin(p.UserID))
}

// openWork returns the projects uid owns that are not 终止 and the tasks
// assigned to uid that are not done.
func (h *handlers) openWork(ctx context.Context, st zsbot.Store, uid string) ([]*zsbot.Project, []*zsbot.Task, error) {
	owned, err := st.OwnedProjects(ctx, uid)
	if err != nil {
		return nil, nil, err
	}
	var ps []*zsbot.Project
	for _, p := range owned {
		if p.Stage != zsbot.StageDropped {
			ps = append(ps, p)
		}
	}
	ts, err := st.OpenTasks(ctx, uid, zsbot.Date(99991231))
	return ps, ts, err
}

// staffHandOver disables uid (when still active) and hands uid's open
// projects and tasks over to to, as one audited change.
func (h *handlers) staffHandOver(ctx context.Context, r *Request, uid, to string) (string, error) {
	before, err := r.Tx.Person(ctx, uid)
	if err != nil {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "没有登记 userid 为 %s 的人员。发送「人员 列表」查看。", clip(uid, 40))
	}
	heir, err := h.findPerson(ctx, r.Tx, to)
	if err != nil {
		return "", err
	}
	if heir.UserID == before.UserID {
		return "", zsbot.Errorf(zsbot.EINVALID, "不能移交给本人，请写接手人的userid。")
	}
	ps, ts, err := h.openWork(ctx, r.Tx, uid)
	if err != nil {
		return "", err
	}
	c := r.change(fmt.Sprintf("人员 停用 %s 移交 %s", uid, heir.UserID), "")
	if before.Active {
		after := *before
		after.Active = false
		if err := h.keepAnAdmin(ctx, r, before, &after); err != nil {
			return "", err
		}
		c.Add(before, &after)
	} else if len(ps)+len(ts) == 0 {
		return fmt.Sprintf("%s（%s）已停用，名下没有未终止的项目或未完成的任务。", before.Name, uid), nil
	}
	for _, p := range ps {
		after := *p
		after.Owner = heir.UserID
		c.Add(p, &after)
	}
	for _, t := range ts {
		after := *t
		after.Assignee = heir.UserID
		c.Add(t, &after)
	}
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	ids := make([]string, 0, len(ps)+len(ts))
	for _, p := range ps {
		ids = append(ids, p.ID)
	}
	for _, t := range ts {
		ids = append(ids, t.ID)
	}
	moved := ""
	if len(ids) > 0 {
		moved = "：" + clip(strings.Join(ids, " "), 200)
	}
	return fmt.Sprintf("已停用 %s（%s），%d个项目、%d项任务移交给 %s（%s）%s。\n%s", before.Name, uid, len(ps), len(ts), heir.Name, heir.UserID, moved, undoHint), nil
}

func (h *handlers) staffList(ctx context.Context, st zsbot.Store) (string, error) {
	ps, err := st.People(ctx)
	if err != nil {
		return "", err
	}
	if len(ps) == 0 {
		return "还没有登记人员。例如：人员 添加 zhangsan 张三 双福园区 招商员", nil
	}
	lines := []string{fmt.Sprintf("登记人员%d人：", len(ps))}
	for _, p := range ps {
		lines = append(lines, fmt.Sprintf("%s %s %s %s%s", p.UserID, p.Name, p.Park, p.Role, map[bool]string{true: "", false: "（已停用）"}[p.Active]))
	}
	return list(lines, 60), nil
}

func activeWord(active bool) string {
	if active {
		return "启用"
	}
	return "停用"
}
