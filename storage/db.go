// Package storage keeps the bureau's record in Redis: records as JSON in one
// hash per kind, date indexes in sorted sets, the audit trail in a stream,
// and the transport's once-only records, outbox and caches. Every key of one
// bureau carries the hash tag {bureau}, so the same code runs on a
// standalone server, Sentinel or Cluster through redis.UniversalClient.
package storage

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// DB is one bureau's store on a Redis client. It implements zsbot.Store.
type DB struct {
	rdb    redis.UniversalClient
	k      keys
	bureau string
	dir    atomic.Pointer[directory] // this process's copy (directory.go)
	dirMu  sync.Mutex                // one merge at a time
	// listsBuilt is set once the indexes of lists are seen built
	// (listindex.go); Restore clears it.
	listsBuilt atomic.Bool
}

var _ zsbot.Store = (*DB)(nil)

// New returns the store of bureau on rdb.
func New(rdb redis.UniversalClient, bureau string) *DB {
	if bureau == "" {
		bureau = "default"
	}
	return &DB{rdb: rdb, k: newKeys(bureau), bureau: bureau}
}

// Client returns the underlying Redis client.
func (db *DB) Client() redis.UniversalClient { return db.rdb }

// Bureau returns the bureau's name.
func (db *DB) Bureau() string { return db.bureau }

// Ping checks that Redis answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.rdb.Ping(ctx).Err(); err != nil {
		return wrap("ping", err)
	}
	return nil
}

// ProbeWrite writes a tiny key that expires in ten seconds, to learn
// whether Redis accepts writes now: it returns an error with code EWRITE
// (RefusalCause names why) while Redis refuses them, EUNAVAILABLE when it
// cannot be reached.
func (db *DB) ProbeWrite(ctx context.Context) error {
	if err := db.rdb.Set(ctx, db.k.probe(), "1", 10*time.Second).Err(); err != nil {
		return wrap("probe write", err)
	}
	return nil
}

// NextID allocates the next ID of kind: "P13".
func (db *DB) NextID(ctx context.Context, kind zsbot.Kind) (string, error) {
	n, err := db.rdb.Incr(ctx, db.k.seq(kind)).Result()
	if err != nil {
		return "", wrap("next id", err)
	}
	return kind.IDPrefix() + strconv.FormatInt(n, 10), nil
}

// wrap turns a Redis error into an error for operators; connection failures
// become EUNAVAILABLE so transports can ask for a retry, and refused writes
// EWRITE (classify).
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	if cause := classify(err); cause != "" {
		return fmt.Errorf("storage: %s: %w", op, &writeRefused{cause, err})
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, redis.ErrClosed) || errors.Is(err, redis.ErrPoolTimeout) || isLoading(err) {
		return fmt.Errorf("storage: %s: %w", op, &unavailable{err})
	}
	return fmt.Errorf("storage: %s: %w", op, err)
}

func isLoading(err error) bool {
	var re redis.Error
	if errors.As(err, &re) {
		msg := re.Error()
		return len(msg) >= 7 && (msg[:7] == "LOADING" || msg[:7] == "MASTERD" || msg[:7] == "TRYAGAI" || msg[:7] == "CLUSTER")
	}
	return false
}

// unavailable marks a failure to reach Redis; it unwraps to a zsbot.Error
// with code EUNAVAILABLE.
type unavailable struct{ err error }

func (u *unavailable) Error() string { return "redis unavailable: " + u.err.Error() }
func (u *unavailable) Unwrap() []error {
	return []error{u.err, zsbot.Errorf(zsbot.EUNAVAILABLE, "数据服务暂时不可用，请稍后重发。")}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
