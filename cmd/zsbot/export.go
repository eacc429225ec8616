package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"zsbot/storage"
)

func runExport(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot export", flag.ContinueOnError)
	format := fs.String("format", "json", "json or xlsx")
	out := fs.String("out", "", "write to FILE instead of standard output (xlsx: required when standard output is a terminal)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: zsbot export --format json|xlsx [--out FILE]\n\nEvery record of the bureau: projects, companies, activities, payments, tasks, items, targets, people, groups.\n\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *format != "json" && *format != "xlsx" {
		fmt.Fprintf(stderr, "zsbot export: --format must be json or xlsx, not %q\n", *format)
		return 2
	}
	if f, ok := stdout.(*os.File); ok && *format == "xlsx" && (*out == "" || *out == "-") && isTerminal(f) {
		fmt.Fprintln(stderr, "zsbot export: an xlsx file is binary and standard output is a terminal: give --out FILE or redirect it to a file")
		return 2
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	d, err := e.db.Export(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot export:", err)
		return 1
	}
	var data []byte
	switch *format {
	case "json":
		var buf bytes.Buffer
		err = d.WriteJSON(&buf)
		data = buf.Bytes()
	case "xlsx":
		data, err = encodeXLSX(ctx, e, d)
	}
	if err == nil {
		err = writeOut(*out, data, stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "zsbot export:", err)
		return 1
	}
	return 0
}

func writeOut(path string, data []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	return storage.WriteFileAtomic(path, data)
}

func runBackup(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot backup", flag.ContinueOnError)
	out := fs.String("out", "", "the backup file (required; - for standard output)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: zsbot backup --out FILE\n\nEvery key of the bureau, type for type with TTLs, as JSON lines.\n\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if *out == "" {
		fmt.Fprintln(stderr, "zsbot backup: --out FILE is required")
		return 2
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	var buf bytes.Buffer
	if err := e.db.Backup(ctx, &buf); err != nil {
		fmt.Fprintln(stderr, "zsbot backup:", err)
		return 1
	}
	if err := writeOut(*out, buf.Bytes(), stdout); err != nil {
		fmt.Fprintln(stderr, "zsbot backup:", err)
		return 1
	}
	return 0
}

func runRestore(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot restore", flag.ContinueOnError)
	replace := fs.Bool("replace", false, "replace the bureau's existing keys (in one step, once the whole file has passed its checks)")
	asBureau := fs.String("as-bureau", "", "take a backup of bureau `OTHER`, its keys renamed into this bureau")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: zsbot restore [--replace] [--as-bureau OTHER] FILE\n\n"+
			"Loads a backup made by zsbot backup. The whole file is checked first (format, bureau, every line,\n"+
			"the trailer's key count and SHA-256); a faulty file is refused, naming the line, and nothing changes.\n"+
			"Refuses a bureau that has data unless --replace.\n\n")
		fs.PrintDefaults()
	}
	if ok, code := parseFlags(fs, args, stderr); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "zsbot restore: give exactly one backup FILE")
		return 2
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "zsbot restore:", err)
		return 1
	}
	defer f.Close()
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	n, err := e.db.Restore(ctx, f, storage.RestoreOptions{Replace: *replace, AsBureau: *asBureau, Warn: func(msg string) {
		fmt.Fprintf(stderr, "zsbot restore: warning: %s: %s\n", fs.Arg(0), msg)
	}})
	var bad *storage.BackupError
	if errors.As(err, &bad) {
		fmt.Fprintf(stderr, "zsbot restore: %s: %v; nothing was changed\n", fs.Arg(0), bad)
		return 1
	} else if err != nil {
		fmt.Fprintln(stderr, "zsbot restore:", err)
		return 1
	}
	fmt.Fprintf(stdout, "restored %d keys into bureau %q\n", n, e.db.Bureau())
	// A backup from before the figures' aggregates (or with them in an
	// older layout) gets them built now, so 统计 reads them at once.
	if built, err := e.db.MigrateAggregates(ctx); err != nil {
		fmt.Fprintln(stderr, "zsbot restore: warning: building the figures' aggregates failed (统计 reads the records until `zsbot figures rebuild` succeeds):", err)
	} else if built {
		fmt.Fprintln(stdout, "figures' aggregates built from the restored records")
	}
	return 0
}
