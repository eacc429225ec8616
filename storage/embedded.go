package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// DataFile is the embedded store's file name inside its data directory.
const DataFile = "zsbot.jsonl"

// Embedded is an in-process Redis (miniredis) whose data lives in one file,
// in the backup format: loaded at start, saved after every write and on
// close, always atomically (temporary file, fsync, rename), so a crash never
// leaves a corrupt file. It is for trying zsbot and for one small office;
// production runs on Redis with appendonly yes.
type Embedded struct {
	*DB
	mr   *miniredis.Miniredis
	path string
	log  *slog.Logger

	mu    sync.Mutex // serialises saves
	dirty bool
}

// OpenEmbedded starts the embedded store of bureau with its data in dir.
func OpenEmbedded(ctx context.Context, dir, bureau string, log *slog.Logger) (*Embedded, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("ZSBOT_DATA_DIR: %w", err)
	}
	mr := miniredis.NewMiniRedis()
	mr.ClockTTL(true)
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("storage: start embedded store: %w", err)
	}
	e := &Embedded{mr: mr, path: filepath.Join(dir, DataFile), log: log}
	rdb := redis.NewClient(&redis.Options{Addr: mr.Addr(), Protocol: 2})
	e.DB = New(rdb, bureau)
	// The file is loaded, checked whole first, as zsbot restore loads a
	// backup. A file that fails stops the start and is left as it is: the
	// store stops without saving over it.
	abort := func() { rdb.Close(); mr.Close() }
	if f, err := os.Open(e.path); err == nil {
		n, err := e.DB.Restore(ctx, f, RestoreOptions{Warn: func(msg string) {
			log.Warn("embedded store: "+msg, "file", e.path)
		}})
		f.Close()
		if err != nil {
			abort()
			return nil, fmt.Errorf("storage: load %s (left as it is): %w", e.path, err)
		}
		log.Info("embedded store loaded", "file", e.path, "keys", n)
	} else if !errors.Is(err, os.ErrNotExist) {
		abort()
		return nil, fmt.Errorf("storage: open %s: %w", e.path, err)
	}
	rdb.AddHook(saveHook{e})
	return e, nil
}

// Path returns the data file's path.
func (e *Embedded) Path() string { return e.path }

func (e *Embedded) markDirty() {
	e.mu.Lock()
	e.dirty = true
	e.mu.Unlock()
	if err := e.Save(context.Background()); err != nil {
		e.log.Error("embedded store: save failed", "file", e.path, "err", err)
	}
}

// Save writes the data file if anything changed since the last save.
func (e *Embedded) Save(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.dirty {
		return nil
	}
	var buf bytes.Buffer
	if err := e.DB.Backup(ctx, &buf); err != nil {
		return err
	}
	if err := WriteFileAtomic(e.path, buf.Bytes()); err != nil {
		return err
	}
	e.dirty = false
	return nil
}

// Close saves and stops the embedded store.
func (e *Embedded) Close() error {
	err := e.Save(context.Background())
	e.DB.rdb.Close()
	e.mr.Close()
	return err
}

// WriteFileAtomic replaces path with data: a temporary file in the same
// directory, fsync, rename, fsync of the directory.
func WriteFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("storage: save: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after a successful rename
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("storage: save: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("storage: save: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("storage: save: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("storage: save: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// saveHook marks the embedded store dirty after every write command that
// does not come from the store's own saving, and saves it.
type saveHook struct{ e *Embedded }

func (saveHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return next(ctx, network, addr)
	}
}

func (h saveHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if err == nil && isWrite(cmd.Name()) {
			h.e.markDirty()
		}
		return err
	}
}

func (h saveHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			if c.Err() == nil && isWrite(c.Name()) {
				h.e.markDirty()
				break
			}
		}
		return err
	}
}

// readOnly lists the commands that never change data.
var readOnly = map[string]bool{
	"get": true, "mget": true, "hget": true, "hmget": true, "hgetall": true, "hexists": true, "hlen": true,
	"exists": true, "type": true, "ttl": true, "pttl": true, "scan": true, "sscan": true, "hscan": true,
	"zrange": true, "zrangebyscore": true, "zrevrange": true, "zrevrangebyscore": true, "zscore": true, "zcard": true,
	"zcount": true, "lrange": true, "lindex": true, "llen": true, "smembers": true, "sismember": true, "scard": true,
	"xrange": true, "xrevrange": true, "xlen": true, "ping": true, "info": true, "hello": true, "client": true,
	"multi": true, "exec": true, "script": true, "keys": true, "strlen": true, "time": true, "dbsize": true,
}

func isWrite(name string) bool { return !readOnly[strings.ToLower(name)] }
