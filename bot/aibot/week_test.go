package aibot_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/aibot"
	"zsbot/bot/aibot/aibotpeer"
	"zsbot/bot/wecompeer"
	"zsbot/config"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// week is an officer's week, a day a line.
var week = [][]string{
	{"新项目 康硕重庆基地 企业:康硕 5亿", "拜访 康硕 重庆"},
	{"接待 中冶赛迪 5人 考察珞璜园区", "洽谈 P1 已完成土地预审"},
	{"任务 P1 报送用地需求 3月10日", "协调 P1 用电指标需区里协调"},
	{"签约 P1 5亿", "完成 T1"},
	{"到位 P1 1亿", "解决 C1 已落实", "统计 本周", "查 P1"},
}

// TestWeekSame: the same week typed in the app and as @-messages in a
// group gives the same replies (but the mention), records, figures and
// audit (but the chat).
func TestWeekSame(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	day := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	now := func() time.Time { return day }
	newMux := func() *handlers.Mux {
		return handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: time.UTC,
			Log: slog.New(slog.DiscardHandler), Notices: handlers.NoticesOf(jobs.Notices())})
	}
	quiet := slog.New(slog.DiscardHandler)

	appDB, aiDB := storage.New(rdb, "app"), storage.New(rdb, "ai")
	w := config.WeCom{CorpID: "wx5823bf96d3bd56c7", Token: testToken, AESKey: testKey, AgentID: "218"}
	cb, err := bot.NewCallback(w, appDB, newMux(), bot.CallbackOptions{Logger: quiet, Now: now, ReplyTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Shutdown(context.Background())
	app := &wecompeer.Client{Token: w.Token, AESKey: w.AESKey, CorpID: w.CorpID, AgentID: w.AgentID}
	aiMux := newMux()
	ai, err := aibot.New(config.AIBot{Token: testToken, AESKey: testKey, Name: "招商助手"}, aiDB, aiMux,
		aibot.Options{Logger: quiet, Now: now, Location: time.UTC, VerbOf: aiMux.VerbOf, ReplyTimeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer ai.Shutdown(context.Background())
	peer := &aibotpeer.Client{Token: testToken, AESKey: testKey}

	n := 0
	sayApp := func(user, text string) string {
		n++
		req, _ := app.Post("http://bot/cb", app.Text(user, text, strconv.Itoa(1000+n), time.Now()), time.Now(), "1")
		rec := httptest.NewRecorder()
		cb.ServeHTTP(rec, req)
		r, err := app.OpenReply(rec.Body.Bytes())
		if err != nil {
			t.Fatalf("app %q: %d %v", text, rec.Code, err)
		}
		return r.Content
	}
	sayAI := func(user string, chat aibotpeer.Chat, text string) string {
		n++
		req, _ := peer.Post("http://bot/ai", peer.Text("ai"+strconv.Itoa(n), user, chat, text), time.Now(), "1")
		rec := httptest.NewRecorder()
		ai.ServeHTTP(rec, req)
		r, err := peer.OpenReply(rec.Body.Bytes())
		if err != nil || r.Stream == nil || !r.Stream.Finish {
			t.Fatalf("aibot %q: %d %v %+v", text, rec.Code, err, r)
		}
		return strings.TrimPrefix(r.Stream.Content, "<@"+user+"> ")
	}
	const admin = "人员 添加 zhangsan 张三 双福园区 招商员"
	if a, b := sayApp("admin", admin), sayAI("admin", "", admin); a != b {
		t.Fatalf("%q: app %q, aibot %q", admin, a, b)
	}
	for _, cmds := range week {
		for _, c := range cmds {
			a, b := sayApp("zhangsan", c), sayAI("zhangsan", group, "@招商助手 "+c)
			if a != b {
				t.Errorf("%q: app %q, aibot %q", c, a, b)
			}
		}
		day = day.Add(24 * time.Hour)
	}

	ctx := context.Background()
	la, err := appDB.Ledger(ctx, 20260301, 20260331)
	if err != nil {
		t.Fatal(err)
	}
	lb, err := aiDB.Ledger(ctx, 20260301, 20260331)
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Activities) != 3 || len(lb.Payments) != 1 || len(lb.Signed) != 1 || len(lb.TasksDone) != 1 {
		t.Fatalf("the aibot's ledger: %d activities, %d payments, %d signed, %d tasks done",
			len(lb.Activities), len(lb.Payments), len(lb.Signed), len(lb.TasksDone))
	}
	for _, a := range lb.Activities {
		if a.Chat != string(group) {
			t.Errorf("activity %s without its chat", a.ID)
		}
		a.Chat = ""
	}
	if !reflect.DeepEqual(la, lb) {
		t.Errorf("ledgers differ:\napp   %s\naibot %s", mustJSON(la), mustJSON(lb))
	}
	auditA, err := appDB.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	auditB, err := aiDB.AuditLog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(auditA) != len(auditB) || len(auditA) < 10 {
		t.Fatalf("audit entries: app %d, aibot %d", len(auditA), len(auditB))
	}
	for i := range auditA {
		a, b := auditA[i], auditB[i]
		if b.Who == "zhangsan" && (b.Chat != string(group) || b.ChatType != "group") {
			t.Errorf("aibot audit %d without its chat: %+v", i, b)
		}
		if ea, eb := auditView(a), auditView(b); ea != eb {
			t.Errorf("audit %d:\napp   %s\naibot %s", i, ea, eb)
		}
	}
}

// auditView is an audit entry without its stream id and chat, the chat
// also taken out of the records it holds.
func auditView(a *zsbot.Audit) string {
	c := *a
	c.ID, c.Chat, c.ChatType = "", "", ""
	c.Changes = nil
	for _, d := range a.Changes {
		d.Before, d.After = noChat(d.Before), noChat(d.After)
		c.Changes = append(c.Changes, d)
	}
	return string(mustJSON(c))
}

func noChat(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	delete(m, "chat")
	return mustJSON(m)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
