package storage

import (
	"context"
	"embed"
	"strings"

	"github.com/redis/go-redis/v9"
)

// The store's Lua scripts, one file each in lua/, which documents its KEYS,
// ARGV and reply. A script that calls the directory's functions
// (dir_migrate, dir_read) or the session reader (session_read) is loaded
// after its library, lua/dir.lua or lua/session.lua, each written once.
var (
	applyScript       = newScript("apply.lua", dirLib)             // one command's change (apply.go)
	beginScript       = newScript("begin.lua", dirLib, sessionLib) // a delivery's claim and first reads (unit.go)
	sessionScript     = newScript("sessionread.lua", sessionLib)   // a sender's session alone (session.go)
	dirScript         = newScript("dirread.lua", dirLib)           // the directory's changes (unit.go)
	rangeScript       = newScript("range.lua")                     // the records of an index's range (read.go)
	saveItemScript    = newScript("outboxsave.lua")                // an outbox item, while queued (outbox.go)
	buryScript        = newScript("outboxbury.lua")                // an item moved to the dead letters (deadletter.go)
	lockScript        = newScript("outboxlock.lua")                // the outbox worker's lock (outbox.go)
	unlockScript      = newScript("outboxunlock.lua")              // … given up (outbox.go)
	rateScript        = newScript("rate.lua")                      // a send within WeCom's rolling rate limits (outbox.go)
	refreshScript     = newScript("liverefresh.lua")               // an instance's liveness (liveness.go)
	closeScript       = newScript("liveclose.lua")                 // … ended (liveness.go)
	auditSwapScript   = newScript("auditswap.lua")                 // the rebuilt audit stream (secrets.go)
	auditTrimScript   = newScript("audittrim.lua")                 // archived IDs off the lists (archive.go)
	restoreSwapScript = newScript("restore_swap.lua")              // a restore's keys swapped in (restore.go)
	indexAddScript    = newScript("indexadd.lua")                  // records' index entries built (listindex.go)
	seqRaiseScript    = newScript("seqraise.lua")                  // an ID counter raised past loaded IDs (bulk.go)
)

// The libraries: the directory's functions (directory.go) and the one
// session reader (session.go).
const (
	dirLib     = "dir.lua"
	sessionLib = "session.lua"
)

//go:embed lua/*.lua
var luaFiles embed.FS

// scripts are the scripts newScript made, in order (for the tests).
var scripts []*luaScript

// luaScript is a script of lua/: its files, libraries first, concatenated.
// Its Run decodes the failures the script signals (scriptError).
type luaScript struct {
	*redis.Script
	files []string
}

// newScript makes the script of lua/file, loaded after the libraries libs.
// A file that is not there is a fault of the build: it panics at start.
func newScript(file string, libs ...string) *luaScript {
	var b strings.Builder
	files := append(append([]string(nil), libs...), file)
	for _, f := range files {
		src, err := luaFiles.ReadFile("lua/" + f)
		if err != nil {
			panic("storage: script " + f + ": " + err.Error())
		}
		b.Write(src)
	}
	s := &luaScript{Script: redis.NewScript(b.String()), files: files}
	scripts = append(scripts, s)
	return s
}

// Run runs the script (EVALSHA, then EVAL if Redis lacks it). A failure
// the script signals is returned as a *scriptError.
func (s *luaScript) Run(ctx context.Context, c redis.Scripter, keys []string, args ...any) *redis.Cmd {
	cmd := s.Script.Run(ctx, c, keys, args...)
	if se := asScriptError(cmd.Err()); se != nil {
		cmd.SetErr(se)
	}
	return cmd
}
