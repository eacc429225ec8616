package main

import (
	"os/exec"
	"strings"
	"testing"
)

// notLinked are packages the shipped binary must not contain: test code,
// and the load generator, which is command zsbench.
var notLinked = []string{"testing", "net/http/httptest", "zsbot/bot/wecomtest", "zsbot/cmd/zsbench/loadgen"}

// TestNoTestCodeLinked lists zsbot's dependencies with the go tool and
// fails, naming the importer, when one of notLinked is among them.
func TestNoTestCodeLinked(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool:", err)
	}
	out, err := exec.Command(gotool, "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	importers := map[string][]string{} // package → the dependencies that import it
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		importers[f[0]] = importers[f[0]] // listed, perhaps imported by nothing (the command itself)
		for _, imp := range f[1:] {
			importers[imp] = append(importers[imp], f[0])
		}
	}
	if _, ok := importers["zsbot/bot"]; !ok {
		t.Fatalf("go list -deps does not list zsbot/bot; its output:\n%s", out)
	}
	for _, p := range notLinked {
		if by, ok := importers[p]; ok {
			t.Errorf("zsbot links %s (imported by %s)", p, strings.Join(by, ", "))
		}
	}
}
