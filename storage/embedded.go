package storage

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// DataFile is the embedded store's file name inside its data directory.
const DataFile = "zsbot.jsonl"

// Embedded is an in-process Redis (miniredis) whose data lives in one file,
// in the backup format: loaded at start and saved after every write, always
// atomically (temporary file, fsync, rename), so a crash never leaves a
// corrupt file. A write is confirmed only once the file holds it: when the
// save fails, the write is undone and refused with EWRITE (embedsave.go).
// It is for trying zsbot and for one small office; production runs on
// Redis with appendonly yes.
type Embedded struct {
	*DB
	mr   *miniredis.Miniredis
	path string
	log  *slog.Logger

	mu sync.Mutex // held across each write and its save; guards saving
	saving
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

// Close stops the embedded store. Every write it confirmed is in the file
// already; it returns the error of the last save while saving fails (the
// writes refused meanwhile are not in the file).
func (e *Embedded) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	err := e.SaveErr()
	e.DB.rdb.Close()
	if e.raw != nil {
		e.raw.rdb.Close()
		e.spare.rdb.Close()
	}
	e.mr.Close()
	return err
}

// SaveIn returns a function that writes a file of the given name into dir
// (made when missing) with WriteFileAtomic and returns its absolute path:
// where 导出 keeps its files.
func SaveIn(dir string) func(name string, data []byte) (string, error) {
	return func(name string, data []byte) (string, error) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return "", fmt.Errorf("storage: save %s: %w", name, err)
		}
		path := filepath.Join(dir, filepath.Base(name))
		if err := WriteFileAtomic(path, data); err != nil {
			return "", err
		}
		if abs, err := filepath.Abs(path); err == nil {
			path = abs
		}
		return path, nil
	}
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
