package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"zsbot"
	"zsbot/handlers"
	"zsbot/storage"
)

const auditUsage = `Usage: zsbot audit archive [--archive-dir DIR] [--dry-run]

Appends the audit entries older than ZSBOT_AUDIT_KEEP (default 400d) to
monthly files DIR/YYYY-MM.jsonl (default ZSBOT_DATA_DIR/audit), syncs them,
then trims them from Redis with the history and undo lists that point at
them. Rerunning it writes no entry twice. zsbot serve does this daily.
`

// runAudit is `zsbot audit archive`.
func runAudit(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("zsbot audit archive", flag.ContinueOnError)
	dir := fs.String("archive-dir", "", "where the monthly files go (default ZSBOT_DATA_DIR/audit)")
	dry := fs.Bool("dry-run", false, "say what would be archived and trimmed; change nothing")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), auditUsage+"\n")
		fs.PrintDefaults()
	}
	if code, ok := subcommand(args, "archive", auditUsage, stdout, stderr); !ok {
		return code
	}
	if ok, code := parseFlags(fs, args[1:], stderr); !ok {
		return code
	}
	e, err := open(ctx, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot:", err)
		return 1
	}
	defer e.close()
	if !*dry {
		maskAudit(ctx, e)
	}
	o := archiveOptions(e, time.Now(), *dir, *dry)
	if o.Keep == 0 {
		fmt.Fprintln(stdout, "ZSBOT_AUDIT_KEEP is off: the audit is kept in Redis forever; nothing to archive.")
		return 0
	}
	rep, err := e.db.ArchiveAudit(ctx, o)
	if err != nil {
		fmt.Fprintln(stderr, "zsbot audit archive:", err)
		return 1
	}
	verb := "archived"
	if *dry {
		verb = "would archive"
	}
	fmt.Fprintf(stdout, "%s %d entries older than %s to %s [%s]; trimmed %d from the stream, %d from history and undo lists\n",
		verb, rep.Archived, rep.Cutoff.In(e.cfg.Location).Format(time.DateTime), o.Dir, strings.Join(rep.Files, " "), rep.Trimmed, rep.Unlisted)
	return 0
}

// archiveOptions are the audit archive's options from the configuration;
// dir "" means ZSBOT_DATA_DIR/audit.
func archiveOptions(e *env, now time.Time, dir string, dry bool) storage.ArchiveOptions {
	if dir == "" {
		dir = filepath.Join(e.cfg.DataDir, "audit")
	}
	return storage.ArchiveOptions{Dir: dir, Keep: e.cfg.AuditKeep, Now: now, Loc: e.cfg.Location, DryRun: dry}
}

// maskAudit is the start-up migration that masks the robot keys earlier
// versions kept in the audit stream; it logs what it did and never stops
// start-up (the records are not affected).
func maskAudit(ctx context.Context, e *env) {
	n, err := e.db.MaskAuditSecrets(ctx)
	switch {
	case err != nil:
		e.log.Error("audit: masking robot keys failed; will retry at the next start", "err", err)
	case n > 0:
		e.log.Info("audit: masked the robot keys of earlier entries", "entries", n)
	default:
		e.log.Debug("audit: no robot key to mask")
	}
}

// migrateParks is the start-up migration to the closed list of parks
// (handlers.MigrateParks): seeded from ZSBOT_PARKS when the store keeps
// none, short names rewritten to the listed ones; logged, and it never
// stops start-up.
func migrateParks(ctx context.Context, e *env) {
	if err := handlers.MigrateParks(ctx, e.db, e.cfg.Parks, time.Now(), e.log); err != nil {
		e.log.Error("parks: migration failed; will retry at the next start", "err", err)
	}
}

// migrateAggregates builds the figures' aggregates from the records when
// the store holds none in this layout (a store from before them, or a
// restored backup of one); until then 统计 reads the records. Logged; it
// never stops start-up.
func migrateAggregates(ctx context.Context, e *env) {
	start := time.Now()
	switch built, err := e.db.MigrateAggregates(ctx); {
	case err != nil:
		e.log.Error("figures: building the aggregates failed; 统计 reads the records until the next start or `zsbot figures rebuild`", "err", err)
	case built:
		e.log.Info("figures: aggregates built from the records", "took", time.Since(start).Round(time.Millisecond))
	}
}

// buildLists is the start-up backfill of the indexes of lists (我的 and 查
// read a page, not an officer's or company's whole history): the records
// written before them get their entries once (storage.BuildListIndexes);
// logged, and it never stops start-up (the first read that needs them
// builds them then).
func buildLists(ctx context.Context, e *env) {
	n, err := e.db.BuildListIndexes(ctx)
	switch {
	case err != nil:
		e.log.Error("lists: building the indexes failed; the first read that needs them will retry", "err", err)
	case n > 0:
		e.log.Info("lists: built the indexes of lists from the stored records", "records", n)
	}
}

// archiveEvery is how often serve tries the day's audit archive; the
// first instance to try on a day claims it and runs it.
const archiveEvery = time.Hour

// archiveDaily runs the audit archive once a day across every instance
// (a claim per day, like a notice's occurrence) until ctx ends. A day whose
// run failed or was lost is caught up by the next: each run archives
// everything older than the retention.
func archiveDaily(ctx context.Context, e *env, clock zsbot.Clock) {
	if e.cfg.AuditKeep == 0 {
		return
	}
	t := time.NewTicker(archiveEvery)
	defer t.Stop()
	for {
		now := clock()
		day := now.In(e.cfg.Location).Format(time.DateOnly)
		if ok, err := e.db.Claim(ctx, "audit-archive", day, 26*time.Hour); err != nil {
			e.log.Error("audit archive: claim failed", "err", err)
		} else if ok {
			rep, err := e.db.ArchiveAudit(ctx, archiveOptions(e, now, "", false))
			if err != nil {
				e.log.Error("audit archive failed", "err", err)
			} else {
				e.log.Info("audit archived", "entries", rep.Archived, "files", rep.Files, "trimmed", rep.Trimmed, "cutoff", rep.Cutoff)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// subcommand checks that args start with the one word a command takes
// ("zsbot audit archive", "zsbot figures rebuild"); otherwise it prints
// usage (to stdout for -h, exit 0; else to stderr, exit 2) and ok is false.
func subcommand(args []string, word, usage string, stdout, stderr io.Writer) (code int, ok bool) {
	if len(args) > 0 && args[0] == word {
		return 0, true
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprint(stdout, usage)
		return 0, false
	}
	fmt.Fprint(stderr, usage)
	return 2, false
}
