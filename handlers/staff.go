package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) staffVerb() *Verb {
	v := &Verb{Name: "人员", Aliases: []string{"staff"}, Access: Admin,
		Usage:   "人员 添加 <userid> <姓名> <园区或科室> <招商员|领导|管理员> / 人员 停用 <userid> / 人员 启用 <userid> / 人员 列表",
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
	case "停用", "disable", "启用", "enable":
		if len(args) != 1 {
			return "", usageError(v, "请写明一个userid")
		}
		return h.staffActive(ctx, r, args[0], op == "启用" || op == "enable")
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
	after := &zsbot.Person{UserID: uid, Name: args[1], Park: args[2], Role: role, Active: true}
	c := r.change("人员 添加 "+uid, "")
	c.Add(before, after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	verb := "已登记"
	if before != nil {
		verb = "已更新"
	}
	return fmt.Sprintf("%s %s（%s，%s，%s）。", verb, after.Name, uid, after.Park, after.Role), nil
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
	c := r.change("人员 "+activeWord(active)+" "+uid, "")
	c.Add(before, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已%s %s（%s）。", map[bool]string{true: "启用", false: "停用"}[active], after.Name, uid), nil
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
