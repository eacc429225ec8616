// Package wecomtest is test support for WeCom: a fake WeCom API server
// (gettoken, message/send, appchat/send, webhook/send; appchat/create and
// appchat/update in appchat.go, media/upload in media.go) that records every
// request, refuses what WeCom would (a body that is not JSON, a field of
// the wrong type, a missing recipient, an empty or too long content) with
// WeCom's errcodes, keeps WeCom's rate limits over a rolling minute (a
// robot's 20 messages, 30 app messages per member), and fails on demand. Tests use it; no command links it.
// WeCom's side of an app callback (signed, encrypted requests) is package
// wecompeer.
package wecomtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// The API paths, as WeCom's.
const (
	PathToken   = "/cgi-bin/gettoken"
	PathMessage = "/cgi-bin/message/send"
	PathAppChat = "/cgi-bin/appchat/send"
	PathWebhook = "/cgi-bin/webhook/send"
)

// Request is one call the fake received.
type Request struct {
	Path        string         // one of the Path constants
	Token       string         // the access_token, or the webhook key
	ContentType string         // the Content-Type header as sent
	Raw         []byte         // the body as sent
	Body        map[string]any // the decoded JSON body (nil for gettoken); JSONType tells a field's type
	Errcode     int            // what the fake answered (0 = accepted); -2 for an HTTP error or a hang
	At          time.Time      // when it arrived, by the fake's clock
	Dropped     bool           // answered 0 but dropped, as WeCom drops app messages over its limit
}

// Fault is what the fake does instead of answering normally.
type Fault struct {
	Errcode int           // answer this errcode
	Status  int           // answer this HTTP status (500, 502, …)
	Hang    bool          // never answer; the client must time out
	Delay   time.Duration // answer normally after this long
}

// Server is a fake WeCom API on loopback.
type Server struct {
	URL     string           // the API base, for ZSBOT_WECOM_API_BASE
	CorpID  string           // gettoken wants this corpid …
	Secret  string           // … and this corpsecret
	BadKeys map[string]bool  // webhook keys answered with 93000
	Now     func() time.Time // the fake's clock for its rate limits; nil = time.Now. Set before the first call
	// Users, when set, is the corp's directory: a chat member not in it is
	// refused (86216). Set before the first call.
	Users map[string]bool
	// StrictChats makes appchat/send refuse a chat the app did not create
	// (86003), as WeCom does; off, any chatid is taken. Set before the first call.
	StrictChats bool

	srv    *httptest.Server
	closed chan struct{}
	mu     sync.Mutex
	reqs   []Request
	token  string
	tokens int
	faults map[string][]Fault
	down   *Fault                 // every send fails so while set (Down)
	sends  map[string][]time.Time // accepted sends by robot or member (rate.go)
	app    appState               // the chats and media the app made (appchat.go, media.go)
}

// NewServer starts a fake for the app corpID/secret, closed when the test
// ends.
func NewServer(tb testing.TB, corpID, secret string) *Server {
	s := &Server{CorpID: corpID, Secret: secret, BadKeys: map[string]bool{}, closed: make(chan struct{}), faults: map[string][]Fault{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close stops the fake, releasing hung requests.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// Inject makes the next n calls to path ("" = any of the three send paths)
// fail with f, after the faults already queued for it.
func (s *Server) Inject(path string, n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults[path] = append(s.faults[path], f)
	}
}

// Down makes every call to the three send paths fail with f until Up:
// WeCom unreachable for a while.
func (s *Server) Down(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = &f
}

// Up ends Down.
func (s *Server) Up() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = nil
}

// ExpireToken makes WeCom forget the current access token: calls with it
// get 42001 until a new one is fetched.
func (s *Server) ExpireToken() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = ""
}

// TokenFetches returns how many tokens gettoken has issued.
func (s *Server) TokenFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens
}

// Requests returns every call so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Sent returns the accepted sends (errcode 0, not dropped) so far, in
// arrival order.
func (s *Server) Sent() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Path != PathToken && r.Errcode == 0 && !r.Dropped {
			out = append(out, r)
		}
	}
	return out
}

// WaitSent waits until n sends were accepted and returns them; it fails
// the test if that takes longer than timeout.
func (s *Server) WaitSent(tb testing.TB, n int, timeout time.Duration) []Request {
	tb.Helper()
	return s.wait(tb, n, timeout, s.Sent, "sends accepted")
}

