package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"zsbot/bot/wecompeer"
	"zsbot/bot/wecomtest"
	"zsbot/cmd/zsbench/loadgen"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// The end-to-end tests run the real zsbot binary, built once by TestMain,
// against a real redis-server and a fake WeCom, all on loopback, and kill,
// restart and duplicate things under load.

// binary is the zsbot built for the tests; zsbench is the load command.
var binary, zsbench string

func TestMain(m *testing.M) {
	if addr := os.Getenv(holdAddrEnv); addr != "" {
		os.Exit(holdConns(addr)) // a helper process of TestIdleFlood
	}
	dir, err := os.MkdirTemp("", "zsbot-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary, zsbench = filepath.Join(dir, "zsbot"), filepath.Join(dir, "zsbench")
	for out, pkg := range map[string]string{binary: ".", zsbench: "../zsbench"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: build %s: %v\n", pkg, err)
			os.Exit(1)
		}
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The test app: WeCom's sample token, key and corp id.
const (
	e2eToken  = "QDG6eK"
	e2eAESKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
	e2eCorpID = "wx5823bf96d3bd56c7"
	e2eSecret = "e2e-secret"
	e2eAdmin  = "e2eadmin"
)

// rig is a redis-server, a fake WeCom and the environment of zsbot
// processes that share them.
type rig struct {
	redis *redistest.Server
	fake  *wecomtest.Server
	db    *storage.DB
	env   []string
}

// newRig starts redis-server with extra arguments and the fake WeCom;
// extra environment variables (NAME=value) go to every zsbot process.
func newRig(t *testing.T, redisArgs []string, env ...string) *rig {
	t.Helper()
	r := &rig{redis: redistest.Start(t, redisArgs...), fake: wecomtest.NewServer(t, e2eCorpID, e2eSecret)}
	r.db = storage.New(r.redis.Client(t), "e2e")
	r.env = append(os.Environ(), "ZSBOT_REDIS_URL="+r.redis.URL(), "ZSBOT_BUREAU=e2e", "ZSBOT_ADMINS="+e2eAdmin,
		"ZSBOT_WECOM_CORP_ID="+e2eCorpID, "ZSBOT_WECOM_AGENT_ID=1000002", "ZSBOT_WECOM_SECRET="+e2eSecret,
		"ZSBOT_WECOM_TOKEN="+e2eToken, "ZSBOT_WECOM_AES_KEY="+e2eAESKey, "ZSBOT_WECOM_API_BASE="+r.fake.URL,
		"ZSBOT_DATA_DIR="+t.TempDir())
	r.env = append(r.env, env...)
	return r
}

// serveProc is one running `zsbot serve`.
type serveProc struct {
	addr  string // 127.0.0.1:port
	admin string // its ZSBOT_ADMIN_ADDR, 127.0.0.1:port
	cmd   *exec.Cmd
	logs  *lockedWriter
	done  chan struct{}
}

// serve starts `zsbot serve` on addr ("" = a free port), its admin
// listener on a free port, and waits until it answers /healthz; extra
// environment variables (NAME=value) go to it alone.
func (r *rig) serve(t *testing.T, addr string, env ...string) *serveProc {
	t.Helper()
	if addr == "" {
		addr = freeAddr(t)
	}
	s := &serveProc{addr: addr, admin: freeAddr(t), logs: &lockedWriter{}, done: make(chan struct{})}
	s.cmd = exec.Command(binary, "serve")
	s.cmd.Env = append(append(r.env, "ZSBOT_HTTP_ADDR="+addr, "ZSBOT_ADMIN_ADDR="+s.admin), env...)
	s.cmd.Stderr = s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { s.stop(t) })
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			return s
		}
		select {
		case <-s.done:
			t.Fatalf("zsbot serve exited: %s", s.logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("zsbot serve did not answer /healthz: %s", s.logs)
		}
	}
}

// freeAddr is a free port on 127.0.0.1.
func freeAddr(t *testing.T) string {
	t.Helper()
	port, err := redistest.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
}

// kill stops the process with SIGKILL, as a crash would.
func (s *serveProc) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// stop stops the process with SIGTERM and waits for it.
func (s *serveProc) stop(t *testing.T) {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
		t.Errorf("zsbot serve did not stop on SIGTERM")
	}
}

// load is a loadgen configuration against s with the rig's app.
func (r *rig) load(s *serveProc, c loadgen.Config) loadgen.Config {
	c.URL = "http://" + s.addr + "/wecom/callback"
	c.MetricsURL = "http://" + s.admin + "/metrics"
	c.Client = wecompeer.Client{Token: e2eToken, AESKey: e2eAESKey, CorpID: e2eCorpID, AgentID: "1000002"}
	c.Admin = e2eAdmin
	c.Redis = r.db.Client()
	return c
}

// verify checks acks against the audit stream: every acknowledged write
// stored exactly once, nothing written twice.
func (r *rig) verify(t *testing.T, acks []byte) *loadgen.Verified {
	t.Helper()
	v, err := loadgen.Verify(context.Background(), r.db, bytes.NewReader(acks))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	v.Format(&out)
	t.Log(out.String())
	if !v.OK() {
		t.Errorf("acknowledged writes lost or doubled:\n%s", out.String())
	}
	if v.Writes == 0 {
		t.Error("no acknowledged write to check")
	}
	return v
}

// lockedWriter is a buffer safe for a process's output and a test reading
// it.
type lockedWriter struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// waitFor reports whether the output holds substr within d: a process's
// log lines reach the buffer through a pipe, after its HTTP answers.
func (l *lockedWriter) waitFor(substr string, d time.Duration) bool {
	for deadline := time.Now().Add(d); !strings.Contains(l.String(), substr); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// syncBuffer collects the acks of a run.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return bytes.Clone(s.b.Bytes())
}
