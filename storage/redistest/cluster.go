package redistest

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// Cluster is a running Redis Cluster of masters only, on loopback.
type Cluster struct {
	Seeds []string  // every node's host:port
	Nodes []*Server // in the order of Seeds
}

// StartCluster starts masters (at least 3) cluster-enabled redis-servers on
// free ports, each in its own directory with its own free bus port, joins
// them with redis-cli --cluster create, and waits until every node reports
// cluster_state:ok. Everything stops when the test ends. It takes about two
// seconds: a master serves no slot until two seconds after it started.
func StartCluster(tb testing.TB, masters int) *Cluster {
	tb.Helper()
	c, err := NewCluster(masters)
	if err != nil {
		tb.Fatalf("redistest: %v", err)
	}
	tb.Cleanup(c.Stop)
	return c
}

// NewCluster is StartCluster for code without a test, such as TestMain:
// the caller must Stop the cluster.
func NewCluster(masters int) (*Cluster, error) {
	if masters < 3 {
		return nil, fmt.Errorf("a Redis Cluster needs at least 3 masters, not %d", masters)
	}
	cli, err := binary("redis-cli")
	if err != nil {
		return nil, err
	}
	c := &Cluster{}
	for range masters {
		// The bus port is chosen too: port+10000 may be taken or too large.
		bus, err := FreePort()
		if err != nil {
			c.Stop()
			return nil, err
		}
		s, err := NewServer("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
			"--cluster-port", strconv.Itoa(bus), "--cluster-node-timeout", "2000")
		if err != nil {
			c.Stop()
			return nil, err
		}
		c.Nodes = append(c.Nodes, s)
		c.Seeds = append(c.Seeds, s.Addr)
	}
	if err := c.create(cli); err != nil {
		c.Stop()
		return nil, err
	}
	return c, nil
}

// create assigns the slots and waits until every node agrees.
func (c *Cluster) create(cli string) error {
	args := append([]string{"--cluster", "create"}, c.Seeds...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput(); err != nil {
		return fmt.Errorf("redis-cli --cluster create: %v\n%s", err, out)
	}
	for _, s := range c.Nodes {
		rc := redis.NewClient(&redis.Options{Addr: s.Addr})
		err := poll(20*time.Second, func(ctx context.Context) (bool, error) {
			info, err := rc.ClusterInfo(ctx).Result()
			return strings.Contains(info, "cluster_state:ok"), err
		})
		rc.Close()
		if err != nil {
			return fmt.Errorf("no cluster_state:ok on %s within 20s: %v", s.Addr, err)
		}
	}
	return nil
}

// Client returns a new Cluster client seeded with every node, closed at
// the end of the test.
func (c *Cluster) Client(tb testing.TB) *redis.ClusterClient {
	tb.Helper()
	cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: c.Seeds})
	tb.Cleanup(func() { cc.Close() })
	return cc
}

// URL returns zsbot's redis-cluster:// URL of the cluster.
func (c *Cluster) URL() string { return "redis-cluster://" + strings.Join(c.Seeds, ",") }

// Flush empties every node (FLUSHALL), so that one cluster can serve
// several tests in turn.
func (c *Cluster) Flush(ctx context.Context) error {
	for _, s := range c.Nodes {
		rc := redis.NewClient(&redis.Options{Addr: s.Addr})
		err := rc.FlushAll(ctx).Err()
		rc.Close()
		if err != nil {
			return fmt.Errorf("flush %s: %w", s.Addr, err)
		}
	}
	return nil
}

// Kill crashes every node (SIGKILL).
func (c *Cluster) Kill() {
	for _, s := range c.Nodes {
		s.Kill()
	}
}

// Stop shuts every node down; it is safe to call twice.
func (c *Cluster) Stop() {
	for _, s := range c.Nodes {
		s.Stop()
	}
}
