package bot_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot/bot"
	"zsbot/bot/wecompeer"
)

func TestVerifyURL(t *testing.T) {
	t.Run("VectorA", func(t *testing.T) {
		e := newEnv(t, bot.Options{}, "ZSBOT_WECOM_MAX_SKEW", "0")
		v := vectorA
		q := url.Values{"msg_signature": {v.getSig}, "timestamp": {v.getTS}, "nonce": {v.getNonce}, "echostr": {v.echostr}}
		body, code := get(t, e.url+"?"+q.Encode())
		if code != http.StatusOK || body != v.echo {
			t.Fatalf("GET = %d %q, want 200 %q", code, body, v.echo)
		}
	})
	t.Run("VectorAUnescapedPlus", func(t *testing.T) {
		e := newEnv(t, bot.Options{}, "ZSBOT_WECOM_MAX_SKEW", "0")
		v := vectorA
		raw := "msg_signature=" + v.getSig + "&timestamp=" + v.getTS + "&nonce=" + v.getNonce + "&echostr=" + v.echostr
		body, code := get(t, e.url+"?"+raw)
		if code != http.StatusOK || body != v.echo {
			t.Fatalf("GET = %d %q, want 200 %q", code, body, v.echo)
		}
	})
	t.Run("FreshClient", func(t *testing.T) {
		e := newEnv(t, bot.Options{})
		req, err := e.client.VerifyURL(e.url, "8317165541036", time.Now(), "42")
		if err != nil {
			t.Fatal(err)
		}
		if res := do(t, req); res.code != http.StatusOK || string(res.body) != "8317165541036" {
			t.Fatalf("GET = %d %q", res.code, res.body)
		}
	})
}

func TestVectorAPost(t *testing.T) {
	e := newEnv(t, bot.Options{}, "ZSBOT_WECOM_MAX_SKEW", "0")
	v := vectorA
	req, err := e.client.PostEncrypted(e.url, v.encrypt, v.postTS, v.nonce, v.postSig)
	if err != nil {
		t.Fatal(err)
	}
	r := e.open(t, do(t, req))
	if r.ToUserName != "mycreate" || r.FromUserName != v.receiveID || r.MsgType != "text" || r.Content != "已记录：hello" {
		t.Fatalf("reply %+v", r)
	}
	if w := e.writes(t); len(w) != 1 || w[0] != "mycreate|4561255354251345929|hello" {
		t.Fatalf("writes %q", w)
	}
}

func TestHelpConversation(t *testing.T) {
	e := newEnv(t, bot.Options{})
	r := e.open(t, e.send(t, e.client.Text("zhangsan", "帮助", "1001", time.Now())))
	if r.ToUserName != "zhangsan" || r.FromUserName != vectorA.receiveID || r.MsgType != "text" || !strings.HasPrefix(r.Content, "可用指令") {
		t.Fatalf("reply %+v", r)
	}
	if got := e.metric(t, "zsbot_callback_duration_seconds_count", "outcome", "passive"); got != 1 {
		t.Fatalf("passive latency observations = %v", got)
	}
}

func TestOnceOnly(t *testing.T) {
	t.Run("Sequential", func(t *testing.T) {
		e := newEnv(t, bot.Options{})
		msg := e.client.Text("lisi", "拜访 诺比侃", "2001", time.Now())
		var replies []string
		for range 4 {
			replies = append(replies, e.open(t, e.send(t, msg)).Content)
		}
		assertOnce(t, e, replies, "已记录：拜访 诺比侃")
	})
	t.Run("Concurrent", func(t *testing.T) {
		e := newEnv(t, bot.Options{Callback: bot.CallbackOptions{ReplyTimeout: 10 * time.Second}})
		msg := e.client.Text("lisi", "slow 签约 诺比侃 51亿", "2002", time.Now())
		replies := make([]string, 4)
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() { replies[i] = e.open(t, e.send(t, msg)).Content })
		}
		// Hold the command until the three retries are waiting for it.
		waitFor(t, "three duplicates", func() bool { return e.metric(t, "zsbot_callback_duplicates_total") == 3 })
		close(e.stub.gate)
		wg.Wait()
		assertOnce(t, e, replies, "已记录：slow 签约 诺比侃 51亿")
	})
	t.Run("PerSender", func(t *testing.T) {
		// The same MsgId from two senders is two deliveries: each runs and
		// each reply goes to its own sender, also on a retry.
		e := newEnv(t, bot.Options{})
		for range 2 {
			for _, who := range []string{"lisi", "wangwu"} {
				r := e.open(t, e.send(t, e.client.Text(who, "拜访 "+who, "2003", time.Now())))
				if r.ToUserName != who || r.Content != "已记录：拜访 "+who {
					t.Fatalf("%s got %+v", who, r)
				}
			}
		}
		if w := e.writes(t); len(w) != 2 || w[0] != "lisi|2003|拜访 lisi" || w[1] != "wangwu|2003|拜访 wangwu" {
			t.Fatalf("writes = %q, want one per sender", w)
		}
		if d := e.metric(t, "zsbot_callback_duplicates_total"); d != 2 {
			t.Errorf("duplicates = %v, want 2 (the retries)", d)
		}
	})
}