// WaitRequests waits until n calls arrived (answered or not: a hung call
// counts once it is hanging) and returns them; it fails the test after 10s.
func (s *Server) WaitRequests(tb testing.TB, n int) []Request {
	tb.Helper()
	return s.wait(tb, n, 10*time.Second, s.Requests, "calls")
}

func (s *Server) wait(tb testing.TB, n int, timeout time.Duration, list func() []Request, what string) []Request {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for {
		if got := list(); len(got) >= n || time.Now().After(deadline) {
			if len(got) < n {
				tb.Fatalf("wecomtest: %d %s within %v, want %d", len(got), what, timeout, n)
			}
			return got
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := Request{Path: r.URL.Path, Token: q.Get("access_token"), ContentType: r.Header.Get("Content-Type"), At: s.now()}
	if r.URL.Path == PathWebhook {
		req.Token = q.Get("key")
	}
	if r.Method == http.MethodPost {
		req.Raw, _ = io.ReadAll(r.Body)
		if r.URL.Path != PathUpload { // an upload is multipart, read by upload
			if err := json.Unmarshal(req.Raw, &req.Body); err != nil || !isJSON(r) {
				req.Errcode = ErrInvalidParam
			}
		}
	}
	f, faulty := s.nextFault(r.URL.Path)
	if faulty && (f.Hang || f.Status != 0) {
		req.Errcode = -2
		s.record(req)
		if f.Hang {
			select {
			case <-r.Context().Done():
			case <-s.closed:
			}
			return
		}
		http.Error(w, "fault", f.Status)
		return
	}
	if faulty && f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-s.closed:
		}
	}
	answer := s.answer(r, &req, f, faulty)
	s.record(req)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(answer)
}

// answer decides the JSON answer of req and sets its Errcode.
func (s *Server) answer(r *http.Request, req *Request, f Fault, faulty bool) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := r.URL.Query()
	switch {
	case req.Errcode != 0:
	case faulty && f.Errcode != 0:
		req.Errcode = f.Errcode
	case r.URL.Path == PathToken:
		if q.Get("corpid") != s.CorpID || q.Get("corpsecret") != s.Secret {
			req.Errcode = 40001
			break
		}
		s.tokens++
		s.token = fmt.Sprintf("tok-%d", s.tokens)
		return map[string]any{"errcode": 0, "errmsg": "ok", "access_token": s.token, "expires_in": 7200}
	case r.URL.Path == PathWebhook:
		if s.BadKeys[req.Token] || req.Token == "" {
			req.Errcode = 93000
			break
		}
		if req.Errcode = check(req.Path, req.Body); req.Errcode == 0 {
			req.Errcode = s.rate(req)
		}
	case r.URL.Path == PathMessage || r.URL.Path == PathAppChat:
		if req.Token == "" || req.Token != s.token {
			req.Errcode = 42001
			break
		}
		if req.Errcode = check(req.Path, req.Body); req.Errcode == 0 {
			req.Errcode = s.sendable(req)
		}
		if req.Errcode == 0 {
			req.Errcode = s.rate(req)
		}
	case r.URL.Path == PathAppChatCreate || r.URL.Path == PathAppChatUpdate || r.URL.Path == PathUpload:
		if req.Token == "" || req.Token != s.token {
			req.Errcode = 42001
			break
		}
		var extra map[string]any
		if extra, req.Errcode = s.manage(r, req); req.Errcode == 0 {
			extra["errcode"], extra["errmsg"] = 0, "ok"
			return extra
		}
	default:
		req.Errcode = 404
	}
	if req.Errcode != 0 {
		return map[string]any{"errcode": req.Errcode, "errmsg": "fake error"}
	}
	return map[string]any{"errcode": 0, "errmsg": "ok"}
}

func (s *Server) nextFault(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down != nil && path != PathToken {
		return *s.down, true
	}
	for _, p := range []string{path, ""} {
		if p == "" && path == PathToken {
			continue
		}
		if fs := s.faults[p]; len(fs) > 0 {
			s.faults[p] = fs[1:]
			return fs[0], true
		}
	}
	return Fault{}, false
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, r)
}
