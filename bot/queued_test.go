package bot_test

import (
	"context"
	"strings"
	"testing"
)

// TestCommandMessagesQueuedByCommit: the messages a command queues (通报
// 发送) reach the outbox with the command's commit, once, over the real
// callback.
func TestCommandMessagesQueuedByCommit(t *testing.T) {
	b := newRealBot(t)
	ctx := context.Background()
	if reply, _ := b.say(t, "admin", "群 添加 领导群 693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa 全区"); !strings.HasPrefix(reply, "已登记") {
		t.Fatalf("group: %q", reply)
	}
	reply, _ := b.say(t, "admin", "通报 发送 季度")
	if !strings.Contains(reply, "加入发送队列") {
		t.Fatalf("通报 发送: %q", reply)
	}
	items, err := b.db.Outbox(nil).Head(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || !strings.Contains(items[0].Msg.Text, "季度考核") {
		t.Fatalf("outbox after the command: %d items %+v; want the 季度考核 once", len(items), items)
	}
}
