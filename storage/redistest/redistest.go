// Package redistest starts throwaway redis-server processes for tests: each on
// a free loopback port, in its own temporary directory, stopped when the test
// ends. It never touches the shared servers on 6379 or 26379. Besides single
// servers it starts a Redis Cluster (StartCluster), a master with a replica
// and a sentinel (StartSentinel), and a server with TLS (StartTLS).
//
// A missing redis-server or redis-cli fails the test with a message saying
// how to install it: nothing is skipped silently.
package redistest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Server is one running redis-server.
type Server struct {
	Addr   string // host:port on loopback
	Dir    string // its working directory
	cmd    *exec.Cmd
	args   []string
	ownDir bool // Dir was made by NewServer and goes with Stop
}

// Start launches redis-server with extra arguments (for example
// "--appendonly", "yes") and registers its shutdown with tb.Cleanup.
// It fails the test when no redis-server binary is installed.
func Start(tb testing.TB, extra ...string) *Server {
	tb.Helper()
	s, err := NewServer(extra...)
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// NewServer is Start for code without a test, such as TestMain: the caller
// must Stop the server, which also removes its directory.
func NewServer(extra ...string) (*Server, error) {
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "redistest-")
	if err != nil {
		return nil, fmt.Errorf("redistest: %w", err)
	}
	args := append([]string{
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--save", "", "--appendonly", "no", "--logfile", "redis.log",
		"--protected-mode", "no",
	}, extra...)
	s, err := launch(dir, port, args)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.ownDir = true
	return s, nil
}

// launch runs redis-server with args in dir and waits until it answers
// PING on port.
func launch(dir string, port int, args []string) (*Server, error) {
	bin, err := binary("redis-server")
	if err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: dir, args: args}
	s.cmd = exec.Command(bin)
	if err := s.start(); err != nil {
		return nil, err
	}
	return s, nil
}

// binary returns the path of a Redis program, or an error saying how to
// install it.
func binary(name string) (string, error) {
	bin, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not installed (apt-get install -y redis-server): %w", name, err)
	}
	return bin, nil
}

func (s *Server) start() error {
	s.cmd = exec.Command(s.cmd.Path, s.args...)
	s.cmd.Dir = s.Dir
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start redis-server: %w", err)
	}
	err := poll(10*time.Second, func(ctx context.Context) (bool, error) {
		c := redis.NewClient(&redis.Options{Addr: s.Addr, MaxRetries: -1})
		defer c.Close()
		err := c.Ping(ctx).Err()
		if err != nil && strings.HasPrefix(err.Error(), "NOAUTH") {
			err = nil // it answers, but wants a password
		}
		return true, err
	})
	if err != nil {
		log, _ := os.ReadFile(s.Dir + "/redis.log")
		s.Stop()
		return fmt.Errorf("redis-server on %s did not answer within 10s; log:\n%s", s.Addr, log)
	}
	return nil
}

// Client returns a new client for the server, closed at the end of the test.
func (s *Server) Client(tb testing.TB) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr})
	tb.Cleanup(func() { c.Close() })
	return c
}

// URL returns the redis:// URL of the server.
func (s *Server) URL() string { return "redis://" + s.Addr + "/0" }

// Kill stops the server with SIGKILL, as a crash would.
func (s *Server) Kill() {
	if s.cmd != nil && s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

// Pause stops the server with SIGSTOP: it keeps its sockets but answers
// nothing, like a machine that hangs. Resume undoes it.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume continues a paused server with SIGCONT.
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig os.Signal) {
	if s.cmd != nil && s.cmd.Process != nil && s.cmd.ProcessState == nil {
		s.cmd.Process.Signal(sig)
	}
}

// Restart kills the server and starts it again on the same port and
// directory (so an append-only file, if enabled, is reloaded).
func (s *Server) Restart(tb testing.TB) {
	tb.Helper()
	s.Kill()
	if err := s.start(); err != nil {
		tb.Fatalf("redistest: restart: %v", err)
	}
}

// Stop shuts the server down; it is safe to call twice.
func (s *Server) Stop() {
	defer func() {
		if s.ownDir {
			os.RemoveAll(s.Dir)
		}
	}()
	if s.cmd == nil || s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot shut down
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// FreePort asks the kernel for a free TCP port on loopback.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// poll calls cond every 20 ms, each call bounded by a second, until it
// reports true without error; after limit it returns the last error.
func poll(limit time.Duration, cond func(context.Context) (bool, error)) error {
	deadline := time.Now().Add(limit)
	err := errors.New("condition not met")
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		ok, cerr := cond(ctx)
		cancel()
		if ok && cerr == nil {
			return nil
		}
		if cerr != nil {
			err = cerr
		}
		time.Sleep(20 * time.Millisecond)
	}
	return err
}

// waitFor is poll for a test: it fails tb, naming what it waited for.
func waitFor(tb testing.TB, limit time.Duration, what string, cond func(context.Context) (bool, error)) {
	tb.Helper()
	if err := poll(limit, cond); err != nil {
		tb.Fatalf("redistest: no %s within %v: %v", what, limit, err)
	}
}
