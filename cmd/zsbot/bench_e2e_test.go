package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestBenchSmoke runs zsbench for five seconds against `zsbot serve` (so
// that the load command cannot rot), then `zsbench --verify` on its acks:
// every acknowledged write is in the audit stream once.
func TestBenchSmoke(t *testing.T) {
	r := newRig(t, nil)
	s := r.serve(t, "")
	acks := filepath.Join(t.TempDir(), "acks.jsonl")
	run := func(args ...string) (string, int) {
		cmd := exec.Command(zsbench, args...)
		cmd.Env = append(r.env, "ZSBOT_HTTP_ADDR="+s.addr, "ZSBOT_ADMIN_ADDR="+s.admin)
		var out, errs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		t.Logf("zsbench %s:\n%s%s", strings.Join(args, " "), out.String(), errs.String())
		return out.String(), code
	}
	out, code := run("--duration", "5s", "--rate", "100", "--officers", "8", "--projects", "4", "--workers", "8",
		"--pid", strconv.Itoa(s.cmd.Process.Pid), "--acks", acks, "--tag", "1")
	if code != 0 {
		t.Fatalf("zsbench exited %d", code)
	}
	for _, want := range []string{"run: ", "errors       0", "bot CPU", "round trips"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	out, code = run("--verify", acks)
	if code != 0 || !strings.Contains(out, "missing from the audit: 0; audited twice: 0") {
		t.Fatalf("zsbench --verify exited %d", code)
	}
}

// TestBenchVolumeSmoke is scripts/bench.sh --volume in small: two
// seed-sized years preloaded into the empty bureau before serve starts,
// then the read mix in two rounds. Every message is answered (the
// commands allocate IDs above the preloaded ones, so none collides) and
// every acknowledged write is audited once.
func TestBenchVolumeSmoke(t *testing.T) {
	r := newRig(t, nil)
	zsb := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(zsbench, args...)
		cmd.Env = env
		var out, errs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errs
		if err := cmd.Run(); err != nil {
			t.Fatalf("zsbench %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errs.String())
		}
		t.Logf("zsbench %s:\n%s", strings.Join(args, " "), out.String())
		return out.String()
	}
	if out := zsb(r.env, "--preload-years", "2"); !strings.Contains(out, "2 years at 1× the seed's volume") {
		t.Fatalf("preload: %q", out)
	}
	s := r.serve(t, "")
	acks := filepath.Join(t.TempDir(), "acks.jsonl")
	env := append(r.env, "ZSBOT_HTTP_ADDR="+s.addr, "ZSBOT_ADMIN_ADDR="+s.admin)
	out := zsb(env, "--mix", "read", "--rounds", "2", "--duration", "2s", "--rate", "100", "--officers", "8", "--projects", "4",
		"--workers", "8", "--acks", acks, "--tag", "2")
	for _, want := range []string{"round 1: ", "round 2: ", "统计 本月", "统计 本年", "我的"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Count(out, "errors       0 ") != 3 { // the setup and both rounds
		t.Errorf("errors in the report")
	}
	if out := zsb(env, "--verify", acks); !strings.Contains(out, "missing from the audit: 0; audited twice: 0") {
		t.Errorf("verify: %q", out)
	}
}
