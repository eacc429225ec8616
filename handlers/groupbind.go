package handlers

import (
	"context"
	"fmt"

	"zsbot"
)

// groupBind binds the group chat the command is typed in (@-ing the
// 智能机器人) to the group record name, so that the bureau's group chats
// have names in 群 列表. A chat is bound to one group at most.
func (h *handlers) groupBind(ctx context.Context, r *Request, args []string) (string, error) {
	if len(args) != 1 {
		return "", zsbot.Errorf(zsbot.EINVALID, "请写明要绑定的群名。例如：在群聊里@我发送「群 绑定 领导群」")
	}
	name := args[0]
	if r.ChatType != "group" || r.Chat == "" {
		return "", zsbot.Errorf(zsbot.EINVALID, "请在要绑定的群聊里@我发送「群 绑定 %s」。", clip(name, 20))
	}
	before, err := r.Tx.Group(ctx, name)
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return "", zsbot.Errorf(zsbot.ENOTFOUND, "没有名为「%s」的群。先「群 添加」登记它，再来绑定。", clip(name, 20))
	} else if err != nil {
		return "", err
	}
	gs, err := r.Tx.Groups(ctx)
	if err != nil {
		return "", err
	}
	for _, g := range gs {
		if g.BotChat == r.Chat && g.Name != name {
			return "", zsbot.Errorf(zsbot.ECONFLICT, "本群聊已绑定为「%s」，一个群聊只绑定一个群。", g.Name)
		}
	}
	if before.BotChat == r.Chat {
		return fmt.Sprintf("本群聊已绑定为 %s。", h.groupLine(before)), nil
	}
	after := *before
	after.BotChat = r.Chat
	c := r.change("群 绑定 "+name, "")
	c.Add(before, &after)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已把本群聊绑定为 %s。\n%s", h.groupLine(&after), undoHint), nil
}
