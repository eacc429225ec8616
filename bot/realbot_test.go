package bot_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/config"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// realBot is the WeCom callback over the real handlers and a real
// redis-server, called directly (no HTTP listener, no outbox worker), with
// every round trip to Redis counted.
type realBot struct {
	cb     *bot.Callback
	client *wecompeer.Client
	db     *storage.DB
	trips  atomic.Int64 // round trips so far
	msgID  atomic.Int64
}

// newRealBot starts redis-server and the callback; "admin" is an admin.
func newRealBot(tb testing.TB) *realBot {
	tb.Helper()
	s := redistest.Start(tb)
	rdb := s.Client(tb)
	b := &realBot{db: storage.New(rdb, "real")}
	rdb.AddHook(tripHook{&b.trips})
	mux := handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: time.UTC,
		Log: slog.New(slog.DiscardHandler), Notices: handlers.NoticesOf(jobs.Notices())})
	w := config.WeCom{CorpID: vectorA.receiveID, Token: vectorA.token, AESKey: vectorA.aesKey, AgentID: "218"}
	var err error
	b.cb, err = bot.NewCallback(w, b.db, mux, bot.CallbackOptions{Logger: slog.New(slog.DiscardHandler), ReplyTimeout: time.Minute})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { b.cb.Shutdown(context.Background()) })
	b.client = &wecompeer.Client{Token: w.Token, AESKey: w.AESKey, CorpID: w.CorpID, AgentID: w.AgentID}
	return b
}

// say delivers text from user once and returns the passive reply and the
// round trips the delivery made.
func (b *realBot) say(tb testing.TB, user, text string) (string, int64) {
	tb.Helper()
	id := strconv.FormatInt(7e18+b.msgID.Add(1), 10)
	return b.deliver(tb, b.client.Text(user, text, id, time.Now()))
}

// deliver posts one encrypted message and returns its passive reply and
// the round trips it made.
func (b *realBot) deliver(tb testing.TB, plain []byte) (string, int64) {
	tb.Helper()
	req, err := b.client.Post("http://bot/wecom/callback", plain, time.Now(), "123456")
	if err != nil {
		tb.Fatal(err)
	}
	before := b.trips.Load()
	rec := httptest.NewRecorder()
	b.cb.ServeHTTP(rec, req)
	trips := b.trips.Load() - before
	if rec.Code != http.StatusOK {
		tb.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	r, err := b.client.OpenReply(rec.Body.Bytes())
	if err != nil {
		tb.Fatalf("%v; body %q", err, rec.Body)
	}
	return r.Content, trips
}

// tripHook counts round trips: a command, a script or a pipeline is one.
// A new pooled connection's handshake (HELLO, CLIENT SETINFO) is not a
// command's: the pool opens one only when it has none idle.
type tripHook struct{ n *atomic.Int64 }

func (h tripHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h tripHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if name := cmd.Name(); name != "hello" {
			h.n.Add(1)
		}
		return next(ctx, cmd)
	}
}

func (h tripHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if len(cmds) == 0 || cmds[0].Name() != "client" {
			h.n.Add(1)
		}
		return next(ctx, cmds)
	}
}
