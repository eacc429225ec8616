package storage

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io/fs"
	"slices"
	"sync/atomic"
	"syscall"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// saving is how the embedded store saves: every write runs under
// Embedded.mu and is followed by a save; when the save fails, the store is
// put back to the data last saved and the write is refused with EWRITE, so
// no write is confirmed that the file does not hold, and no later save
// writes one that was refused. Reads take no lock.
type saving struct {
	raw      *DB    // the store on a client without the save hook: saves and rollbacks
	spare    *DB    // the same on miniredis's database 1, where a rollback is prepared
	saved    []byte // the data as last saved (or as loaded): what a refused write is undone to
	diverged bool   // the store holds a refused write that could not be undone yet

	writeFile func(path string, data []byte) error // nil: WriteFileAtomic
	failing   atomic.Pointer[error]                // the last save's failure; nil once a save succeeds
	failures  atomic.Int64                         // saves that failed
}

// SaveErr returns the error of the last save while saving fails (writes
// are refused meanwhile), and nil once a save succeeded.
func (e *Embedded) SaveErr() error {
	if p := e.failing.Load(); p != nil {
		return *p
	}
	return nil
}

// SaveFailures returns how many saves have failed since the store opened.
func (e *Embedded) SaveFailures() int64 { return e.failures.Load() }

// SetWriteFile replaces how the data file is written (WriteFileAtomic when
// f is nil): tests use it to make the disk fail.
func (e *Embedded) SetWriteFile(f func(path string, data []byte) error) {
	e.mu.Lock()
	e.writeFile = f
	e.mu.Unlock()
}

// write runs a write (one command or a pipeline) and saves the store,
// holding e.mu across both. When the save fails, the write is undone and
// it and cmds fail with EWRITE. Saving and undoing do not take the
// command's context: a write that happened is saved or undone even when
// its caller gave up.
func (e *Embedded) write(run func() error, cmds ...redis.Cmder) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	ctx := context.Background()
	err := e.prepare(ctx)
	if err == nil {
		if err = run(); changed(err, cmds) {
			if serr := e.save(ctx); serr != nil {
				err = e.refuse(ctx, serr)
			}
		}
	}
	if zsbot.ErrorCode(err) == zsbot.EWRITE {
		for _, c := range cmds {
			c.SetErr(err)
		}
	}
	return err
}

// prepare readies the store for a write: on the first one, it keeps the
// data as loaded, to undo a refused write to; after a failed undo, it
// tries again, and refuses the write if that fails too.
func (e *Embedded) prepare(ctx context.Context) error {
	if e.raw == nil {
		e.raw = New(redis.NewClient(&redis.Options{Addr: e.mr.Addr(), Protocol: 2}), e.bureau)
		e.spare = New(redis.NewClient(&redis.Options{Addr: e.mr.Addr(), Protocol: 2, DB: 1}), e.bureau)
	}
	if e.saved == nil {
		var buf bytes.Buffer
		if err := e.raw.Backup(ctx, &buf); err != nil {
			return refusal(err)
		}
		e.saved = buf.Bytes()
	}
	if e.diverged {
		if err := e.rollback(ctx); err != nil {
			e.log.Error("embedded store: undo a refused write", "err", err)
			return refusal(err)
		}
	}
	return nil
}

// save writes the whole store to the data file.
func (e *Embedded) save(ctx context.Context) error {
	var buf bytes.Buffer
	if err := e.raw.Backup(ctx, &buf); err != nil {
		return err
	}
	write := e.writeFile
	if write == nil {
		write = WriteFileAtomic
	}
	if err := write(e.path, buf.Bytes()); err != nil {
		return err
	}
	e.saved = buf.Bytes()
	if e.failing.Swap(nil) != nil {
		e.log.Info("embedded store: saving again", "file", e.path)
	}
	return nil
}

// refuse records the failed save cause, undoes the write and returns its
// refusal.
func (e *Embedded) refuse(ctx context.Context, cause error) error {
	e.failures.Add(1)
	e.failing.Store(&cause)
	if err := e.rollback(ctx); err != nil {
		e.log.Error("embedded store: save failed; undoing the write failed too, writes are refused until it succeeds",
			"file", e.path, "err", cause, "undo_err", err)
	} else {
		e.log.Error("embedded store: save failed; the write is undone and refused", "file", e.path, "err", cause)
	}
	return refusal(cause)
}

// rollback puts the store back to the data last saved, at once for every
// reader: the data is loaded into the spare database and swapped in. As
// in a restore, the directory's version moves forward and every entry
// the undone write may have changed is logged at it, so that a process
// whose copy read the undone write takes the entry back.
func (e *Embedded) rollback(ctx context.Context) error {
	err := e.prepareRollback(ctx)
	if err == nil {
		e.mr.SwapDB(0, 1)
		err = e.spare.rdb.FlushDB(ctx).Err()
	}
	e.diverged = err != nil
	return err
}

