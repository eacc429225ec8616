package aibot_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zsbot/bot/aibot"
	"zsbot/bot/aibot/aibotpeer"
)

// TestVerifyURL: the GET verification answers the decrypted echostr, and
// refuses a bad signature.
func TestVerifyURL(t *testing.T) {
	e := newE2E(t, aibot.Options{MaxSkew: 5 * time.Minute})
	req, err := e.peer.VerifyURL(target, "8317165541036", time.Now(), "42")
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.String() != "8317165541036" {
		t.Fatalf("GET = %d %q", rec.Code, rec.Body)
	}
	bad := &aibotpeer.Client{Token: "other", AESKey: testKey}
	req, _ = bad.VerifyURL(target, "1", time.Now(), "42")
	rec = httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d", rec.Code)
	}
}

// TestRefusals: what is not WeCom's, or too old, runs nothing.
func TestRefusals(t *testing.T) {
	e := newE2E(t, aibot.Options{MaxSkew: 5 * time.Minute})
	e.setup(t)
	msg := e.peer.Text("r1", "zhangsan", group, "@招商助手 拜访 康硕 重庆")
	status := func(req *http.Request) int {
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, req)
		return rec.Code
	}
	stale, _ := e.peer.Post(target, msg, time.Now().Add(-10*time.Minute), "1")
	enc, _ := e.peer.Encrypt(msg)
	ts := "1700000000"
	wrongSig, _ := e.peer.PostEncrypted(target, enc, ts, "1", strings.Repeat("0", 40))
	otherKey := &aibotpeer.Client{Token: testToken, AESKey: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"}
	foreign, _ := otherKey.Post(target, msg, time.Now(), "1")
	notJSON := httptest.NewRequest(http.MethodPost, target, strings.NewReader("<xml><Encrypt>x</Encrypt></xml>"))
	put := httptest.NewRequest(http.MethodPut, target, nil)
	for name, c := range map[string]struct {
		req  *http.Request
		want int
	}{
		"stale": {stale, http.StatusUnauthorized}, "signature": {wrongSig, http.StatusUnauthorized},
		"other key": {foreign, http.StatusBadRequest}, "xml": {notJSON, http.StatusBadRequest},
		"method": {put, http.StatusMethodNotAllowed},
	} {
		if got := status(c.req); got != c.want {
			t.Errorf("%s: %d, want %d", name, got, c.want)
		}
	}
	if as := e.activities(t); len(as) != 0 {
		t.Fatalf("refused requests recorded %+v", as)
	}
}

// TestVectorPost posts the Python-made vector 0 as WeCom would: its
// ciphertext and signature, not the peer's, reach a command.
func TestVectorPost(t *testing.T) {
	v := vectors(t)[0]
	e := newE2E(t, aibot.Options{}) // no replay window: the vector is from 2014
	req, err := e.peer.PostEncrypted(target, v.Encrypt, v.Timestamp, v.Nonce, v.Signature)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	r, err := e.peer.OpenReply(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("%d %q: %v", rec.Code, rec.Body, err)
	}
	// zhangsan is not registered here: told their userid, in the group.
	if r.Stream == nil || !strings.HasPrefix(r.Stream.Content, "<@zhangsan> ") || !strings.Contains(r.Stream.Content, "zhangsan") ||
		!strings.Contains(r.Stream.Content, "登记") {
		t.Fatalf("reply %+v", r.Stream)
	}
}
