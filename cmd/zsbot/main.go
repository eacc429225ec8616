// Command zsbot is 招商助手: a WeCom bot that keeps an investment-promotion
// bureau's record of projects, activities and deadlines in Redis.
//
//	zsbot serve                      the WeCom callback, health, metrics, notices, outbox
//	zsbot console [--user ID] [--now TIME]
//	zsbot notice NAME --dry-run [--now TIME]
//	zsbot export --format json|xlsx [--out FILE]
//	zsbot backup --out FILE
//	zsbot restore [--replace] [--as-bureau OTHER] FILE
//	zsbot audit archive [--archive-dir DIR] [--dry-run]
//	zsbot outbox list | retry ID | drop ID
//	zsbot figures rebuild [--check]
//
// Configuration comes from ZSBOT_* environment variables (see README.md).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// commands maps a subcommand to its runner; each parses its own flags and
// returns the process exit code.
var commands = map[string]func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int{
	"console": runConsole,
	"serve": func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return runServe(ctx, args, stdout, stderr)
	},
	"notice":  runNotice,
	"export":  runExport,
	"backup":  runBackup,
	"restore": runRestore,
	"audit":   runAudit,
	"outbox":  runOutbox,
	"figures": runFigures,
}

const usage = `zsbot — 招商助手, the investment-promotion bureau's WeCom bot

Usage:
  zsbot serve                                   run the bot (WeCom callback, notices; /metrics, /readyz on ZSBOT_ADMIN_ADDR)
  zsbot console [--user ID] [--now TIME]        commands from standard input, replies on standard output
  zsbot notice NAME --dry-run [--now TIME]      print a scheduled notice (names: zsbot notice --help)
  zsbot export --format json|xlsx [--out FILE]  every record of the bureau
  zsbot backup --out FILE                       every key of the bureau, for moving between Redis servers
  zsbot restore [--replace] [--as-bureau OTHER] FILE  load a backup, checked whole before anything changes
  zsbot audit archive [--archive-dir DIR] [--dry-run]  move audit entries older than ZSBOT_AUDIT_KEEP to files
  zsbot outbox list | retry ID | drop ID        the messages WeCom refused for good (dead letters)
  zsbot figures rebuild [--check]               recompute the figures' aggregates from the records, report differences

Run "zsbot COMMAND --help" for a command's flags. Configuration: ZSBOT_* environment variables (README.md).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "zsbot: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	return cmd(ctx, args[1:], stdin, stdout, stderr)
}
