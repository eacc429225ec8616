package main

import (
	"os/exec"
	"strings"
	"testing"
)

// notLinked are packages the shipped binary must not contain: test code,
// and the load generator, which is command zsbench.
var notLinked = []string{"testing", "net/http/httptest", "zsbot/bot/wecomtest", "zsbot/cmd/zsbench/loadgen"}

// handlersNotLinked are what the verbs must not link: Redis, the embedded
// store, cron, the spreadsheet library, and the packages that bring them.
var handlersNotLinked = []string{"github.com/redis/go-redis/v9", "github.com/alicebob/miniredis/v2",
	"github.com/robfig/cron/v3", "github.com/xuri/excelize/v2", "zsbot/storage", "zsbot/bot", "zsbot/jobs"}

// TestNoTestCodeLinked lists zsbot's dependencies with the go tool and
// fails, naming the importer, when one of notLinked is among them.
func TestNoTestCodeLinked(t *testing.T) {
	importers := deps(t, ".")
	if _, ok := importers["zsbot/bot"]; !ok {
		t.Fatalf("go list -deps does not list zsbot/bot: %v", importers)
	}
	refuse(t, "zsbot", importers, notLinked)
}

// TestDependenciesPointInward checks the seams: the handlers link none of
// handlersNotLinked, and config imports no package of this module.
func TestDependenciesPointInward(t *testing.T) {
	importers := deps(t, "zsbot/handlers")
	if _, ok := importers["zsbot/report"]; !ok {
		t.Fatalf("go list -deps does not list zsbot/report for the handlers: %v", importers)
	}
	refuse(t, "zsbot/handlers", importers, handlersNotLinked)
	config := deps(t, "zsbot/config")
	var ours []string // every package of this module but config itself
	for p := range config {
		if p != "zsbot/config" && (p == "zsbot" || strings.HasPrefix(p, "zsbot/")) {
			ours = append(ours, p)
		}
	}
	refuse(t, "zsbot/config", config, ours)
}

// refuse fails, naming the importer, for each package of list that
// importers (the dependencies of pkg) holds.
func refuse(t *testing.T, pkg string, importers map[string][]string, list []string) {
	t.Helper()
	for _, p := range list {
		if by, ok := importers[p]; ok {
			t.Errorf("%s links %s (imported by %s)", pkg, p, strings.Join(by, ", "))
		}
	}
}

// deps lists the dependencies of pkg with the go tool (skipping the test
// without it): each package, with the dependencies that import it.
func deps(t *testing.T, pkg string) map[string][]string {
	t.Helper()
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool:", err)
	}
	out, err := exec.Command(gotool, "list", "-deps", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	importers := map[string][]string{} // package → the dependencies that import it
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if _, ok := importers[f[0]]; !ok {
			importers[f[0]] = nil // listed, perhaps imported by nothing (pkg itself)
		}
		for _, imp := range f[1:] {
			importers[imp] = append(importers[imp], f[0])
		}
	}
	return importers
}