func assertOnce(t *testing.T, e *env, replies []string, want string) {
	t.Helper()
	for i, r := range replies {
		if r != want {
			t.Errorf("reply %d = %q, want %q", i, r, want)
		}
	}
	if w := e.writes(t); len(w) != 1 {
		t.Errorf("writes = %q, want exactly one", w)
	}
	if d := e.metric(t, "zsbot_callback_duplicates_total"); d != 3 {
		t.Errorf("duplicates = %v, want 3", d)
	}
	if n := len(e.fake.Requests()); n != 0 {
		t.Errorf("%d calls to WeCom's API, want none", n)
	}
}

func TestRefusals(t *testing.T) {
	e := newEnv(t, bot.Options{})
	c := e.client
	other := &wecompeer.Client{Token: c.Token, AESKey: c.AESKey, CorpID: "wwOTHERCORP", AgentID: "218"}
	now := time.Now()
	ts := func(at time.Time) string { return strconv.FormatInt(at.Unix(), 10) }
	good, _ := c.Encrypt(c.Text("wangwu", "签约 诺比侃 51亿", "3001", now))
	foreign, _ := other.Encrypt(other.Text("wangwu", "签约 诺比侃 51亿", "3002", now))
	stale := now.Add(-6 * time.Minute)
	badSig := []byte(c.Sign(ts(now), "1", good))
	badSig[0] ^= 1
	for name, tc := range map[string]struct {
		req    func() (*http.Request, error)
		status int
		reason string
	}{
		"BadSignature": {func() (*http.Request, error) { return c.PostEncrypted(e.url, good, ts(now), "1", string(badSig)) }, 401, "signature"},
		"Stale": {func() (*http.Request, error) {
			return c.PostEncrypted(e.url, good, ts(stale), "1", c.Sign(ts(stale), "1", good))
		}, 401, "stale"},
		"Future": {func() (*http.Request, error) {
			f := now.Add(6 * time.Minute)
			return c.PostEncrypted(e.url, good, ts(f), "1", c.Sign(ts(f), "1", good))
		}, 401, "stale"},
		"ReceiveID": {func() (*http.Request, error) {
			return c.PostEncrypted(e.url, foreign, ts(now), "1", c.Sign(ts(now), "1", foreign))
		}, 403, "receive_id"},
		"BadBase64": {func() (*http.Request, error) {
			return c.PostEncrypted(e.url, "@@@", ts(now), "1", c.Sign(ts(now), "1", "@@@"))
		}, 400, "ciphertext"},
		"MalformedXML": {func() (*http.Request, error) {
			return http.NewRequest("POST", e.url+"?timestamp="+ts(now), strings.NewReader("<xml><Encrypt>"))
		}, 400, "xml"},
		"Oversized": {func() (*http.Request, error) {
			big := bytes.Repeat([]byte("A"), bot.HardMaxBody+1) // up to it, a long message is answered (TestLongMessage)
			return http.NewRequest("POST", e.url, bytes.NewReader(big))
		}, 413, "too_large"},
	} {
		t.Run(name, func(t *testing.T) {
			before := e.metric(t, "zsbot_callback_refusals_total", "reason", tc.reason)
			req, err := tc.req()
			if err != nil {
				t.Fatal(err)
			}
			if res := do(t, req); res.code != tc.status {
				t.Fatalf("status %d, want %d", res.code, tc.status)
			}
			if got := e.metric(t, "zsbot_callback_refusals_total", "reason", tc.reason); got != before+1 {
				t.Fatalf("refusals{%s} = %v, want %v", tc.reason, got, before+1)
			}
			if !strings.Contains(e.logs.String(), "reason="+tc.reason) {
				t.Fatalf("no log line with reason=%s", tc.reason)
			}
		})
	}
	if w := e.writes(t); len(w) != 0 {
		t.Fatalf("refused requests wrote %q", w)
	}
	if keys, _ := e.rdb.Keys(t.Context(), "*dlv*").Result(); len(keys) != 0 {
		t.Fatalf("refused requests left once-only records %q", keys)
	}
}
