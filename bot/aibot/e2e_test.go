package aibot_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot/aibot"
	"zsbot/bot/aibot/aibotpeer"
	"zsbot/config"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

const (
	testToken = "QDG6eK"
	testKey   = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C" // WeCom's sample EncodingAESKey
	group     = aibotpeer.Chat("wrkSFfCgAAxxxxGroup")
	target    = "http://bot/wecom/aibot"
)

// e2e is the 智能机器人 adapter over the real handlers and a real
// redis-server, with WeCom played by aibotpeer.
type e2e struct {
	h     *aibot.Handler
	peer  *aibotpeer.Client
	db    *storage.DB
	mux   *handlers.Mux
	msgID atomic.Int64
	slow  chan struct{} // while open, a command "慢 …" waits for it
}

// slowResponder holds commands that begin with 慢 until the gate opens,
// then runs the rest as a command.
type slowResponder struct {
	*handlers.Mux
	gate <-chan struct{}
}

func (s slowResponder) Respond(ctx context.Context, tx zsbot.Tx, m *zsbot.Message) (string, error) {
	if rest, ok := strings.CutPrefix(m.Text, "慢 "); ok {
		<-s.gate
		c := *m
		c.Text = rest
		return s.Mux.Respond(ctx, tx, &c)
	}
	return s.Mux.Respond(ctx, tx, m)
}

func newE2E(t *testing.T, o aibot.Options) *e2e {
	t.Helper()
	rdb := redistest.Start(t).Client(t)
	e := &e2e{db: storage.New(rdb, "aibot"), slow: make(chan struct{})}
	e.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: time.UTC,
		Log: slog.New(slog.DiscardHandler), Notices: handlers.NoticesOf(jobs.Notices())})
	o.Logger, o.Location, o.VerbOf = slog.New(slog.DiscardHandler), time.UTC, e.mux.VerbOf
	if o.ReplyTimeout == 0 {
		o.ReplyTimeout = 20 * time.Second
	}
	var err error
	e.h, err = aibot.New(config.AIBot{Path: "/wecom/aibot", Token: testToken, AESKey: testKey, Name: "招商助手"},
		e.db, slowResponder{e.mux, e.slow}, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		select {
		case <-e.slow:
		default:
			close(e.slow)
		}
		e.h.Shutdown(context.Background())
	})
	e.peer = &aibotpeer.Client{Token: testToken, AESKey: testKey, AIBotID: "aib-zs"}
	return e
}

func (e *e2e) nextID() string { return "CAIQ" + strconv.FormatInt(e.msgID.Add(1), 10) }

// post delivers plaintext and returns the status and the opened reply
// (nil for an empty 200).
func (e *e2e) post(t *testing.T, plain []byte) (int, *aibotpeer.Reply) {
	t.Helper()
	req, err := e.peer.Post(target, plain, time.Now(), "1372623149")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
		return rec.Code, nil
	}
	r, err := e.peer.OpenReply(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("%v; body %q", err, rec.Body)
	}
	return rec.Code, r
}

// say sends text from user in chat ("" one-to-one) and returns the
// finished stream's content.
func (e *e2e) say(t *testing.T, user string, chat aibotpeer.Chat, text string) string {
	t.Helper()
	_, r := e.post(t, e.peer.Text(e.nextID(), user, chat, text))
	// A command slower than the reply deadline (a loaded machine, a short
	// deadline) is finished by WeCom's refreshes.
	for deadline := time.Now().Add(10 * time.Second); r != nil && r.Stream != nil && !r.Stream.Finish && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		_, r = e.post(t, e.peer.Refresh(e.nextID(), user, chat, r.Stream.ID))
	}
	if r == nil || r.Stream == nil || !r.Stream.Finish {
		t.Fatalf("%s %q: reply %+v, want a finished stream", user, text, r)
	}
	return r.Stream.Content
}

