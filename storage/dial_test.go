package storage

import (
	"context"
	"crypto/x509"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
	"zsbot/storage/redistest"
)

func TestDialParse(t *testing.T) {
	pool := x509.NewCertPool()
	opts := DialOptions{SentinelUsername: "sen", SentinelPassword: "tinel", RootCAs: pool}
	t.Run("Standalone", func(t *testing.T) {
		tg := mustParse(t, opts, "redis://zs:p%40ss@10.0.0.5:6390/2?dial_timeout=2s")
		o := tg.simple
		if o == nil || o.Addr != "10.0.0.5:6390" || o.DB != 2 || o.Username != "zs" || o.Password != "p@ss" ||
			o.DialTimeout != 2*time.Second || o.TLSConfig != nil {
			t.Fatalf("got %+v", o)
		}
		if o := mustParse(t, opts, "redis://h").simple; o.Addr != "h:6379" {
			t.Fatalf("default port: %s", o.Addr)
		}
	})
	t.Run("StandaloneTLS", func(t *testing.T) {
		c := mustParse(t, opts, "rediss://:pw@redis.example:6380/0").simple.TLSConfig
		if c == nil || c.RootCAs != pool || c.ServerName != "" {
			t.Fatalf("TLS config %+v", c)
		}
	})
	t.Run("Sentinel", func(t *testing.T) {
		o := mustParse(t, opts, "redis-sentinel://zs:pw@s1:26380,s2,[::1]:26381/3?master=mymaster&pool_size=7").failover
		want := []string{"s1:26380", "s2:26379", "[::1]:26381"}
		if o == nil || !reflect.DeepEqual(o.SentinelAddrs, want) || o.MasterName != "mymaster" || o.DB != 3 ||
			o.Username != "zs" || o.Password != "pw" || o.SentinelUsername != "sen" || o.SentinelPassword != "tinel" ||
			o.PoolSize != 7 || o.TLSConfig != nil {
			t.Fatalf("got %+v", o)
		}
	})
	t.Run("SentinelMasterFromOptions", func(t *testing.T) {
		o := mustParse(t, DialOptions{MasterName: "m2"}, "rediss-sentinel://s1:26379").failover
		if o.MasterName != "m2" || o.TLSConfig == nil || o.SentinelPassword != "" {
			t.Fatalf("got %+v", o)
		}
		mustParse(t, DialOptions{MasterName: "m2"}, "redis-sentinel://s1?master=m2") // agreeing is fine
	})
	t.Run("Cluster", func(t *testing.T) {
		o := mustParse(t, opts, "redis-cluster://zs:pw@a:7000,b:7001,c/0?read_timeout=1s").cluster
		if o == nil || !reflect.DeepEqual(o.Addrs, []string{"a:7000", "b:7001", "c:6379"}) ||
			o.Username != "zs" || o.Password != "pw" || o.ReadTimeout != time.Second || o.TLSConfig != nil {
			t.Fatalf("got %+v", o)
		}
		if c := mustParse(t, opts, "rediss-cluster://a:7000,b:7001").cluster.TLSConfig; c == nil || c.ServerName != "" {
			t.Fatalf("TLS config %+v", c)
		}
	})
	t.Run("Unix", func(t *testing.T) {
		o := mustParse(t, opts, "unix://zs:p%40ss@/run/redis/redis.sock?db=3&read_timeout=1s").simple
		if o == nil || o.Network != "unix" || o.Addr != "/run/redis/redis.sock" || o.DB != 3 ||
			o.Username != "zs" || o.Password != "p@ss" || o.ReadTimeout != time.Second || o.TLSConfig != nil {
			t.Fatalf("got %+v", o)
		}
	})
	bad := []struct{ url, want string }{
		{"unix://u:s3cret@host/run/redis.sock", "absolute path"},
		{"unix://u:s3cret@", "absolute path"},
		{"unix://u:s3cret@/run/redis.sock?db=x", "database"},
		{"127.0.0.1:6379", "not a URL"},
		{"http://u:s3cret@h:80", "scheme"},
		{"redis://u:s3cret@a:1,b:2", "one host"},
		{"redis://u:s3cret@h:notaport", "bad host"},
		{"redis-cluster://u:s3cret@a:7000,b:99999999", "bad host"},
		{"redis-cluster://u:s3cret@", "no host"},
		{"redis-cluster://u:s3cret@a:7000/3", "database 0"},
		{"redis-cluster://u:s3cret@a:7000?addr=b:7001", "addr"},
		{"redis-sentinel://u:s3cret@s1:26379/0", "master"},
		{"redis-sentinel://u:s3cret@s1?master=a&master_name=b", "master_name"},
		{"redis://u:s3cret@h:1?master=m", "redis-sentinel"},
		{"redis://u:s3cret@h:1?pool_sizee=3", "pool_sizee"},
		{"redis://u:s3cret@h:1/x", "database"},
		{"redis://u:s3cret@h:1/%zz", "escape"},
	}
	for _, c := range bad {
		err := opts.Check(c.url)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Check(%q) = %v, want an error about %q", c.url, err, c.want)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Check(%q) = %v: the error shows the password", c.url, err)
		}
	}
	if err := (DialOptions{MasterName: "b"}).Check("redis-sentinel://s1?master=a"); err == nil {
		t.Error("disagreeing master names accepted")
	}
}

func mustParse(t *testing.T, o DialOptions, url string) *target {
	t.Helper()
	tg, err := o.parse(url)
	if err != nil {
		t.Fatalf("parse %q: %v", url, err)
	}
	return tg
}

func TestDialTLS(t *testing.T) {
	ctx := context.Background()
	s := redistest.StartTLS(t)
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CA) {
		t.Fatal("bad CA")
	}
	rdb, err := DialOptions{RootCAs: pool}.Dial("rediss://" + s.TLSAddr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	db := New(rdb, "test")
	if _, err := db.NextID(ctx, zsbot.KindProject); err != nil {
		t.Fatalf("write over TLS: %v", err)
	}
	if n, err := s.Client(t).Get(ctx, db.k.seq(zsbot.KindProject)).Int(); err != nil || n != 1 {
		t.Fatalf("the write did not reach the server: %d, %v", n, err)
	}
	t.Run("UnknownCA", func(t *testing.T) {
		o := mustParse(t, DialOptions{}, "rediss://"+s.TLSAddr+"/0?max_retries=-1").simple
		o.DialerRetries = 1 // a URL cannot say so; five attempts take seconds
		rdb := redis.NewClient(o)
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Fatalf("ping with the system's roots: %v, want a certificate error", err)
		}
	})
}
