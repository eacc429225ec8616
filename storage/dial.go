package storage

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// DialOptions are the connection settings that a Redis URL cannot carry.
// The zero value dials with none of them.
type DialOptions struct {
	// MasterName is the Sentinel master's name when the URL has no
	// ?master= (ZSBOT_REDIS_MASTER). Set in both places, they must agree.
	MasterName string
	// SentinelUsername and SentinelPassword authenticate to the sentinels
	// themselves (ZSBOT_REDIS_SENTINEL_USERNAME, _PASSWORD); the URL's
	// user and password are those of the master and replicas.
	SentinelUsername string
	SentinelPassword string
	// RootCAs verifies the servers of a rediss URL (ZSBOT_REDIS_TLS_CA);
	// nil means the system's roots.
	RootCAs *x509.CertPool
	// WaitReplicas, when above zero, makes every Lua script (every record
	// write, outbox update and lock) wait on the same connection, with
	// WAIT, until that many replicas hold it or WaitTimeout passes
	// (ZSBOT_REDIS_WAIT_REPLICAS, ZSBOT_REDIS_WAIT_TIMEOUT, default 100ms).
	WaitReplicas int
	WaitTimeout  time.Duration
	// OnWaitShort, if set, is told of each write that fewer than
	// WaitReplicas replicas acknowledged in time. The write stands on the
	// master; a failover before it replicates would lose it.
	OnWaitShort func(acked, want int)
}

// Dial returns a client for rawURL with no companion settings.
func Dial(rawURL string) (redis.UniversalClient, error) { return DialOptions{}.Dial(rawURL) }

// Dial returns one client for the deployment that rawURL names:
//
//	redis://[user:pass@]host:port[/db]                  one server
//	rediss://…                                          the same over TLS
//	redis-sentinel://[user:pass@]h1:26379,h2:26379[/db]?master=NAME
//	redis-cluster://[user:pass@]h1:7000,h2:7001,…       seeds of a Cluster
//	unix://[user:pass@]/run/redis/redis.sock[?db=N]      one server on this host, by its socket
//
// rediss-sentinel:// and rediss-cluster:// use TLS. A host without a port
// gets 26379 in a sentinel list and 6379 elsewhere. Other query
// parameters are go-redis's tuning options (dial_timeout=3s, pool_size=20,
// …). Dial does not connect; the first command does.
func (o DialOptions) Dial(rawURL string) (redis.UniversalClient, error) {
	t, err := o.parse(rawURL)
	if err != nil {
		return nil, err
	}
	var rdb redis.UniversalClient
	switch {
	case t.cluster != nil:
		cc := redis.NewClusterClient(t.cluster)
		if o.WaitReplicas > 0 {
			cc.OnNewNode(func(node *redis.Client) { node.AddHook(o.waitHook(node)) })
		}
		rdb = cc
	case t.failover != nil:
		rdb = o.hooked(redis.NewFailoverClient(t.failover))
	default:
		rdb = o.hooked(redis.NewClient(t.simple))
	}
	return rdb, nil
}

// Check reports whether rawURL can be dialled, without dialling it.
func (o DialOptions) Check(rawURL string) error {
	_, err := o.parse(rawURL)
	return err
}

// target holds the options of exactly one of the three topologies.
type target struct {
	simple   *redis.Options
	failover *redis.FailoverOptions
	cluster  *redis.ClusterOptions
}

// parse turns rawURL into go-redis options. It splits the host list itself
// (url.Parse rejects "[::1]:1,[::1]:2"), rewrites the URL into go-redis's
// own form (extra hosts as addr= parameters) and lets go-redis read the
// rest, so every tuning parameter go-redis documents works. Errors never
// quote the URL, which may hold a password.
func (o DialOptions) parse(rawURL string) (*target, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(rawURL), "://")
	if !ok {
		return nil, errors.New("not a URL (redis://host:port)")
	}
	if strings.EqualFold(scheme, "unix") {
		return parseUnix(rest)
	}
	sch, ok := schemes[strings.ToLower(scheme)]
	topology, useTLS := sch.topology, sch.tls
	if !ok {
		return nil, fmt.Errorf("scheme %q is none of redis, rediss, redis-sentinel, rediss-sentinel, redis-cluster, rediss-cluster, unix", scheme)
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	defPort := "6379"
	if topology == "sentinel" {
		defPort = "26379"
	}
	hosts, err := splitHosts(authority, defPort)
	if err != nil {
		return nil, err
	}
	if topology == "standalone" && len(hosts) > 1 {
		return nil, fmt.Errorf("%s:// takes one host; use redis-sentinel:// or redis-cluster:// for several", scheme)
	}
	base := "redis://"
	if useTLS {
		base = "rediss://"
	}
	u, err := url.Parse(base + userinfo + hosts[0] + tail)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the whole URL
		}
		return nil, err
	}
	q := u.Query()
	for _, p := range []string{"addr", "master_name"} {
		if q.Has(p) {
			return nil, fmt.Errorf("unknown parameter %q: put every host in the host list, the master's name in ?master=", p)
		}
	}
	master := q.Get("master")
	q.Del("master")
	if master != "" && topology != "sentinel" {
		return nil, errors.New("?master= belongs to redis-sentinel:// URLs")
	}
	for _, h := range hosts[1:] {
		q.Add("addr", h)
	}
	u.RawQuery = q.Encode()
	t := &target{}
	switch topology {
	case "cluster":
		if p := strings.Trim(u.Path, "/"); p != "" && p != "0" {
			return nil, fmt.Errorf("a Cluster has only database 0, not %q", p)
		}
		u.Path = ""
		if t.cluster, err = redis.ParseClusterURL(u.String()); err != nil {
			return nil, clean(err)
		}
		t.cluster.TLSConfig = o.tls(t.cluster.TLSConfig)
	case "sentinel":
		if master, err = o.masterName(master); err != nil {
			return nil, err
		}
		q.Set("master_name", master)
		u.RawQuery, u.User = q.Encode(), nil
		if t.failover, err = redis.ParseFailoverURL(u.String()); err != nil {
			return nil, clean(err)
		}
		if userinfo != "" {
			t.failover.Username, t.failover.Password = credentials(userinfo)
		}
		t.failover.SentinelUsername, t.failover.SentinelPassword = o.SentinelUsername, o.SentinelPassword
		t.failover.TLSConfig = o.tls(t.failover.TLSConfig)
	default:
		if t.simple, err = redis.ParseURL(u.String()); err != nil {
			return nil, clean(err)
		}
		t.simple.TLSConfig = o.tls(t.simple.TLSConfig)
	}
	return t, nil
}

