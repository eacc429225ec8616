package wecomapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"zsbot/bot/wecomapi"
	"zsbot/bot/wecomtest"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

const (
	corpA, secretA = "wwcorpA", "secret-A"
	corpB, secretB = "wwcorpB", "secret-B"
)

// newTokens returns a token store in a real redis-server.
func newTokens(t *testing.T) *storage.TokenCache {
	t.Helper()
	return storage.New(redistest.Start(t).Client(t), "test").TokenCache(0)
}

func text(s string) *wecomapi.Content { return &wecomapi.Content{Content: s} }

// sendAll sends one message of each kind and format through c.
func sendAll(t *testing.T, c *wecomapi.Client) {
	t.Helper()
	ctx := t.Context()
	md := `**签约** <font color="info">诺比侃</font> 51亿 & more`
	if _, err := c.SendMessage(ctx, wecomapi.Message{ToUser: "zhangsan|lisi", MsgType: "text", Text: text("一"),
		EnableDuplicateCheck: 1, DuplicateCheckInterval: 1800}); err != nil {
		t.Fatalf("message text: %v", err)
	}
	if _, err := c.SendMessage(ctx, wecomapi.Message{ToUser: "zhangsan", MsgType: "markdown", Markdown: text(md)}); err != nil {
		t.Fatalf("message markdown: %v", err)
	}
	if err := c.SendAppChat(ctx, wecomapi.AppChat{ChatID: "chat1", MsgType: "text", Text: text("二")}); err != nil {
		t.Fatalf("appchat text: %v", err)
	}
	if err := c.SendAppChat(ctx, wecomapi.AppChat{ChatID: "chat1", MsgType: "markdown", Markdown: text(md)}); err != nil {
		t.Fatalf("appchat markdown: %v", err)
	}
	if err := c.SendWebhook(ctx, "robot-key", wecomapi.Webhook{MsgType: "text",
		Text: &wecomapi.RobotText{Content: "三", MentionedList: []string{"zhangsan"}}}); err != nil {
		t.Fatalf("webhook text: %v", err)
	}
	if err := c.SendWebhook(ctx, "robot-key", wecomapi.Webhook{MsgType: "markdown", Markdown: text(md)}); err != nil {
		t.Fatalf("webhook markdown: %v", err)
	}
}

// wantTypes are the JSON types WeCom documents for each field, by path and
// msgtype; a field is named by its path in the body.
var wantTypes = map[string]map[string]string{
	wecomtest.PathMessage + " text": {"touser": "string", "msgtype": "string", "agentid": "integer", "safe": "integer",
		"enable_duplicate_check": "integer", "duplicate_check_interval": "integer", "text": "object", "text.content": "string"},
	wecomtest.PathMessage + " markdown": {"touser": "string", "msgtype": "string", "agentid": "integer", "safe": "integer",
		"enable_duplicate_check": "integer", "markdown": "object", "markdown.content": "string"},
	wecomtest.PathAppChat + " text":     {"chatid": "string", "msgtype": "string", "safe": "integer", "text": "object", "text.content": "string"},
	wecomtest.PathAppChat + " markdown": {"chatid": "string", "msgtype": "string", "safe": "integer", "markdown": "object", "markdown.content": "string"},
	wecomtest.PathWebhook + " text": {"msgtype": "string", "text": "object", "text.content": "string",
		"text.mentioned_list": "array"},
	wecomtest.PathWebhook + " markdown": {"msgtype": "string", "markdown": "object", "markdown.content": "string"},
}

// field returns the value at a dotted path of body.
func field(body map[string]any, path string) any {
	var v any = body
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func TestRequestShapes(t *testing.T) {
	fake := wecomtest.NewServer(t, corpA, secretA)
	c := wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: corpA, Secret: secretA, AgentID: 1000002}, newTokens(t))
	sendAll(t, c)
	sent := fake.Sent()
	if len(sent) != 6 {
		t.Fatalf("%d sends accepted, want 6: %+v", len(sent), fake.Requests())
	}
	for _, q := range sent {
		key := q.Path + " " + field(q.Body, "msgtype").(string)
		t.Run(strings.TrimPrefix(key, "/cgi-bin/"), func(t *testing.T) {
			if q.ContentType != "application/json" {
				t.Errorf("Content-Type %q, want application/json", q.ContentType)
			}
			want := wantTypes[key]
			for name, typ := range want {
				if got := wecomtest.JSONType(field(q.Body, name)); got != typ {
					t.Errorf("%s is %s (%v), want %s", name, got, field(q.Body, name), typ)
				}
			}
			for name := range q.Body {
				if _, ok := want[name]; !ok {
					t.Errorf("field %s sent, WeCom's document has no such field here", name)
				}
			}
			if q.Path == wecomtest.PathMessage && q.Body["agentid"] != 1000002.0 {
				t.Errorf("agentid %v, want 1000002", q.Body["agentid"])
			}
			if strings.Contains(key, "markdown") && !strings.Contains(string(q.Raw), `<font color=\"info\">诺比侃</font> 51亿 & more`) {
				t.Errorf("markdown escaped: %s", q.Raw)
			}
		})
	}
}