func (e *e2e) setup(t *testing.T) {
	t.Helper()
	for _, cmd := range []string{"人员 添加 zhangsan 张三 双福园区 招商员", "人员 添加 lisi 李四 双福园区 招商员"} {
		if r := e.say(t, "admin", "", cmd); !strings.Contains(r, "张三") && !strings.Contains(r, "李四") {
			t.Fatalf("%q: %q", cmd, r)
		}
	}
}

func (e *e2e) activities(t *testing.T) []*zsbot.Activity {
	t.Helper()
	today := zsbot.DateOf(time.Now().UTC())
	l, err := e.db.Ledger(context.Background(), today.AddDays(-30), today.AddDays(1))
	if err != nil {
		t.Fatal(err)
	}
	return l.Activities
}

// TestGroupVisit: an @-message in a group records a visit with its chat,
// and its audit entry keeps the chat; the reply mentions the sender.
func TestGroupVisit(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	e.setup(t)
	r := e.say(t, "zhangsan", group, "@招商助手\u2005拜访 康硕 重庆 昨天")
	if !strings.HasPrefix(r, "<@zhangsan> ") || !strings.Contains(r, "康硕") {
		t.Fatalf("reply %q", r)
	}
	as := e.activities(t)
	if len(as) != 1 || as[0].By != "zhangsan" || as[0].Chat != string(group) || as[0].City != "重庆" {
		t.Fatalf("activities %+v", as)
	}
	log, err := e.db.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	last := log[len(log)-1]
	if last.Who != "zhangsan" || last.Chat != string(group) || last.ChatType != "group" || last.Raw != "拜访 康硕 重庆 昨天" {
		t.Fatalf("audit %+v", last)
	}
	// The same command one-to-one: no mention, no chat.
	r = e.say(t, "zhangsan", "", "拜访 康硕 成都")
	if strings.HasPrefix(r, "<@") {
		t.Fatalf("one-to-one reply mentions: %q", r)
	}
	for _, a := range e.activities(t) {
		if a.City == "成都" && a.Chat != "" {
			t.Fatalf("one-to-one activity has chat %q", a.Chat)
		}
	}
}

// TestOnceOnly: the same msgid delivered four times records once and
// answers each time alike.
func TestOnceOnly(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	e.setup(t)
	msg := e.peer.Text("CAIQsame", "zhangsan", group, "@招商助手 拜访 康硕 重庆 昨天")
	var first string
	for i := range 4 {
		_, r := e.post(t, msg)
		if r == nil || r.Stream == nil || !r.Stream.Finish {
			t.Fatalf("delivery %d: %+v", i, r)
		}
		if i == 0 {
			first = r.Stream.Content
		} else if r.Stream.Content != first {
			t.Fatalf("delivery %d answered %q, first %q", i, r.Stream.Content, first)
		}
	}
	if as := e.activities(t); len(as) != 1 {
		t.Fatalf("%d activities, want 1: %+v", len(as), as)
	}
}

// TestSlowStream: a command that overruns the reply deadline answers an
// open stream, finished by WeCom's refresh once the command is done.
func TestSlowStream(t *testing.T) {
	e := newE2E(t, aibot.Options{ReplyTimeout: 100 * time.Millisecond})
	e.setup(t)
	_, r := e.post(t, e.peer.Text("CAIQslow", "zhangsan", group, "@招商助手 慢 拜访 康硕 重庆 昨天"))
	if r == nil || r.Stream == nil || r.Stream.Finish || r.Stream.ID == "" {
		t.Fatalf("first answer %+v, want an open stream", r)
	}
	sid := r.Stream.ID
	_, r = e.post(t, e.peer.Refresh("CAIQr1", "zhangsan", group, sid))
	if r == nil || r.Stream == nil || r.Stream.Finish || r.Stream.ID != sid {
		t.Fatalf("refresh before the command ends: %+v, want still open", r)
	}
	close(e.slow)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, r = e.post(t, e.peer.Refresh("CAIQr2", "zhangsan", group, sid))
		if r != nil && r.Stream != nil && r.Stream.Finish {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream never finished: %+v", r)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(r.Stream.Content, "<@zhangsan> ") || !strings.Contains(r.Stream.Content, "康硕") {
		t.Fatalf("finished with %q", r.Stream.Content)
	}
	if as := e.activities(t); len(as) != 1 || as[0].Chat != string(group) {
		t.Fatalf("activities %+v", as)
	}
}