// prepareRollback loads the data last saved into the spare database, with
// the directory's version and log of the current one: Restore relogs from
// them.
func (e *Embedded) prepareRollback(ctx context.Context) error {
	version, log, err := e.raw.dirState(ctx)
	if err != nil {
		return err
	}
	pipe := e.spare.rdb.TxPipeline()
	pipe.FlushDB(ctx)
	pipe.Set(ctx, e.spare.k.dirVersion(), version, 0)
	for _, m := range log {
		pipe.ZAdd(ctx, e.spare.k.dirLog(), redis.Z{Member: m})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return wrap("rollback", err)
	}
	_, err = e.spare.Restore(ctx, bytes.NewReader(e.saved), RestoreOptions{Replace: true})
	return err
}

// saveRefused is a write refused because the store could not save it. It
// unwraps to a zsbot.Error with code EWRITE that names the cause for the
// officer.
type saveRefused struct {
	cause error
	user  *zsbot.Error
}

func (r *saveRefused) Error() string {
	return "storage: write refused, the embedded store could not save it: " + r.cause.Error()
}
func (r *saveRefused) Unwrap() error { return r.user }

// refusal returns the refusal of a write whose save failed with cause.
func refusal(cause error) error {
	return &saveRefused{cause, zsbot.Errorf(zsbot.EWRITE, "保存失败（%s），本条未记录，请联系管理员。", saveCause(cause))}
}

// saveCause names the cause of a failed save for the officer.
func saveCause(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return "磁盘已满"
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return "没有写入权限"
	}
	return "写入出错"
}

// saveHook runs every write command of the store's client through
// Embedded.write; reads pass straight through.
type saveHook struct{ e *Embedded }

func (saveHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h saveHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if !writes(cmd) {
			return next(ctx, cmd)
		}
		return h.e.write(func() error { return next(ctx, cmd) }, cmd)
	}
}

func (h saveHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		if !slices.ContainsFunc(cmds, writes) {
			return next(ctx, cmds)
		}
		return h.e.write(func() error { return next(ctx, cmds) }, cmds...)
	}
}

// changed reports whether the write cmds, which ended with err, may have
// changed data: not when the script sent was not loaded (the client sends
// it again), nor when each write is a GETDEL that found nothing (reading a
// session with no pending choice).
func changed(err error, cmds []redis.Cmder) bool {
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		return false
	}
	return slices.ContainsFunc(cmds, func(c redis.Cmder) bool {
		return writes(c) && !(c.Name() == "getdel" && errors.Is(c.Err(), redis.Nil))
	})
}

// readOnly lists the commands that never change data.
var readOnly = map[string]bool{
	"get": true, "mget": true, "hget": true, "hmget": true, "hgetall": true, "hexists": true, "hlen": true,
	"hkeys": true, "hvals": true, "exists": true, "type": true, "ttl": true, "pttl": true, "scan": true, "sscan": true,
	"hscan": true, "zrange": true, "zrangebyscore": true, "zrevrange": true, "zrevrangebyscore": true, "zscore": true,
	"zcard": true, "zcount": true, "zrank": true, "zrevrank": true, "lrange": true, "lindex": true, "llen": true,
	"smembers": true, "sismember": true, "scard": true, "xrange": true, "xrevrange": true, "xlen": true, "ping": true,
	"info": true, "hello": true, "client": true, "select": true, "auth": true, "watch": true, "unwatch": true,
	"multi": true, "exec": true, "discard": true, "script": true, "keys": true, "strlen": true, "time": true,
	"dbsize": true, "eval_ro": true, "evalsha_ro": true,
}

// readScripts are the SHA-1s of the scripts that only read (dirScript
// writes only to give a store without a directory version its first one,
// which is derived data).
var readScripts = map[string]bool{dirScript.Hash(): true, rangeScript.Hash(): true}

// writes reports whether cmd may change data.
func writes(cmd redis.Cmder) bool {
	name := cmd.Name()
	if args := cmd.Args(); (name == "evalsha" || name == "eval") && len(args) > 1 {
		s, _ := args[1].(string)
		if name == "eval" {
			sum := sha1.Sum([]byte(s))
			s = hex.EncodeToString(sum[:])
		}
		return !readScripts[s]
	}
	return !readOnly[name]
}

// dirState returns the directory's version (0 when it has none) and the
// members of its log.
func (db *DB) dirState(ctx context.Context) (int64, []string, error) {
	pipe := db.rdb.Pipeline()
	v := pipe.Get(ctx, db.k.dirVersion())
	log := pipe.ZRange(ctx, db.k.dirLog(), 0, -1)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, nil, wrap("directory state", err)
	}
	n, _ := v.Int64()
	return n, log.Val(), nil
}
