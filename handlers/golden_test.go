package handlers_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata")

// TestGoldenWeek replays a realistic week of messages from several officers
// (testdata/week.txt) and compares the transcript with testdata/week.golden.
// Run with -update to rewrite it after a deliberate change, and read the diff.
func TestGoldenWeek(t *testing.T) {
	got := transcript(t, "testdata/week.txt")
	const golden = "testdata/week.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := range max(len(gl), len(wl)) {
			g, w := line(gl, i), line(wl, i)
			if g != w {
				t.Fatalf("transcript differs from %s at line %d:\n got: %s\nwant: %s\n(run with -update if the change is meant)", golden, i+1, g, w)
			}
		}
	}
}

func line(ls []string, i int) string {
	if i < len(ls) {
		return ls[i]
	}
	return "<end>"
}

// transcript runs a script: "@2024-12-16T09:15" sets the clock, "user: text"
// sends a message, "#" lines are comments. Every reply must fit WeCom.
func transcript(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := newBot(t)
	var out strings.Builder
	sc := bufio.NewScanner(f)
	messages := 0
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "@"):
			b.at(l[1:])
			fmt.Fprintf(&out, "## %s %s\n\n", b.now.Format("2006-01-02 15:04"), weekdays[b.now.Weekday()])
		default:
			user, text, ok := strings.Cut(l, ": ")
			if !ok {
				t.Fatalf("%s: bad line %q", path, l)
			}
			messages++
			reply := b.say(user, text)
			if len(reply) > 2048 {
				t.Errorf("%q: reply of %d bytes", text, len(reply))
			}
			fmt.Fprintf(&out, "> %s: %s\n%s\n\n", user, text, reply)
		}
	}
	if messages < 25 {
		t.Fatalf("%s has %d messages; a week needs 25 or more", path, messages)
	}
	return out.String()
}

var weekdays = [...]string{time.Sunday: "周日", time.Monday: "周一", time.Tuesday: "周二", time.Wednesday: "周三",
	time.Thursday: "周四", time.Friday: "周五", time.Saturday: "周六"}