// TestUnregistered: a member who is not registered is told their userid.
func TestUnregistered(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	r := e.say(t, "wangwu", group, "@招商助手 拜访 康硕 重庆")
	if !strings.Contains(r, "wangwu") || !strings.Contains(r, "登记") {
		t.Fatalf("reply %q", r)
	}
	if as := e.activities(t); len(as) != 0 {
		t.Fatalf("activities %+v", as)
	}
}

// TestPrivateInGroup: 我的 asked in a group goes to the member through the
// app, and the group is told 已私信.
func TestPrivateInGroup(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	e.setup(t)
	r := e.say(t, "zhangsan", group, "@招商助手 我的")
	if r != "<@zhangsan> "+aibot.ReplyPrivate {
		t.Fatalf("group got %q", r)
	}
	msgs := e.outbox(t)
	if len(msgs) != 1 || msgs[0].Channel != zsbot.ChannelApp || len(msgs[0].To) != 1 || msgs[0].To[0] != "zhangsan" ||
		!strings.Contains(msgs[0].Text, "任务") {
		t.Fatalf("outbox %+v", msgs)
	}
	// One-to-one, 我的 is answered in the chat.
	if r := e.say(t, "zhangsan", "", "我的"); !strings.Contains(r, "任务") {
		t.Fatalf("one-to-one got %q", r)
	}
	if n := len(e.outbox(t)); n != 1 {
		t.Fatalf("outbox holds %d, want still 1", n)
	}
}

func (e *e2e) outbox(t *testing.T) []*zsbot.Outgoing {
	t.Helper()
	items, err := e.db.Outbox(time.Now).Head(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var out []*zsbot.Outgoing
	for _, it := range items {
		out = append(out, it.Msg)
	}
	return out
}

// TestGreeting: the enter-chat event is greeted once per member and day.
func TestGreeting(t *testing.T) {
	e := newE2E(t, aibot.Options{Admins: []string{"admin"}})
	e.setup(t)
	_, r := e.post(t, e.peer.EnterChat("ev1", "zhangsan", time.Now()))
	if r == nil || r.MsgType != "text" || r.Text == nil || r.Text.Content != aibot.Greeting {
		t.Fatalf("first enter: %+v", r)
	}
	if code, r := e.post(t, e.peer.EnterChat("ev2", "zhangsan", time.Now())); code != http.StatusOK || r != nil {
		t.Fatalf("second enter the same day: %d %+v, want 200 empty", code, r)
	}
	if _, r := e.post(t, e.peer.EnterChat("ev3", "wangwu", time.Now())); r == nil || r.Text == nil || !strings.Contains(r.Text.Content, "「wangwu」") {
		t.Fatalf("an unregistered member: %+v", r)
	}
	if _, r := e.post(t, e.peer.EnterChat("ev4", "admin", time.Now())); r == nil || r.Text == nil || r.Text.Content != aibot.Greeting {
		t.Fatalf("a bootstrap admin: %+v", r)
	}
}

// TestNotText: a picture gets the hint to send text.
func TestNotText(t *testing.T) {
	e := newE2E(t, aibot.Options{})
	_, r := e.post(t, e.peer.Image("img1", "zhangsan"))
	if r == nil || r.Stream == nil || !r.Stream.Finish || r.Stream.Content != aibot.ReplyNotText {
		t.Fatalf("reply %+v", r)
	}
}
