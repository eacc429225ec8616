package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/config"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// newSender returns a Sender of the app corpID (agent 218, testSecret) at
// the fake's base, with its token in db.
func newSender(t *testing.T, db *storage.DB, fake *wecomtest.Server, corpID string, o bot.SenderOptions) *bot.Sender {
	t.Helper()
	cfg, err := config.Load(vars(fake.URL, "", "ZSBOT_WECOM_CORP_ID", corpID))
	if err != nil {
		t.Fatal(err)
	}
	return bot.NewSender(cfg.WeCom, db.TokenCache(0), o)
}

func TestSendersWithTwoBases(t *testing.T) {
	db := storage.New(redistest.Start(t).Client(t), "test")
	fakeA, fakeB := wecomtest.NewServer(t, "wwcorpA", testSecret), wecomtest.NewServer(t, "wwcorpB", testSecret)
	a := newSender(t, db, fakeA, "wwcorpA", bot.SenderOptions{})
	b := newSender(t, db, fakeB, "wwcorpB", bot.SenderOptions{})
	for i := range 2 { // interleaved, after both were built
		for name, s := range map[string]*bot.Sender{"A": a, "B": b} {
			if err := s.Send(t.Context(), app("zhangsan", fmt.Sprintf("%s%d", name, i))); err != nil {
				t.Fatalf("sender %s: %v", name, err)
			}
		}
	}
	for name, f := range map[string]*wecomtest.Server{"A": fakeA, "B": fakeB} {
		got := contents(f, wecomtest.PathMessage)
		if fmt.Sprint(got) != fmt.Sprintf("[%s0 %s1]", name, name) {
			t.Errorf("fake %s got %q", name, got)
		}
		for _, q := range f.Sent() {
			if q.ContentType != "application/json" || wecomtest.JSONType(q.Body["agentid"]) != "integer" || q.Body["agentid"] != 218.0 {
				t.Errorf("fake %s: Content-Type %q, agentid %#v; want application/json and the integer 218", name, q.ContentType, q.Body["agentid"])
			}
		}
	}
}

func TestSenderRefreshesTokenOnce(t *testing.T) {
	for _, code := range []int{40014, 42001} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			db := storage.New(redistest.Start(t).Client(t), "test")
			fake := wecomtest.NewServer(t, vectorA.receiveID, testSecret)
			s := newSender(t, db, fake, vectorA.receiveID, bot.SenderOptions{})
			fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Errcode: code})
			if err := s.Send(t.Context(), app("zhangsan", "一")); err != nil || fake.TokenFetches() != 2 {
				t.Fatalf("Send = %v after %d token fetches; want sent after a refresh (2)", err, fake.TokenFetches())
			}
			fake.Inject(wecomtest.PathMessage, 2, wecomtest.Fault{Errcode: code})
			err := s.Send(t.Context(), app("zhangsan", "二"))
			var se *bot.SendError
			if !errors.As(err, &se) || se.Kind != bot.KindRetry || se.Code != code || fake.TokenFetches() != 3 {
				t.Fatalf("Send = %#v after %d token fetches; want a retry of errcode %d after one more refresh (3)", err, fake.TokenFetches(), code)
			}
		})
	}
}

func TestSenderStopsWithContext(t *testing.T) {
	db := storage.New(redistest.Start(t).Client(t), "test")
	fake := wecomtest.NewServer(t, vectorA.receiveID, testSecret)
	s := newSender(t, db, fake, vectorA.receiveID, bot.SenderOptions{HTTPTimeout: time.Hour})
	fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Hang: true})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- s.Send(ctx, &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"u"}, Format: zsbot.FormatText, Text: "x"})
	}()
	fake.WaitRequests(t, 2) // gettoken, then message/send hangs
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute): // a guard, far beyond any wait: the fake never answers
		t.Fatal("Send still running a minute after its context ended")
	}
	var se *bot.SendError
	if !errors.As(err, &se) || se.Kind != bot.KindRetry || !strings.Contains(se.Msg, "context canceled") {
		t.Fatalf("Send after cancel = %#v, want a retry for the cancelled context", err)
	}
}
