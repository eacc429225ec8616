//go:build linux

package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestIdleFlood opens 20,000 idle connections to `zsbot serve`, whose
// process may hold 4,096 descriptors (the default ZSBOT_MAX_CONNS of 1000
// and room for Redis and the rest): the descriptors last, a real signed
// callback is still answered within a second, and the log has no "too
// many open files". WithoutCap shows that a smaller flood, the cap lifted,
// does run the process out of descriptors. The connections are held by
// helper processes, 10,000 each, as one process may not have 20,000
// descriptors (ulimit -n).
func TestIdleFlood(t *testing.T) {
	r := newRig(t, nil)
	t.Run("Capped", func(t *testing.T) {
		s := r.serve(t, "")
		limitNofile(t, s, 4096)
		if code, reply := post(t, s, e2eClient().Text(e2eAdmin, "帮助", "7900000000000000001", time.Now())); code != http.StatusOK || reply == "" {
			t.Fatalf("before the flood: %d %q", code, reply)
		}
		for range 2 {
			if n, err := holdIdle(t, s.addr, 10000); err != nil {
				t.Fatalf("%d connections opened: %v", n, err)
			}
		}
		hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		if code, reply := postVia(t, hc, s, e2eClient().Text(e2eAdmin, "帮助", "7900000000000000002", time.Now())); code != http.StatusOK || reply == "" {
			t.Fatalf("during the flood: %d %q", code, reply)
		}
		if _, shed, _ := strings.Cut(metrics(t, s), "\nzsbot_http_connections_shed_total "); shed == "" || strings.HasPrefix(shed, "0\n") {
			t.Errorf("no connection counted as shed")
		}
		if strings.Contains(s.logs.String(), "too many open files") {
			t.Fatalf("the server ran out of descriptors:\n%s", s.logs)
		}
	})
	t.Run("WithoutCap", func(t *testing.T) {
		s := r.serve(t, "", "ZSBOT_MAX_CONNS=1000000")
		limitNofile(t, s, 1024)
		// Past the limit the server accepts no more and the kernel's
		// backlog (4096 at most) holds the rest: 3000 dials complete.
		n, err := holdIdle(t, s.addr, 3000)
		if !s.logs.waitFor("too many open files", 10*time.Second) {
			t.Fatalf("uncapped, %d connections (%v) did not exhaust the descriptors:\n%s", n, err, s.logs)
		}
	})
}

// holdAddrEnv names the address a helper process of TestIdleFlood dials
// (see holdConns).
const holdAddrEnv = "ZSBOT_TEST_HOLD_ADDR"

// holdIdle has a helper process open n connections to addr and keep them
// silent until the test ends. It returns how many it opened and why it
// stopped short.
func holdIdle(t *testing.T, addr string, n int) (int, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), holdAddrEnv+"="+addr, "ZSBOT_TEST_HOLD_N="+strconv.Itoa(n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() }) // closing stdin ends the helper
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("helper: %v", err)
	}
	opened, why, _ := strings.Cut(strings.TrimSpace(line), " ")
	k, err := strconv.Atoi(opened)
	if err != nil {
		t.Fatalf("helper said %q", line)
	}
	if why != "" {
		return k, fmt.Errorf("%s", why)
	}
	return k, nil
}

// holdConns is the helper process: it opens ZSBOT_TEST_HOLD_N connections
// to addr, one after another, within a minute, writes how many it opened
// (and the error that stopped it) and holds them until its standard input
// ends.
func holdConns(addr string) int {
	n, _ := strconv.Atoi(os.Getenv("ZSBOT_TEST_HOLD_N"))
	conns := make([]net.Conn, 0, n)
	d := net.Dialer{Timeout: 5 * time.Second}
	var why error
	for deadline := time.Now().Add(time.Minute); len(conns) < n; {
		if time.Now().After(deadline) {
			why = fmt.Errorf("not within a minute")
			break
		}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			why = err
			break
		}
		conns = append(conns, c)
	}
	if why != nil {
		fmt.Printf("%d %v\n", len(conns), why)
	} else {
		fmt.Printf("%d\n", len(conns))
	}
	io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
	return 0
}

// limitNofile limits s's process to n descriptors (prlimit(2)), below what
// the Go runtime raised its soft limit to at start.
func limitNofile(t *testing.T, s *serveProc, n uint64) {
	t.Helper()
	lim := syscall.Rlimit{Cur: n, Max: n}
	_, _, errno := syscall.RawSyscall6(syscall.SYS_PRLIMIT64, uintptr(s.cmd.Process.Pid), syscall.RLIMIT_NOFILE,
		uintptr(unsafe.Pointer(&lim)), 0, 0, 0)
	if errno != 0 {
		t.Fatalf("prlimit %d: %v", s.cmd.Process.Pid, errno)
	}
}
