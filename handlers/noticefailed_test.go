package handlers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/handlers"
	"zsbot/storage"
)

// bury queues msg and moves it to the dead letters for cause, as the
// outbox worker does when WeCom refuses it for good.
func bury(t *testing.T, ob *storage.Outbox, at time.Time, cause, errText string, msg *zsbot.Outgoing) int64 {
	t.Helper()
	ctx := context.Background()
	if err := ob.Enqueue(ctx, msg); err != nil {
		t.Fatal(err)
	}
	head, err := ob.Head(ctx, 100)
	if err != nil || len(head) == 0 {
		t.Fatal(head, err)
	}
	it := head[len(head)-1]
	d := &storage.DeadItem{Item: it, Key: "k:" + msg.To[0], Dest: "个人 " + msg.To[0], Cause: cause, Error: errText, At: at}
	if _, err := ob.Bury(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	return it.ID
}

func TestNoticeFailed(t *testing.T) {
	b := registered(t)
	b.expect("li", "通报 失败", "没有接入发送队列")
	ob := b.db.Outbox(time.Now)
	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, DeadLetters: ob})
	b.expect("li", "通报 失败", "没有发送失败的消息。")
	at := time.Date(2024, 12, 16, 1, 10, 0, 0, time.UTC)
	id := bury(t, ob, at, zsbot.DeadRejected, "wecom rejected: errcode 44004: empty content",
		&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"zhangsan"}, Format: zsbot.FormatText, Text: "\n\n【逾期提醒】T3 完成土地摘牌\n第二行"})
	b.expect("zhangsan", "通报 失败", "只限领导和管理员")
	b.expect("li", "通报 失败", "发送失败的消息共1条：", fmt.Sprintf("%d. 2024-12-16 09:10 发往个人 zhangsan", id),
		"原因：企业微信拒收这条消息（内容为空、过长或格式不符）（errcode 44004）", "首行：【逾期提醒】T3 完成土地摘牌",
		"zsbot outbox retry <编号>")
	for i := range 11 {
		bury(t, ob, at.Add(time.Duration(i+1)*time.Minute), zsbot.DeadGaveUp, "wecom retry: errcode 12345: odd",
			&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"wangwu"}, Format: zsbot.FormatText, Text: fmt.Sprintf("第%d条", i)})
	}
	reply := b.expect("admin", "notice failed", "发送失败的消息共12条（最近10条）", "第10条", "errcode 12345")
	if strings.Contains(reply, "第0条") || strings.Contains(reply, "44004") {
		t.Fatalf("the oldest are listed beyond the newest 10:\n%s", reply)
	}
	if n := strings.Count(reply, "\n原因："); n != 10 {
		t.Fatalf("%d letters listed, want 10:\n%s", n, reply)
	}
}
