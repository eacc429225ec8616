package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zsbot/bot/wecomtest"
)

// say posts text from user to s and returns the passive reply.
func say(t *testing.T, s *serveProc, user, text, msgID string) string {
	t.Helper()
	code, reply := post(t, s, e2eClient().Text(user, text, msgID, time.Now()))
	if code != 200 || reply == "" {
		t.Fatalf("%q: status %d, reply %q", text, code, reply)
	}
	return reply
}

// TestCreatedChatTakesNotices runs zsbot serve against a fake WeCom that,
// as WeCom, takes appchat/send only for chats the app created: 群 创建
// makes the chat (appchat/create, the admin its owner), 群 成员 添加 adds
// to it (appchat/update), and 通报 发送 半月 reaches it through appchat/send.
func TestCreatedChatTakesNotices(t *testing.T) {
	r := newRig(t, nil, "ZSBOT_REPLY_TIMEOUT=10s")
	r.fake.Users = map[string]bool{e2eAdmin: true, "zhangsan": true, "lisi": true, "wangwu": true}
	r.fake.StrictChats = true
	s := r.serve(t, "")
	reply := say(t, s, e2eAdmin, "群 创建 招商调度群 zhangsan lisi 全区", "3001")
	if !strings.Contains(reply, "已创建群 招商调度群（全区，应用群聊 ") {
		t.Fatalf("群 创建 → %q", reply)
	}
	chats := r.fake.Chats()
	if len(chats) != 1 {
		t.Fatalf("chats in WeCom: %+v", chats)
	}
	var chat wecomtest.Chat
	for _, c := range chats {
		chat = c
	}
	if chat.Owner != e2eAdmin || len(chat.Members) != 3 || !strings.Contains(reply, chat.ID) {
		t.Fatalf("chat %+v for reply %q", chat, reply)
	}
	if got := say(t, s, e2eAdmin, "群 成员 添加 招商调度群 wangwu", "3002"); !strings.Contains(got, "已加入群 招商调度群：wangwu") {
		t.Fatalf("群 成员 添加 → %q", got)
	}
	if got := say(t, s, e2eAdmin, "通报 发送 半月", "3003"); !strings.Contains(got, "已将半月通报加入发送队列") {
		t.Fatalf("通报 发送 → %q", got)
	}
	var texts []string
	for deadline := time.Now().Add(20 * time.Second); len(texts) < 2; time.Sleep(20 * time.Millisecond) {
		texts = texts[:0]
		for _, q := range r.fake.Sent() {
			if q.Path == wecomtest.PathAppChat && q.Body["chatid"] == chat.ID {
				kind, _ := q.Body["msgtype"].(string)
				body, _ := q.Body[kind].(map[string]any)
				if content, ok := body["content"].(string); ok { // the chart's image has none
					texts = append(texts, content)
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("appchat/send to %s within 20s: %q; all calls %+v", chat.ID, texts, r.fake.Requests())
		}
	}
	if !strings.Contains(texts[0], "本群由招商助手创建") || !strings.Contains(strings.Join(texts[1:], ""), "半月通报") {
		t.Fatalf("the chat got %q", texts)
	}
	for _, q := range r.fake.Requests() {
		if q.Path == wecomtest.PathAppChat && q.Errcode != 0 {
			t.Errorf("appchat/send refused %d: %s", q.Errcode, q.Raw)
		}
	}
	if members := r.fake.Chats()[chat.ID].Members; len(members) != 4 {
		t.Errorf("members %v", members)
	}
}

// TestExportToPhone: 导出 本月 from WeCom uploads the workbook
// (media/upload, type file) and sends it as a file message to the sender;
// the reply names the file, no server path; no file is left on disk.
func TestExportToPhone(t *testing.T) {
	r := newRig(t, nil, "ZSBOT_REPLY_TIMEOUT=10s")
	s := r.serve(t, "")
	say(t, s, e2eAdmin, "新项目 星河精工基地 企业:星河精工 10亿", "4001")
	reply := say(t, s, e2eAdmin, "导出 本月", "4002")
	want := "招商统计-" + time.Now().Format("2006年1月") // 本月 so far: "2026年12月1日至5日"
	if !strings.HasPrefix(reply, "已发送："+want) || !strings.Contains(reply, ".xlsx") || strings.Contains(reply, "/") {
		t.Fatalf("导出 → %q", reply)
	}
	ups := r.fake.Uploads()
	if len(ups) != 1 || ups[0].Type != "file" || !strings.Contains(reply, ups[0].Filename) {
		t.Fatalf("uploads %+v", ups)
	}
	f, err := excelize.OpenReader(bytes.NewReader(ups[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("项目", "B2"); v != "星河精工基地" {
		t.Fatalf("项目 B2 = %q", v)
	}
	sent := false
	for _, q := range r.fake.Sent() {
		file, _ := q.Body["file"].(map[string]any)
		sent = sent || q.Path == wecomtest.PathMessage && q.Body["touser"] == e2eAdmin && file["media_id"] == ups[0].MediaID
	}
	if !sent {
		t.Fatalf("no file message to %s: %+v", e2eAdmin, r.fake.Requests())
	}
}
