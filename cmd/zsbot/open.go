package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"zsbot/config"
	"zsbot/storage"
)

// env holds what every subcommand opens: configuration, logger and store.
type env struct {
	cfg   *config.Config
	log   *slog.Logger
	db    *storage.DB
	close func() error
	// waitShort counts writes that fewer replicas confirmed than
	// ZSBOT_REDIS_WAIT_REPLICAS asked for (served as a metric).
	waitShort atomic.Int64
	// emb is the embedded store when ZSBOT_REDIS_URL is empty, else nil.
	emb *storage.Embedded
}

// open loads the configuration and opens the store: Redis when
// ZSBOT_REDIS_URL is set, otherwise the embedded store in ZSBOT_DATA_DIR.
func open(ctx context.Context, stderr io.Writer) (*env, error) {
	cfg, dial, err := loadConfig(os.Environ())
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	e := &env{cfg: cfg, log: log}
	if cfg.RedisURL == "" {
		emb, err := storage.OpenEmbedded(ctx, cfg.DataDir, cfg.Bureau, log)
		if err != nil {
			return nil, err
		}
		e.db, e.close, e.emb = emb.DB, emb.Close, emb
		return e, nil
	}
	opts := dial
	opts.OnWaitShort = func(acked, want int) { e.waitShort.Add(1) }
	rdb, err := opts.Dial(cfg.RedisURL)
	if err != nil {
		return nil, fmt.Errorf("ZSBOT_REDIS_URL: %w", err)
	}
	e.db, e.close = storage.New(rdb, cfg.Bureau), rdb.Close
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := e.db.Ping(pctx); err != nil {
		rdb.Close()
		return nil, fmt.Errorf("ZSBOT_REDIS_URL: cannot reach Redis: %w", err)
	}
	return e, nil
}

// parseFlags parses a subcommand's flags; it prints usage on --help.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (ok bool, code int) {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return false, 0
		}
		return false, 2
	}
	return true, 0
}
