package redistest

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sentinel is a replicated Redis watched by one sentinel: a master, one
// replica and a sentinel with quorum 1 that declares the master down after
// one second without an answer and may retry a failover after three.
type Sentinel struct {
	Name     string  // the monitored master's name
	Addr     string  // the sentinel's host:port
	Master   *Server // the master at start; after a failover, the old one
	Replica  *Server // the replica at start
	sentinel *Server
	client   *redis.SentinelClient
}

// StartSentinel starts the master, the replica (--replicaof, synchronised
// before the sentinel starts) and the sentinel (redis-server sentinel.conf
// --sentinel) on free ports, and waits until the sentinel knows the replica,
// so that a failover can promote it. Everything stops when the test ends.
// Lines of conf are added to sentinel.conf (for example "requirepass pw").
func StartSentinel(tb testing.TB, conf ...string) *Sentinel {
	tb.Helper()
	s := &Sentinel{Name: "m"}
	// A master normally waits 5 s for more replicas before a diskless sync.
	s.Master = Start(tb, "--repl-diskless-sync-delay", "0")
	s.Replica = StartReplica(tb, s.Master)
	host, port, _ := net.SplitHostPort(s.Master.Addr)

	sport, err := FreePort()
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	dir := tb.TempDir()
	file := filepath.Join(dir, "sentinel.conf") // the sentinel rewrites it: it must be its own
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\nprotected-mode no\nlogfile redis.log\n"+
		"sentinel monitor %s %s %s 1\n"+
		"sentinel down-after-milliseconds %[2]s 1000\n"+
		"sentinel failover-timeout %[2]s 3000\n", sport, s.Name, host, port) + strings.Join(conf, "\n") + "\n"
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	if s.sentinel, err = launch(dir, sport, []string{file, "--sentinel", "--dir", dir}); err != nil {
		tb.Fatalf("redistest: sentinel: %v", err)
	}
	tb.Cleanup(s.sentinel.Stop)
	s.Addr = s.sentinel.Addr
	opt := &redis.Options{Addr: s.Addr}
	for _, line := range conf {
		if pw, ok := strings.CutPrefix(line, "requirepass "); ok {
			opt.Password = pw
		}
	}
	s.client = redis.NewSentinelClient(opt)
	tb.Cleanup(func() { s.client.Close() })
	waitFor(tb, 10*time.Second, "replica known to the sentinel", func(ctx context.Context) (bool, error) {
		rs, err := s.client.Replicas(ctx, s.Name).Result()
		for _, r := range rs {
			if r["name"] == s.Replica.Addr && r["flags"] == "slave" && r["master-link-status"] == "ok" {
				return true, err
			}
		}
		return false, err
	})
	return s
}

// StartReplica starts a replica of master (--replicaof) and waits until
// its replication link is up. Start the master with
// "--repl-diskless-sync-delay", "0", or the first sync waits five seconds.
func StartReplica(tb testing.TB, master *Server) *Server {
	tb.Helper()
	host, port, _ := net.SplitHostPort(master.Addr)
	r := Start(tb, "--replicaof", host, port)
	rc := r.Client(tb)
	waitFor(tb, 10*time.Second, "replication link to "+master.Addr, func(ctx context.Context) (bool, error) {
		info, err := rc.Info(ctx, "replication").Result()
		return strings.Contains(info, "master_link_status:up"), err
	})
	return r
}

// URL returns zsbot's redis-sentinel:// URL of the deployment.
func (s *Sentinel) URL() string { return "redis-sentinel://" + s.Addr + "/0?master=" + s.Name }

// MasterAddr asks the sentinel for the current master's address.
func (s *Sentinel) MasterAddr(ctx context.Context) (string, error) {
	hp, err := s.client.GetMasterAddrByName(ctx, s.Name).Result()
	if err != nil || len(hp) != 2 {
		return "", fmt.Errorf("sentinel get-master-addr-by-name: %v", err)
	}
	return hp[0] + ":" + hp[1], nil
}

// KillMaster kills the master with SIGKILL, as a crash would.
func (s *Sentinel) KillMaster() { s.Master.Kill() }

// WaitFailover waits until the sentinel names a master other than addr and
// returns the new master's address; it fails the test after limit.
func (s *Sentinel) WaitFailover(tb testing.TB, addr string, limit time.Duration) string {
	tb.Helper()
	var now string
	waitFor(tb, limit, "failover away from "+addr, func(ctx context.Context) (bool, error) {
		a, err := s.MasterAddr(ctx)
		now = a
		return err == nil && a != addr, err
	})
	return now
}
