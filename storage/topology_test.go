package storage_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"zsbot/storage"
	"zsbot/storage/redistest"
)

// topology is one way of deploying Redis that the storage suite runs on.
type topology struct {
	name  string
	start func(tb testing.TB) deployment // a fresh, empty deployment
}

// deployment is a running Redis of some topology.
type deployment struct {
	url  string // ZSBOT_REDIS_URL
	kill func() // crash every server
}

// topologies lists the deployments every suite test runs against: one
// server, and a Cluster of three masters.
var topologies = []topology{
	{"standalone", func(tb testing.TB) deployment {
		s := redistest.Start(tb)
		return deployment{url: s.URL(), kill: s.Kill}
	}},
	{"cluster", func(tb testing.TB) deployment {
		c := borrowCluster(tb)
		return deployment{url: c.URL(), kill: func() { clusters.spoil(c) }}
	}},
}

// eachTopology runs test once per topology, as subtests named after it.
// The test and its variants run in parallel with other parallel tests;
// each variant has servers of its own.
func eachTopology(t *testing.T, test func(t *testing.T, top topology)) {
	t.Parallel()
	for _, top := range topologies {
		t.Run(top.name, func(t *testing.T) {
			t.Parallel()
			test(t, top)
		})
	}
}

// mustDB starts a fresh deployment and returns the store of bureau "test".
func (top topology) mustDB(tb testing.TB) *storage.DB { return top.start(tb).db(tb, "test") }

// mustDB returns the store of bureau "test" on a fresh standalone server,
// for tests whose subject does not depend on the topology.
func mustDB(tb testing.TB) *storage.DB { return topologies[0].mustDB(tb) }

// db dials the deployment as zsbot does, through storage.Dial and its URL,
// and returns the store of bureau; the client closes when the test ends.
func (d deployment) db(tb testing.TB, bureau string) *storage.DB {
	tb.Helper()
	rdb, err := storage.Dial(d.url)
	if err != nil {
		tb.Fatalf("dial %s: %v", d.url, err)
	}
	tb.Cleanup(func() { rdb.Close() })
	return storage.New(rdb, bureau)
}

// clusters lends 3-master Redis Clusters to tests. A Cluster takes two
// seconds to start (a master serves no slot before then), so the first
// loan starts a few at once, a test that is done gives its cluster back,
// and the next one gets it emptied; another starts only when none is free
// or starting. TestMain stops them all.
var clusters = clusterPool{warm: 3}

type clusterPool struct {
	warm int // clusters started together at the first loan

	mu       sync.Mutex
	changed  *sync.Cond // a cluster was freed or finished starting
	free     []*redistest.Cluster
	starting int
	started  bool
	all      []*redistest.Cluster
	spent    map[*redistest.Cluster]bool // killed: never lent again
	failure  error                       // of the last start
}

// borrowCluster returns an empty cluster for tb, given back when tb ends.
func borrowCluster(tb testing.TB) *redistest.Cluster {
	tb.Helper()
	p := &clusters
	p.mu.Lock()
	if p.changed == nil {
		p.changed = sync.NewCond(&p.mu)
	}
	if !p.started {
		p.started = true
		for range p.warm {
			p.startOne()
		}
	}
	for len(p.free) == 0 {
		if p.starting == 0 {
			if p.failure != nil {
				p.mu.Unlock()
				tb.Fatalf("start cluster: %v", p.failure)
			}
			p.startOne()
		}
		p.changed.Wait()
	}
	c := p.free[len(p.free)-1]
	p.free = p.free[:len(p.free)-1]
	p.mu.Unlock()
	if err := c.Flush(context.Background()); err != nil {
		tb.Fatalf("empty cluster: %v", err)
	}
	tb.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.spent[c] {
			p.free = append(p.free, c)
			p.changed.Broadcast()
		}
	})
	return c
}

// startOne starts a cluster in the background; p.mu is held.
func (p *clusterPool) startOne() {
	p.starting++
	go func() {
		c, err := redistest.NewCluster(3)
		p.mu.Lock()
		defer p.mu.Unlock()
		p.starting--
		if err != nil {
			p.failure = err
		} else {
			p.all = append(p.all, c)
			p.free = append(p.free, c)
		}
		p.changed.Broadcast()
	}()
}

// spoil crashes c; it is not lent again.
func (p *clusterPool) spoil(c *redistest.Cluster) {
	p.mu.Lock()
	if p.spent == nil {
		p.spent = map[*redistest.Cluster]bool{}
	}
	p.spent[c] = true
	p.mu.Unlock()
	c.Kill()
}

// TestMain stops the lent clusters after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	clusters.mu.Lock()
	for clusters.starting > 0 {
		clusters.changed.Wait()
	}
	for _, c := range clusters.all {
		c.Stop()
	}
	clusters.mu.Unlock()
	if len(clusters.all) > 0 && testing.Verbose() {
		fmt.Fprintf(os.Stderr, "storage tests started %d Redis Clusters\n", len(clusters.all))
	}
	os.Exit(code)
}