// parseUnix reads the rest of a unix:// URL: a server on this host reached
// by its socket, which spares both processes the loopback TCP stack (on a
// shared host, the largest single cost of a round trip). The path must be
// absolute; ?db=N picks the database.
func parseUnix(rest string) (*target, error) {
	u, err := url.Parse("unix://" + rest)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	if u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return nil, errors.New("a unix:// URL names a socket by its absolute path: unix:///run/redis/redis.sock")
	}
	opt, err := redis.ParseURL(u.String())
	if err != nil {
		return nil, clean(err)
	}
	return &target{simple: opt}, nil
}

// schemes maps each URL scheme to its topology and whether it uses TLS.
var schemes = map[string]struct {
	topology string
	tls      bool
}{
	"redis": {"standalone", false}, "rediss": {"standalone", true},
	"redis-sentinel": {"sentinel", false}, "rediss-sentinel": {"sentinel", true},
	"redis-cluster": {"cluster", false}, "rediss-cluster": {"cluster", true},
}

// splitHosts splits a comma-separated host list, adding defPort where a
// host has none.
func splitHosts(list, defPort string) ([]string, error) {
	var out []string
	for _, h := range strings.Split(list, ",") {
		h = strings.TrimSpace(h)
		if h == "" {
			continue
		}
		host, port, err := net.SplitHostPort(h)
		if err != nil {
			host, port = strings.Trim(h, "[]"), defPort
		}
		if host == "" || strings.ContainsAny(host, "[]/ ") || !isPort(port) {
			return nil, fmt.Errorf("bad host %q (want host:port)", h)
		}
		out = append(out, net.JoinHostPort(host, port))
	}
	if len(out) == 0 {
		return nil, errors.New("no host")
	}
	return out, nil
}

func isPort(p string) bool {
	return p != "" && len(p) <= 5 && strings.Trim(p, "0123456789") == ""
}

// masterName reconciles the URL's ?master= with MasterName.
func (o DialOptions) masterName(fromURL string) (string, error) {
	switch {
	case fromURL == "" && o.MasterName == "":
		return "", errors.New("a sentinel URL needs the master's name: add ?master=NAME (or set ZSBOT_REDIS_MASTER)")
	case fromURL != "" && o.MasterName != "" && fromURL != o.MasterName:
		return "", fmt.Errorf("the URL names master %q but the master name is set to %q", fromURL, o.MasterName)
	case fromURL != "":
		return fromURL, nil
	}
	return o.MasterName, nil
}

// tls completes go-redis's TLS settings: each server is verified under the
// name it is dialled by (a list of hosts has no single name) against
// RootCAs. A nil c (no TLS) stays nil.
func (o DialOptions) tls(c *tls.Config) *tls.Config {
	if c == nil {
		return nil
	}
	c.ServerName = ""
	c.RootCAs = o.RootCAs
	c.MinVersion = tls.VersionTLS12
	return c
}

// credentials returns the user and password of "user:pass@", read as
// go-redis reads a URL's (":pass@" is a password without a user).
func credentials(userinfo string) (user, pass string) {
	u, err := url.Parse("redis://" + userinfo + "h")
	if err != nil || u.User == nil {
		return "", ""
	}
	pass, _ = u.User.Password()
	return u.User.Username(), pass
}

// clean strips go-redis's "redis: " prefix from a parse error.
func clean(err error) error {
	return errors.New(strings.TrimPrefix(err.Error(), "redis: "))
}
