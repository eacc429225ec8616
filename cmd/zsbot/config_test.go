package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"zsbot/config"
	"zsbot/storage"
)

// fakeEnv is a fake environment for loadConfig.
type fakeEnv map[string]string

// list is e as os.Environ returns an environment.
func (e fakeEnv) list() []string {
	var l []string
	for k, v := range e {
		l = append(l, k+"="+v)
	}
	return l
}

// TestLoadRedis checks the dial options built from config's plain values:
// the CA file read, every companion carried over, the URL accepted.
func TestLoadRedis(t *testing.T) {
	ca := writeCA(t)
	t.Run("Standalone", func(t *testing.T) {
		c, o := mustLoad(t, fakeEnv{"ZSBOT_REDIS_URL": "rediss://zs:pw@redis.internal:6380/0", "ZSBOT_REDIS_TLS_CA": ca})
		if o.RootCAs == nil || c.RedisURL != "rediss://zs:pw@redis.internal:6380/0" {
			t.Fatalf("got %+v", o)
		}
	})
	t.Run("Sentinel", func(t *testing.T) {
		_, o := mustLoad(t, fakeEnv{"ZSBOT_REDIS_URL": "redis-sentinel://s1,s2", "ZSBOT_REDIS_MASTER": "zsbot",
			"ZSBOT_REDIS_SENTINEL_USERNAME": "sen", "ZSBOT_REDIS_SENTINEL_PASSWORD": "tinel",
			"ZSBOT_REDIS_WAIT_REPLICAS": "2", "ZSBOT_REDIS_WAIT_TIMEOUT": "250ms"})
		want := storage.DialOptions{MasterName: "zsbot", SentinelUsername: "sen", SentinelPassword: "tinel",
			WaitReplicas: 2, WaitTimeout: 250 * time.Millisecond}
		if o.MasterName != want.MasterName || o.SentinelUsername != want.SentinelUsername || o.SentinelPassword != want.SentinelPassword ||
			o.WaitReplicas != want.WaitReplicas || o.WaitTimeout != want.WaitTimeout || o.RootCAs != nil {
			t.Fatalf("got %+v, want %+v", o, want)
		}
	})
	t.Run("Cluster", func(t *testing.T) {
		mustLoad(t, fakeEnv{"ZSBOT_REDIS_URL": "redis-cluster://zs:pw@10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000"})
		mustLoad(t, fakeEnv{"ZSBOT_REDIS_URL": "rediss-cluster://[fd00::1]:7000,[fd00::2]:7000", "ZSBOT_REDIS_TLS_CA": ca})
	})
	t.Run("Embedded", func(t *testing.T) {
		if _, o := mustLoad(t, fakeEnv{}); o.WaitReplicas != 0 || o.RootCAs != nil || o.MasterName != "" {
			t.Fatalf("got %+v", o)
		}
	})
}

// TestLoadRefuses checks what loadConfig adds to config.Load (whose own
// refusals config tests): the Redis URL and CA file (storage), the AES key
// (bot) and the schedules (jobs), each an error naming its variable and
// never showing a password.
func TestLoadRefuses(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	const sentinel = "redis-sentinel://u:s3cret@s1:26379/0?master=m"
	for _, c := range []struct {
		env  fakeEnv
		name string // the variable the error must begin with
	}{
		{fakeEnv{"ZSBOT_REDIS_URL": "http://u:s3cret@h:80"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": "redis://u:s3cret@a:1,b:2"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": "redis-sentinel://u:s3cret@s1:26379"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": "redis-cluster://u:s3cret@a:7000/3"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": "redis://u:s3cret@h:6379?pool_sise=3"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": sentinel, "ZSBOT_REDIS_MASTER": "other"}, "ZSBOT_REDIS_URL"},
		{fakeEnv{"ZSBOT_REDIS_URL": "rediss://u:s3cret@h:6379", "ZSBOT_REDIS_TLS_CA": notPEM}, "ZSBOT_REDIS_TLS_CA"},
		{fakeEnv{"ZSBOT_REDIS_URL": "rediss://u:s3cret@h:6379", "ZSBOT_REDIS_TLS_CA": notPEM + ".missing"}, "ZSBOT_REDIS_TLS_CA"},
		{fakeEnv{"ZSBOT_WECOM_AES_KEY": "tooShort"}, "ZSBOT_WECOM_AES_KEY"},
		{fakeEnv{"ZSBOT_WECOM_AES_KEY": strings.Repeat("!", 43)}, "ZSBOT_WECOM_AES_KEY"},
		{fakeEnv{"ZSBOT_SCHEDULE_HALFMONTHLY": "10 9 1,16 * *"}, "ZSBOT_SCHEDULE_HALFMONTHLY"},
		{fakeEnv{"ZSBOT_SCHEDULE_OVERDUE": "every morning"}, "ZSBOT_SCHEDULE_OVERDUE"},
		{fakeEnv{"ZSBOT_BUREAU": "a:b"}, "ZSBOT_BUREAU"}, // config's own refusals come through
	} {
		_, _, err := loadConfig(c.env.list())
		if err == nil || !strings.HasPrefix(err.Error(), c.name+":") {
			t.Errorf("loadConfig(%v) = %v; want an error naming %s", c.env, err, c.name)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("loadConfig(%v) = %v: the error shows the password", c.env, err)
		}
	}
}

func mustLoad(t *testing.T, e fakeEnv) (*config.Config, storage.DialOptions) {
	t.Helper()
	c, o, err := loadConfig(e.list())
	if err != nil {
		t.Fatalf("loadConfig(%v): %v", e, err)
	}
	return c, o
}

// writeCA writes a self-signed CA certificate and returns its file name.
func writeCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
