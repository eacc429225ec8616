package bot

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// limited is an HTTP server behind a connLimit; /slow waits for gate.
type limited struct {
	addr     string
	lim      *connLimit
	shed     atomic.Int64
	accepted atomic.Int64 // by the listener under the connLimit
	gate     chan struct{}
}

// countingListener counts the connections it accepts.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.n.Add(1)
	}
	return c, err
}

func serveLimited(t *testing.T, max int) *limited {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &limited{addr: ln.Addr().String(), gate: make(chan struct{})}
	s.lim = newConnLimit(countingListener{ln, &s.accepted}, max, func() { s.shed.Add(1) })
	srv := &http.Server{ConnState: s.lim.connState, ReadHeaderTimeout: time.Minute,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/slow" {
				<-s.gate
			}
			io.WriteString(w, "ok")
		})}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(s.lim) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return s
}

// dial opens a connection that the server has accepted and counts.
func (s *limited) dial(t *testing.T) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	s.waitFor(t, "the connection to be counted", func() bool { return s.tracked(c) != nil })
	return c
}

// tracked returns the server's side of client connection c, or nil.
func (s *limited) tracked(c net.Conn) *limitedConn {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	for e := s.lim.conns.Front(); e != nil; e = e.Next() {
		if lc := e.Value.(*limitedConn); lc.RemoteAddr().String() == c.LocalAddr().String() {
			return lc
		}
	}
	return nil
}

func (s *limited) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// request sends GET path on c and returns the status, or an error.
func request(c net.Conn, path string) (int, error) {
	if _, err := io.WriteString(c, "GET "+path+" HTTP/1.1\r\nHost: zsbot\r\n\r\n"); err != nil {
		return 0, err
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// mustBeClosed fails unless the server closed c.
func mustBeClosed(t *testing.T, c net.Conn, what string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("%s: read = %v; want the connection closed", what, err)
	}
}

func TestConnLimit(t *testing.T) {
	t.Run("ShedsOldestIdle", func(t *testing.T) {
		s := serveLimited(t, 3)
		a, b, c := s.dial(t), s.dial(t), s.dial(t)
		d, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if code, err := request(d, "/"); code != http.StatusOK {
			t.Fatalf("a request at the cap: %d, %v", code, err)
		}
		mustBeClosed(t, a, "the oldest idle connection")
		if s.tracked(b) == nil || s.tracked(c) == nil || s.tracked(d) == nil || s.shed.Load() != 1 {
			t.Fatalf("b %v, c %v, d %v kept, %d shed; want b, c and d kept, 1 shed",
				s.tracked(b) != nil, s.tracked(c) != nil, s.tracked(d) != nil, s.shed.Load())
		}
	})
	t.Run("KeepAliveBecomesYoungest", func(t *testing.T) {
		s := serveLimited(t, 2)
		a, b := s.dial(t), s.dial(t)
		if code, err := request(a, "/"); code != http.StatusOK {
			t.Fatalf("a: %d, %v", code, err)
		}
		s.waitFor(t, "a to turn idle", func() bool {
			lc := s.tracked(a)
			s.lim.mu.Lock()
			defer s.lim.mu.Unlock()
			return s.lim.conns.Back().Value == lc && !lc.busy
		})
		c := s.dial(t)
		mustBeClosed(t, b, "b, silent since it was opened")
		if code, err := request(a, "/"); code != http.StatusOK {
			t.Fatalf("a, kept alive: %d, %v", code, err)
		}
		if code, err := request(c, "/"); code != http.StatusOK {
			t.Fatalf("c: %d, %v", code, err)
		}
	})
	t.Run("PartialHeadersLast", func(t *testing.T) {
		s := serveLimited(t, 1)
		a := s.dial(t)
		io.WriteString(a, "GET / HTTP/1.1\r\nHost:")
		s.waitFor(t, "a's bytes to be read", func() bool { lc := s.tracked(a); return lc != nil && lc.read.Load() })
		b, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if code, err := request(b, "/"); code != http.StatusOK {
			t.Fatalf("b: %d, %v", code, err)
		}
		mustBeClosed(t, a, "a, sending its headers slowly")
	})
	t.Run("BusyNeverShed", func(t *testing.T) {
		s := serveLimited(t, 1)
		a := s.dial(t)
		slow := make(chan error, 1)
		go func() {
			code, err := request(a, "/slow")
			if err == nil && code != http.StatusOK {
				err = errors.New(http.StatusText(code))
			}
			slow <- err
		}()
		s.waitFor(t, "a's request to be handled", func() bool { lc := s.tracked(a); return lc != nil && s.busy(lc) })
		b, err := net.Dial("tcp", s.addr)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		fast := make(chan error, 1)
		go func() { _, err := request(b, "/"); fast <- err }()
		s.waitFor(t, "b to be accepted", func() bool { return s.accepted.Load() == 2 })
		close(s.gate) // b waits in Accept, at the cap, while a is busy
		if err := <-slow; err != nil {
			t.Fatalf("the busy connection's request: %v", err)
		}
		if err := <-fast; err != nil {
			t.Fatalf("the request that waited: %v", err)
		}
		// b was accepted only once a, its request answered, turned idle.
		if n := s.shed.Load(); n != 1 {
			t.Fatalf("%d shed; want 1 (a once idle)", n)
		}
	})
}

func (s *limited) busy(lc *limitedConn) bool {
	s.lim.mu.Lock()
	defer s.lim.mu.Unlock()
	return lc.busy
}

// TestConnLimitVictim: silent connections go first, oldest first, then
// those with a request incomplete; busy ones never.
func TestConnLimitVictim(t *testing.T) {
	l := newConnLimit(nil, 4, func() {})
	add := func(busy, read bool) *limitedConn {
		c := &limitedConn{l: l, busy: busy}
		c.read.Store(read)
		c.elem = l.conns.PushBack(c)
		return c
	}
	busy, partial1, partial2, silent := add(true, true), add(false, true), add(false, true), add(false, false)
	var order []*limitedConn
	for v := l.victim(); v != nil; v = l.victim() {
		order = append(order, v)
		l.conns.Remove(v.elem)
	}
	if want := []*limitedConn{silent, partial1, partial2}; !slices.Equal(order, want) {
		t.Fatalf("victims in the wrong order (busy is %p): got %p, want %p", busy, order, want)
	}
}
