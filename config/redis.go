package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// RedisVars are the companion variables of ZSBOT_REDIS_URL: what a URL
// cannot say. Each is refused when the URL's topology has no use for it.
var RedisVars = []string{
	"ZSBOT_REDIS_MASTER",            // Sentinel: the master's name, if the URL has no ?master=
	"ZSBOT_REDIS_SENTINEL_USERNAME", // Sentinel: the sentinels' own ACL user
	"ZSBOT_REDIS_SENTINEL_PASSWORD", // Sentinel: the sentinels' own password
	"ZSBOT_REDIS_TLS_CA",            // rediss*: a PEM file of the CAs to trust instead of the system's
	"ZSBOT_REDIS_WAIT_REPLICAS",     // replicas each write waits for (WAIT); 0 = off
	"ZSBOT_REDIS_WAIT_TIMEOUT",      // how long it waits at most; default 100ms
}

// Redis is what ZSBOT_REDIS_URL's companion variables say, as plain values;
// cmd/zsbot turns them into storage.DialOptions, which check the URL.
type Redis struct {
	MasterName       string        // ZSBOT_REDIS_MASTER
	SentinelUsername string        // ZSBOT_REDIS_SENTINEL_USERNAME
	SentinelPassword string        // ZSBOT_REDIS_SENTINEL_PASSWORD
	TLSCAFile        string        // ZSBOT_REDIS_TLS_CA: a PEM file; "" = the system's roots
	WaitReplicas     int           // ZSBOT_REDIS_WAIT_REPLICAS; 0 = do not wait
	WaitTimeout      time.Duration // ZSBOT_REDIS_WAIT_TIMEOUT
}

// loadRedis reads ZSBOT_REDIS_URL's companions into c.Redis, refusing one
// that the URL's topology has no use for.
func (c *Config) loadRedis(get func(name, def string) string) error {
	raw := c.RedisURL
	scheme, _, _ := strings.Cut(raw, "://")
	scheme = strings.ToLower(scheme)
	needs := map[string]func() bool{
		"ZSBOT_REDIS_MASTER":            func() bool { return strings.HasSuffix(scheme, "-sentinel") },
		"ZSBOT_REDIS_SENTINEL_USERNAME": func() bool { return strings.HasSuffix(scheme, "-sentinel") },
		"ZSBOT_REDIS_SENTINEL_PASSWORD": func() bool { return strings.HasSuffix(scheme, "-sentinel") },
		"ZSBOT_REDIS_TLS_CA":            func() bool { return strings.HasPrefix(scheme, "rediss") },
	}
	for _, name := range RedisVars {
		if get(name, "") == "" {
			continue
		}
		if raw == "" {
			return fmt.Errorf("%s: set, but ZSBOT_REDIS_URL is empty (the embedded store takes no Redis settings)", name)
		}
		if fits, ok := needs[name]; ok && !fits() {
			return fmt.Errorf("%s: set, but ZSBOT_REDIS_URL is a %s:// URL, which does not use it", name, scheme)
		}
	}
	if raw == "" {
		return nil
	}
	o := &c.Redis
	o.MasterName = get("ZSBOT_REDIS_MASTER", "")
	o.SentinelUsername = get("ZSBOT_REDIS_SENTINEL_USERNAME", "")
	o.SentinelPassword = get("ZSBOT_REDIS_SENTINEL_PASSWORD", "")
	o.TLSCAFile = get("ZSBOT_REDIS_TLS_CA", "")
	n, err := strconv.Atoi(get("ZSBOT_REDIS_WAIT_REPLICAS", "0"))
	if err != nil || n < 0 {
		return fmt.Errorf("ZSBOT_REDIS_WAIT_REPLICAS: %q is not a number of replicas (0 = do not wait)", get("ZSBOT_REDIS_WAIT_REPLICAS", ""))
	}
	o.WaitReplicas = n
	if o.WaitTimeout, err = time.ParseDuration(get("ZSBOT_REDIS_WAIT_TIMEOUT", "100ms")); err != nil || o.WaitTimeout <= 0 {
		return fmt.Errorf("ZSBOT_REDIS_WAIT_TIMEOUT: %q is not a positive duration such as 100ms", get("ZSBOT_REDIS_WAIT_TIMEOUT", ""))
	}
	return nil
}

// Redact returns a Redis URL with its password, if any, replaced by
// "xxxxx", for logs and messages. It works where url.URL.Redacted cannot:
// on lists of hosts.
func Redact(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return "(not a URL)"
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return raw
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return raw
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

// checkBureau accepts a tenant name made of letters (any script), digits,
// '-', '_' and '.'. The name is part of every Redis key, inside the hash
// tag {…} and in the SCAN pattern of backups, so braces, colons, spaces and
// the glob characters * ? [ ] \ could mix two bureaus' keys.
func checkBureau(b string) error {
	if b == "" || len(b) > 64 {
		return fmt.Errorf("%q must be 1 to 64 bytes long", b)
	}
	for _, r := range b {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune("-_.", r) {
			return fmt.Errorf("%q may contain only letters, digits, '-', '_' and '.', not %q", b, r)
		}
	}
	return nil
}
