package loadgen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// conns is the load generator's own HTTP/1.1 client: a pool of keep-alive
// connections, each carrying one request at a time. net/http's Transport
// spends two goroutines and their hand-offs on every request, which on a
// two-core machine costs about as much CPU as the bot spends parsing the
// callback; this client writes the request and reads the response on the
// caller's goroutine. It speaks only what zsbot serve answers: a status
// line, headers, and a body sized by Content-Length or chunked.
type conns struct {
	host    string // host:port
	path    string // the callback path
	timeout time.Duration

	mu   sync.Mutex
	idle []*conn
}

// conn is one connection.
type conn struct {
	nc net.Conn
	r  *bufio.Reader
	w  *bufio.Writer
}

func newConns(target string, timeout time.Duration) (*conns, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("loadgen: %q is not an http:// URL", target)
	}
	return &conns{host: u.Host, path: u.EscapedPath(), timeout: timeout}, nil
}

// post sends body to the callback with query and returns the status and
// body of the answer.
func (p *conns) post(ctx context.Context, query string, body []byte) (int, []byte, error) {
	c, err := p.get(ctx)
	if err != nil {
		return 0, nil, err
	}
	deadline := time.Now().Add(p.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	c.nc.SetDeadline(deadline)
	status, resp, keep, err := c.roundTrip(p.host, p.path+"?"+query, body)
	if err != nil || !keep {
		c.nc.Close()
		return status, resp, err
	}
	p.mu.Lock()
	p.idle = append(p.idle, c)
	p.mu.Unlock()
	return status, resp, nil
}

// get returns an idle connection or dials one.
func (p *conns) get(ctx context.Context) (*conn, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		c := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	d := net.Dialer{Timeout: p.timeout}
	nc, err := d.DialContext(ctx, "tcp", p.host)
	if err != nil {
		return nil, err
	}
	return &conn{nc: nc, r: bufio.NewReaderSize(nc, 8<<10), w: bufio.NewWriterSize(nc, 8<<10)}, nil
}

// close closes the idle connections.
func (p *conns) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.idle {
		c.nc.Close()
	}
	p.idle = nil
}

// roundTrip writes one POST and reads its answer; keep reports whether the
// connection may carry another request.
func (c *conn) roundTrip(host, target string, body []byte) (status int, resp []byte, keep bool, err error) {
	fmt.Fprintf(c.w, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n", target, host, len(body))
	c.w.Write(body)
	if err := c.w.Flush(); err != nil {
		return 0, nil, false, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, nil, false, err
	}
	f := strings.Fields(string(line))
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/1.") {
		return 0, nil, false, fmt.Errorf("loadgen: bad status line %q", line)
	}
	if status, err = strconv.Atoi(f[1]); err != nil {
		return 0, nil, false, fmt.Errorf("loadgen: bad status line %q", line)
	}
	length, chunked, keep := -1, false, true
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, nil, false, err
		}
		h = bytes.TrimRight(h, "\r\n")
		if len(h) == 0 {
			break
		}
		k, v, _ := bytes.Cut(h, []byte(":"))
		v = bytes.TrimSpace(v)
		switch strings.ToLower(string(k)) {
		case "content-length":
			if length, err = strconv.Atoi(string(v)); err != nil {
				return 0, nil, false, fmt.Errorf("loadgen: bad Content-Length %q", v)
			}
		case "transfer-encoding":
			chunked = bytes.EqualFold(v, []byte("chunked"))
		case "connection":
			keep = !bytes.EqualFold(v, []byte("close"))
		}
	}
	switch {
	case chunked:
		resp, err = c.chunks()
	case length >= 0:
		resp = make([]byte, length)
		_, err = io.ReadFull(c.r, resp)
	default:
		return 0, nil, false, errors.New("loadgen: answer without length")
	}
	return status, resp, keep && err == nil, err
}

// chunks reads a chunked body.
func (c *conn) chunks() ([]byte, error) {
	var out []byte
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			return nil, err
		}
		size, _, _ := bytes.Cut(bytes.TrimSpace(line), []byte(";"))
		n, err := strconv.ParseInt(string(size), 16, 32)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("loadgen: bad chunk size %q", line)
		}
		if n == 0 {
			_, err := c.r.ReadSlice('\n') // the blank line after the last chunk (no trailers)
			return out, err
		}
		chunk := make([]byte, n+2)
		if _, err := io.ReadFull(c.r, chunk); err != nil {
			return nil, err
		}
		out = append(out, chunk[:n]...)
	}
}
