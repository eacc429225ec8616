package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestExportRefusesTerminal: zsbot export --format xlsx without --out
// writes no binary to a terminal. /dev/null is a character device, as a
// terminal is, which is what the check sees; a regular file is no
// terminal, and the command then goes on (to open the store).
func TestExportRefusesTerminal(t *testing.T) {
	tty, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer tty.Close()
	for _, args := range [][]string{{"--format", "xlsx"}, {"--format", "xlsx", "--out", "-"}} {
		var stderr bytes.Buffer
		if code := run(t.Context(), append([]string{"export"}, args...), nil, tty, &stderr); code != 2 || !strings.Contains(stderr.String(), "--out FILE") {
			t.Errorf("export %v to a terminal: exit %d, %q", args, code, stderr.String())
		}
	}
	file, err := os.Create(t.TempDir() + "/out.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	t.Setenv("ZSBOT_REDIS_URL", "redis://127.0.0.1:1") // nothing listens: the command fails later, on the store
	var stderr bytes.Buffer
	if code := run(t.Context(), []string{"export", "--format", "xlsx"}, nil, file, &stderr); code == 2 || strings.Contains(stderr.String(), "terminal") {
		t.Errorf("export to a file refused as a terminal: exit %d, %q", code, stderr.String())
	}
}