func TestTwoBases(t *testing.T) {
	fakeA, fakeB := wecomtest.NewServer(t, corpA, secretA), wecomtest.NewServer(t, corpB, secretB)
	tokens := newTokens(t) // one Redis, as two apps of one process would share
	a := wecomapi.New(&http.Client{}, fakeA.URL, wecomapi.App{CorpID: corpA, Secret: secretA, AgentID: 1}, tokens)
	b := wecomapi.New(&http.Client{}, fakeB.URL+"/", wecomapi.App{CorpID: corpB, Secret: secretB, AgentID: 2}, tokens)
	for i := range 2 { // interleaved: neither Client's base leaks into the other
		for _, c := range []*wecomapi.Client{a, b} {
			if _, err := c.SendMessage(t.Context(), wecomapi.Message{ToUser: "u", MsgType: "text", Text: text("x")}); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	}
	for name, f := range map[string]*wecomtest.Server{"A": fakeA, "B": fakeB} {
		if n, fetches := len(f.Sent()), f.TokenFetches(); n != 2 || fetches != 1 {
			t.Errorf("fake %s: %d sends, %d tokens; want 2 and 1", name, n, fetches)
		}
	}
	if fakeA.Sent()[0].Body["agentid"] != 1.0 || fakeB.Sent()[0].Body["agentid"] != 2.0 {
		t.Errorf("agentids %v, %v", fakeA.Sent()[0].Body["agentid"], fakeB.Sent()[0].Body["agentid"])
	}
}

func TestContextCancelStopsCall(t *testing.T) {
	fake := wecomtest.NewServer(t, corpA, secretA)
	c := wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: corpA, Secret: secretA, AgentID: 1}, newTokens(t))
	fake.Inject(wecomtest.PathWebhook, 1, wecomtest.Fault{Hang: true})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- c.SendWebhook(ctx, "k", wecomapi.Webhook{MsgType: "text", Text: &wecomapi.RobotText{Content: "x"}})
	}()
	fake.WaitRequests(t, 1) // the call is in flight, and WeCom never answers
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("SendWebhook after cancel = %v, want context.Canceled", err)
	}
}

func TestErrors(t *testing.T) {
	fake := wecomtest.NewServer(t, corpA, secretA)
	msg := wecomapi.Message{ToUser: "u", MsgType: "text", Text: text("x")}
	bad := wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: corpA, Secret: "wrong", AgentID: 1}, newTokens(t))
	_, err := bad.SendMessage(t.Context(), msg)
	var ae *wecomapi.Error
	if !errors.As(err, &ae) || ae.ErrCode != 40001 || ae.API != wecomapi.PathToken {
		t.Fatalf("gettoken with a wrong secret: %#v, want *Error 40001 of gettoken", err)
	}
	c := wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: corpA, Secret: secretA, AgentID: 1}, newTokens(t))
	fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Errcode: 45009})
	if _, err := c.SendMessage(t.Context(), msg); !errors.As(err, &ae) || ae.ErrCode != 45009 || ae.API != wecomapi.PathMessage {
		t.Fatalf("errcode 45009: %#v", err)
	}
	fake.Inject(wecomtest.PathAppChat, 1, wecomtest.Fault{Status: 502})
	var se *wecomapi.StatusError
	if err := c.SendAppChat(t.Context(), wecomapi.AppChat{ChatID: "c", MsgType: "text", Text: text("x")}); !errors.As(err, &se) || se.Code != 502 {
		t.Fatalf("HTTP 502: %#v", err)
	}
	if err := c.SendWebhook(t.Context(), "k", wecomapi.Webhook{MsgType: "text", Text: &wecomapi.RobotText{}}); !errors.As(err, &ae) || ae.ErrCode != wecomtest.ErrEmptyContent {
		t.Fatalf("empty content: %#v", err)
	}
}
