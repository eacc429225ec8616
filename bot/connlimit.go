package bot

import (
	"container/list"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
)

// connLimit is a listener that keeps at most max connections open, so that
// a flood of idle connections cannot use up the process's descriptors,
// while a real request still gets through: at the cap, a newly accepted
// connection makes room by closing the connection that has waited longest
// without a request — new, or idle between requests, with nothing read
// (an idle keep-alive connection, or one opened and left silent) — and,
// when there is none, the one that has waited longest with a request
// still incomplete (a slow sender of headers). A connection whose request
// is being handled is never closed: when all of them are, Accept waits
// for one to end, and new connections wait in the kernel's backlog,
// holding no descriptor.
//
// The http.Server must report to connState. A connection that finishes
// reading its request just as it is closed loses that request unanswered
// (the client sees the connection reset; WeCom retries a callback). Accept
// errors, EMFILE among them, are returned as they are: http.Server backs
// off and retries.
type connLimit struct {
	net.Listener
	max    int
	onShed func() // called for every connection closed to make room

	mu    sync.Mutex
	conns list.List // of *limitedConn, by when each began to wait, oldest first
	freed chan struct{}

	closeOnce sync.Once
	closed    chan struct{}
}

// limitedConn is a connection counted by a connLimit.
type limitedConn struct {
	net.Conn
	l         *connLimit
	elem      *list.Element // in l.conns; nil once closed (l.mu)
	busy      bool          // a request is being handled (l.mu)
	read      atomic.Bool   // bytes were read since it began to wait
	closeOnce sync.Once
	closeErr  error
}

func newConnLimit(ln net.Listener, max int, onShed func()) *connLimit {
	return &connLimit{Listener: ln, max: max, onShed: onShed, freed: make(chan struct{}, 1), closed: make(chan struct{})}
}

// Accept accepts a connection, then, at the cap, closes a waiting one or
// waits for one to end.
func (l *connLimit) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	for {
		l.mu.Lock()
		if l.conns.Len() < l.max {
			lc := &limitedConn{Conn: c, l: l}
			lc.elem = l.conns.PushBack(lc)
			l.mu.Unlock()
			return lc, nil
		}
		victim := l.victim()
		l.mu.Unlock()
		if victim != nil {
			victim.Close()
			l.onShed()
			continue
		}
		select {
		case <-l.freed:
		case <-l.closed:
			c.Close()
			return nil, net.ErrClosed
		}
	}
}

// victim returns the connection to close to make room, or nil when every
// connection is handling a request. l.mu is held.
func (l *connLimit) victim() *limitedConn {
	var partial *limitedConn
	for e := l.conns.Front(); e != nil; e = e.Next() {
		c := e.Value.(*limitedConn)
		switch {
		case c.busy:
		case !c.read.Load():
			return c
		case partial == nil:
			partial = c
		}
	}
	return partial
}

// Close stops Accept, a waiting one too.
func (l *connLimit) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// connState is the http.Server's ConnState hook: a connection is busy
// from its request's headers to its response, and begins to wait again,
// as the youngest, when it turns idle.
func (l *connLimit) connState(c net.Conn, st http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok || (st != http.StateActive && st != http.StateIdle) {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if lc.elem == nil {
		return
	}
	lc.busy = st == http.StateActive
	if st == http.StateIdle {
		lc.read.Store(false)
		l.conns.MoveToBack(lc.elem)
		l.wake()
	}
}

// wake tells a waiting Accept to look again. l.mu is held.
func (l *connLimit) wake() {
	select {
	case l.freed <- struct{}{}:
	default:
	}
}

func (c *limitedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.read.Store(true)
	}
	return n, err
}

// Close closes the connection and frees its place, once.
func (c *limitedConn) Close() error {
	c.closeOnce.Do(func() {
		c.closeErr = c.Conn.Close()
		c.l.mu.Lock()
		c.l.conns.Remove(c.elem)
		c.elem = nil
		c.l.wake()
		c.l.mu.Unlock()
	})
	return c.closeErr
}
