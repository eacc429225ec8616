package storage

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// TokenCache keeps WeCom access tokens in Redis, shared by every instance:
// the token store of the sender's wecomapi.Client. It implements the
// cache.Cache interface of github.com/silenceper/wechat/v2 (Get, Set,
// IsExist, Delete) on go-redis v9, whose own Redis cache is built on
// go-redis v8. That interface carries neither contexts nor errors on reads:
// a Redis failure reads as a miss (the caller then fetches a fresh token)
// and is reported through OnError.
type TokenCache struct {
	db      *DB
	timeout time.Duration
	OnError func(op string, err error) // called on a Redis failure; may be nil

	mu   sync.Mutex
	seen map[string]bool // names read or written, for Forget
}

// TokenCache returns the bureau's access-token cache. Each call to Redis is
// bounded by timeout.
func (db *DB) TokenCache(timeout time.Duration) *TokenCache {
	if timeout <= 0 {
		timeout = 3 * time.Second
	}
	return &TokenCache{db: db, timeout: timeout, seen: map[string]bool{}}
}

// Get returns the cached value of name as a string, or nil when there is
// none or Redis cannot be read.
func (c *TokenCache) Get(name string) any {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	c.note(name)
	v, err := c.db.rdb.Get(ctx, c.db.k.token(name)).Result()
	if err != nil {
		if !errors.Is(err, redis.Nil) {
			c.fail("get", err)
		}
		return nil
	}
	return v
}

// Set stores val (a string) under name for timeout; a timeout of zero or
// less stores it for a minute, so that a token never outlives WeCom's
// expiry by much.
func (c *TokenCache) Set(name string, val any, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if timeout <= 0 {
		timeout = time.Minute
	}
	c.note(name)
	if err := c.db.rdb.Set(ctx, c.db.k.token(name), fmt.Sprint(val), timeout).Err(); err != nil {
		c.fail("set", err)
		return wrap("token set", err)
	}
	return nil
}

// IsExist reports whether name is cached.
func (c *TokenCache) IsExist(name string) bool {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	n, err := c.db.rdb.Exists(ctx, c.db.k.token(name)).Result()
	if err != nil {
		c.fail("exists", err)
	}
	return n > 0
}

// Delete removes name from the cache.
func (c *TokenCache) Delete(name string) error {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	if err := c.db.rdb.Del(ctx, c.db.k.token(name)).Err(); err != nil {
		c.fail("delete", err)
		return wrap("token delete", err)
	}
	return nil
}

// Forget deletes every name this cache has read or written: the tokens
// WeCom has just declared invalid (errcodes 40014, 42001).
func (c *TokenCache) Forget() error {
	c.mu.Lock()
	names := make([]string, 0, len(c.seen))
	for n := range c.seen {
		names = append(names, n)
	}
	c.mu.Unlock()
	for _, n := range names {
		if err := c.Delete(n); err != nil {
			return err
		}
	}
	return nil
}

func (c *TokenCache) note(name string) {
	c.mu.Lock()
	c.seen[name] = true
	c.mu.Unlock()
}

func (c *TokenCache) fail(op string, err error) {
	if c.OnError != nil {
		c.OnError(op, err)
	}
}
