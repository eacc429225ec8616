package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"zsbot"
	"zsbot/storage/redistest"
)

// zsbotCmd runs the zsbot binary with the rig's environment and extra
// variables, and returns its exit code and output.
func (r *rig) zsbotCmd(t *testing.T, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(append([]string{}, r.env...), env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode(), out.String(), errOut.String()
	} else if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errOut.String()
}

// TestRestoreCommand runs zsbot backup and zsbot restore: a backup cut
// short is refused with its line and reason, exit status 1, and Redis
// unchanged, with or without --replace; another bureau's backup is taken
// only with --as-bureau; an old-format file restores with a warning.
func TestRestoreCommand(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	ctx := context.Background()
	if err := r.db.Load(ctx, []zsbot.Record{
		&zsbot.Company{ID: "E1", Name: "诺比侃"},
		&zsbot.Project{ID: "P1", Name: "诺比侃机器视觉智能装备生产总部", Company: "E1", Stage: zsbot.StageSigned, Signed: 510000},
		&zsbot.Task{ID: "T1", Project: "P1", Text: "完成土地摘牌", Due: 20241215, Assignee: "zhangsan"},
	}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "backup.jsonl")
	if code, _, errOut := r.zsbotCmd(t, nil, "backup", "--out", file); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, errOut)
	}
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := good[:bytes.IndexByte(good, '\n')+20] // in line 2
	if err := os.WriteFile(file, cut, 0o600); err != nil {
		t.Fatal(err)
	}
	before := redistest.Snapshot(t, r.db.Client(), "*")
	for _, args := range [][]string{{"restore", file}, {"restore", "--replace", file}} {
		code, _, errOut := r.zsbotCmd(t, nil, args...)
		if want := file + ": line 2: the line stops without its end: the file is cut short; nothing was changed"; code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, %q; want 1 and %q", args, code, errOut, want)
		}
		if !reflect.DeepEqual(redistest.Snapshot(t, r.db.Client(), "*"), before) {
			t.Fatalf("%v changed Redis", args)
		}
	}

	if err := os.WriteFile(file, good, 0o600); err != nil {
		t.Fatal(err)
	}
	west := []string{"ZSBOT_BUREAU=west"}
	if code, _, errOut := r.zsbotCmd(t, west, "restore", file); code != 1 || !strings.Contains(errOut, "give --as-bureau e2e") {
		t.Errorf("another bureau's backup: exit %d, %q", code, errOut)
	}
	code, out, errOut := r.zsbotCmd(t, west, "restore", "--as-bureau", "e2e", file)
	if code != 0 || !strings.Contains(out, `into bureau "west"`) {
		t.Fatalf("--as-bureau: exit %d, %q %q", code, out, errOut)
	}

	v1 := bytes.Replace(good[:bytes.LastIndexByte(good[:len(good)-1], '\n')+1], []byte("zsbot-backup/2"), []byte("zsbot-backup/1"), 1)
	if err := os.WriteFile(file, v1, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = r.zsbotCmd(t, nil, "restore", "--replace", file)
	if code != 0 || !strings.Contains(errOut, "warning: "+file+": zsbot-backup/1 file: it has no trailer") {
		t.Fatalf("old format: exit %d, %q", code, errOut)
	}
	if d, _ := r.db.Export(ctx); len(d.Projects) != 1 || len(d.Tasks) != 1 {
		t.Fatalf("after the old-format restore: %d projects, %d tasks", len(d.Projects), len(d.Tasks))
	}
}
