package main

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"zsbot/bot/aibot/aibotpeer"
	"zsbot/bot/wecomtest"
)

// TestAIBotServe runs `zsbot serve` with the 智能机器人 configured: its
// URL verification answers at ZSBOT_AIBOT_PATH, a group @-message is
// answered with a finished stream mentioning the sender, and 我的 asked
// in the group reaches the member as an app message through the fake
// WeCom while the group is told 已私信.
func TestAIBotServe(t *testing.T) {
	const token, key = "aibotTok", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	r := newRig(t, nil, "ZSBOT_AIBOT_TOKEN="+token, "ZSBOT_AIBOT_AES_KEY="+key, "ZSBOT_AIBOT_PATH=/bot/ai")
	s := r.serve(t, "")
	url := "http://" + s.addr + "/bot/ai"
	peer := &aibotpeer.Client{Token: token, AESKey: key, AIBotID: "aib1"}

	req, err := peer.VerifyURL(url, "5927433915787", time.Now(), "77")
	if err != nil {
		t.Fatal(err)
	}
	if code, body := roundTrip(t, req); code != http.StatusOK || string(body) != "5927433915787" {
		t.Fatalf("GET = %d %q", code, body)
	}
	post := func(plain []byte) *aibotpeer.Reply {
		t.Helper()
		req, err := peer.Post(url, plain, time.Now(), "88")
		if err != nil {
			t.Fatal(err)
		}
		code, body := roundTrip(t, req)
		if code != http.StatusOK {
			t.Fatalf("POST = %d %q", code, body)
		}
		rep, err := peer.OpenReply(body)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	rep := post(peer.Text("m1", e2eAdmin, "grp1", "@招商助手 帮助"))
	if rep.Stream == nil || !rep.Stream.Finish || !strings.HasPrefix(rep.Stream.Content, "<@"+e2eAdmin+"> ") {
		t.Fatalf("帮助 in the group: %+v", rep)
	}
	rep = post(peer.Text("m2", e2eAdmin, "grp1", "@招商助手 我的"))
	if rep.Stream == nil || rep.Stream.Content != "<@"+e2eAdmin+"> 已私信。" {
		t.Fatalf("我的 in the group: %+v", rep.Stream)
	}
	for _, sent := range r.fake.WaitSent(t, 1, 10*time.Second) {
		if sent.Path != wecomtest.PathMessage || sent.Body["touser"] != e2eAdmin || !bytes.Contains(sent.Raw, []byte("任务")) {
			t.Fatalf("sent %s %s", sent.Path, sent.Raw)
		}
	}
	// A request signed with another token is refused.
	bad := &aibotpeer.Client{Token: "other", AESKey: key}
	req, _ = bad.Post(url, peer.Text("m3", e2eAdmin, "", "帮助"), time.Now(), "1")
	if code, _ := roundTrip(t, req); code != http.StatusUnauthorized {
		t.Fatalf("bad signature answered %d", code)
	}
}

func roundTrip(t *testing.T, req *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}
