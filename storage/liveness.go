package storage

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// An Instance is one serving process as the store knows it, so that a
// command it claimed and did not finish is not lost when it dies.
//
// The process runs under a name (by default its host and listening
// address: a process restarted in place keeps it) and, each time it
// registers, as a new incarnation: the hash live:<name> holds the
// incarnation now running under the name (field inc) and expires unless
// refreshed (TTL, refreshed every TTL/3 by Run). A Unit begun with an
// Instance names both in its pending claim. A retry of the delivery takes
// the claim over and runs the command (Begin, in the claim's own script)
// when the claim's incarnation is no longer the live one:
//
//   - the process was restarted: the new one registered under the same
//     name, and its predecessor's claims are free at once;
//   - it was stopped cleanly (Close deletes the entry) — though it finishes
//     its commands first;
//   - it died and nothing came back under its name: its entry expires
//     within the TTL.
//
// A process that is alive but slow keeps its entry, and its claims.
// A process that could not refresh its entry for the TTL (cut off from
// Redis, or stalled) may see its claims taken over; it can then write
// nothing more for them: every write of a Unit — the commit, a change
// written before it — checks in its own script that the Unit's
// incarnation is still the live one, and fails otherwise (ErrInstanceLapsed).
// Run notices the lapse and registers a new incarnation for later claims.
// So a command never runs twice, whatever the clocks and the network do
// (short of a Redis failover that loses acknowledged writes); the TTL
// only bounds how long a dead process's claims wait.
type Instance struct {
	db   *DB
	name atomic.Pointer[string]
	ttl  time.Duration
	cur  atomic.Pointer[incarnation]
}

// incarnation is one registration of an Instance.
type incarnation struct {
	name   string
	key    string // live:<name>
	inc    string // random
	suffix string // the end of a pending record naming it: `","inst":"…","inc":"…"}`
}

// DefaultLiveTTL is the lifetime of an Instance's liveness entry without a
// refresh: a process that died without a successor under its name gives
// up its claims within it.
const DefaultLiveTTL = 15 * time.Second

// ErrInstanceLapsed is the error of a Unit's write when its incarnation is
// no longer the live one, so that a retry may have taken its claim over:
// nothing was written. Its code is EUNAVAILABLE: WeCom should retry.
var ErrInstanceLapsed = errors.New("storage: the instance's liveness lapsed; its claims may have been taken over")

// instanceLapsed is ErrInstanceLapsed for callers, with its code.
type instanceLapsed struct{ name string }

func (e *instanceLapsed) Error() string { return ErrInstanceLapsed.Error() + " (" + e.name + ")" }
func (e *instanceLapsed) Unwrap() []error {
	return []error{ErrInstanceLapsed, zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用，请稍后重发。")}
}

// Instance returns the Instance of the process running as name (see
// InstanceName), with a liveness entry of ttl (DefaultLiveTTL when 0). It
// is not registered yet: Units begun with it name no instance, and are
// never taken over, until Register or Run succeeds.
func (db *DB) Instance(name string, ttl time.Duration) *Instance {
	if ttl <= 0 {
		ttl = DefaultLiveTTL
	}
	in := &Instance{db: db, ttl: ttl}
	in.name.Store(&name)
	return in
}

// InstanceName is the default name of a process serving on addr: the
// host's name and the address, which a process restarted in place keeps.
func InstanceName(addr string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "zsbot"
	}
	return host + "/" + addr
}

// Name returns the name the instance runs as.
func (in *Instance) Name() string { return *in.name.Load() }

// TTL returns the lifetime of its liveness entry.
func (in *Instance) TTL() time.Duration { return in.ttl }

// current returns the live incarnation, nil before Register and after
// Close (and for a nil Instance).
func (in *Instance) current() *incarnation {
	if in == nil {
		return nil
	}
	return in.cur.Load()
}

// Register makes a new incarnation the one running under the instance's
// name, in place of any other: claims of a predecessor under the name are
// free to be taken over at once, and its writes fail.
func (in *Instance) Register(ctx context.Context) error {
	name := in.Name()
	inc := &incarnation{name: name, key: in.db.k.live(name), inc: rand.Text()}
	inc.suffix = `","inst":` + mustJSON(name) + `,"inc":"` + inc.inc + `"}`
	cmds, err := in.db.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, inc.key)
		p.HSet(ctx, inc.key, "inc", inc.inc, "pid", strconv.Itoa(os.Getpid()), "since", time.Now().UTC().Format(time.RFC3339))
		p.PExpire(ctx, inc.key, in.ttl)
		return nil
	})
	if err != nil {
		return wrap("register instance "+name, execErr(cmds, err))
	}
	in.cur.Store(inc)
	return nil
}

// Refresh keeps the incarnation live for another TTL. When it has lapsed —
// the entry expired, or another process registered under the name — it
// registers a new incarnation (under a name of its own in the second
// case) and says so: the claims of the old one may be taken over, and
// their writes fail. It registers when Register has not succeeded yet.
func (in *Instance) Refresh(ctx context.Context) (lapsed string, err error) {
	inc := in.cur.Load()
	if inc == nil {
		return "", in.Register(ctx)
	}
	res, err := refreshScript.Run(ctx, in.db.rdb, []string{inc.key}, inc.inc, in.ttl.Milliseconds()).Result()
	if err != nil {
		return "", wrap("refresh instance "+inc.name, err)
	}
	switch v := res.(type) {
	case int64:
		if v == 1 {
			return "", nil
		}
		lapsed = "its liveness entry expired"
	case string:
		// Another process runs under this name (the same host name and
		// address): both alive, so take a name of our own.
		name := inc.name + "~" + rand.Text()[:6]
		in.name.Store(&name)
		lapsed = fmt.Sprintf("another process registered as %s; this one continues as %s", inc.name, name)
	}
	return lapsed, in.Register(ctx)
}

// Run refreshes the instance every TTL/3 until ctx ends, logging a lapse
// and failures to reach Redis.
func (in *Instance) Run(ctx context.Context, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	every := max(in.ttl/3, time.Millisecond)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rctx, cancel := context.WithTimeout(ctx, every)
		lapsed, err := in.Refresh(rctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.Warn("storage: refresh the instance's liveness", "instance", in.Name(), "err", err)
		case lapsed != "":
			log.Warn("storage: the instance's liveness lapsed: commands it had claimed may be run by a retry, and it writes nothing more for them",
				"instance", in.Name(), "why", lapsed)
		}
	}
}

// Close ends the incarnation at a clean shutdown, once its commands have
// finished: later Units name no instance, and a claim left pending (a
// command still running) may be taken over at once — its writes fail.
func (in *Instance) Close(ctx context.Context) error {
	inc := in.cur.Swap(nil)
	if inc == nil {
		return nil
	}
	if err := closeScript.Run(ctx, in.db.rdb, []string{inc.key}, inc.inc).Err(); err != nil {
		return wrap("close instance "+inc.name, err)
	}
	return nil
}

// live reports whether inc is still the incarnation running under its
// name.
func (db *DB) live(ctx context.Context, inc *incarnation) (bool, error) {
	cur, err := db.rdb.HGet(ctx, inc.key, "inc").Result()
	if errors.Is(err, redis.Nil) {
		return false, nil
	} else if err != nil {
		return false, wrap("instance "+inc.name, err)
	}
	return cur == inc.inc, nil
}
