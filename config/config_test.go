package config

import (
	"maps"
	"strings"
	"testing"
	"time"
)

// env is a fake environment for Load.
type env map[string]string

// list is e as os.Environ returns an environment.
func (e env) list() []string {
	var l []string
	for k, v := range e {
		l = append(l, k+"="+v)
	}
	return l
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env{}.list())
	if err != nil {
		t.Fatal(err)
	}
	if c.RedisURL != "" || c.Bureau != "default" || c.Redis.WaitReplicas != 0 || c.Redis.MasterName != "" {
		t.Fatalf("got %+v", c)
	}
}

func TestLoadAuditKeep(t *testing.T) {
	for in, want := range map[string]time.Duration{"": 400 * 24 * time.Hour, "30d": 30 * 24 * time.Hour,
		"36h": 36 * time.Hour, "0": 0, "off": 0, "OFF": 0} {
		if c := mustLoad(t, env{"ZSBOT_AUDIT_KEEP": in}); c.AuditKeep != want {
			t.Errorf("ZSBOT_AUDIT_KEEP=%q: %v, want %v", in, c.AuditKeep, want)
		}
	}
}

func TestLoadOutbox(t *testing.T) {
	if c := mustLoad(t, env{}); c.Outbox.GiveUpAttempts != 5 || c.Outbox.GiveUpAfter != 10*time.Minute || !c.Outbox.AppMarkdown {
		t.Fatalf("defaults %+v", c.Outbox)
	}
	c := mustLoad(t, env{"ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS": "8", "ZSBOT_OUTBOX_GIVE_UP_AFTER": "1h", "ZSBOT_APP_MARKDOWN": "off"})
	if c.Outbox.GiveUpAttempts != 8 || c.Outbox.GiveUpAfter != time.Hour || c.Outbox.AppMarkdown {
		t.Fatalf("set %+v", c.Outbox)
	}
}

// TestLoadRedis checks the Redis companions as config reads them; the URL
// and the CA file are checked by storage (cmd/zsbot's TestLoadRedis).
func TestLoadRedis(t *testing.T) {
	c := mustLoad(t, env{"ZSBOT_REDIS_URL": "redis-sentinel://s1:26379,s2:26379/0?master=zsbot",
		"ZSBOT_REDIS_SENTINEL_PASSWORD": "tinel", "ZSBOT_REDIS_WAIT_REPLICAS": "1"})
	if c.Redis.SentinelPassword != "tinel" || c.Redis.WaitReplicas != 1 || c.Redis.WaitTimeout != 100*time.Millisecond {
		t.Fatalf("got %+v", c.Redis)
	}
	c = mustLoad(t, env{"ZSBOT_REDIS_URL": "redis-sentinel://s1,s2", "ZSBOT_REDIS_MASTER": "zsbot",
		"ZSBOT_REDIS_WAIT_REPLICAS": "2", "ZSBOT_REDIS_WAIT_TIMEOUT": "250ms"})
	if c.Redis.MasterName != "zsbot" || c.Redis.WaitReplicas != 2 || c.Redis.WaitTimeout != 250*time.Millisecond {
		t.Fatalf("got %+v", c.Redis)
	}
	c = mustLoad(t, env{"ZSBOT_REDIS_URL": "rediss://zs:pw@redis.internal:6380/0", "ZSBOT_REDIS_TLS_CA": "/etc/zsbot/ca.pem"})
	if c.Redis.TLSCAFile != "/etc/zsbot/ca.pem" {
		t.Fatalf("got %+v", c.Redis)
	}
}

// TestLoadRefuses checks the values config judges itself; cmd/zsbot's
// TestLoadRefuses checks those its packages judge (Redis URL, CA file, AES
// key, schedules).
func TestLoadRefuses(t *testing.T) {
	const sentinel = "redis-sentinel://u:s3cret@s1:26379/0?master=m"
	for _, c := range []struct {
		env  env
		name string // the variable the error must begin with
	}{
		{env{"ZSBOT_REDIS_MASTER": "m"}, "ZSBOT_REDIS_MASTER"},
		{env{"ZSBOT_REDIS_URL": "redis://u:s3cret@h:6379", "ZSBOT_REDIS_MASTER": "m"}, "ZSBOT_REDIS_MASTER"},
		{env{"ZSBOT_REDIS_URL": "redis-cluster://u:s3cret@h:7000", "ZSBOT_REDIS_SENTINEL_PASSWORD": "x"}, "ZSBOT_REDIS_SENTINEL_PASSWORD"},
		{env{"ZSBOT_REDIS_URL": "redis://u:s3cret@h:6379", "ZSBOT_REDIS_TLS_CA": "ca.pem"}, "ZSBOT_REDIS_TLS_CA"},
		{env{"ZSBOT_REDIS_WAIT_REPLICAS": "1"}, "ZSBOT_REDIS_WAIT_REPLICAS"},
		{env{"ZSBOT_REDIS_URL": sentinel, "ZSBOT_REDIS_WAIT_REPLICAS": "-1"}, "ZSBOT_REDIS_WAIT_REPLICAS"},
		{env{"ZSBOT_REDIS_URL": sentinel, "ZSBOT_REDIS_WAIT_REPLICAS": "one"}, "ZSBOT_REDIS_WAIT_REPLICAS"},
		{env{"ZSBOT_REDIS_URL": sentinel, "ZSBOT_REDIS_WAIT_REPLICAS": "1", "ZSBOT_REDIS_WAIT_TIMEOUT": "0"}, "ZSBOT_REDIS_WAIT_TIMEOUT"},
		{env{"ZSBOT_REDIS_URL": sentinel, "ZSBOT_REDIS_WAIT_TIMEOUT": "soon"}, "ZSBOT_REDIS_WAIT_TIMEOUT"},
		{env{"ZSBOT_BUREAU": "a*"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": "a?"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": "a[b]"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": `a\b`}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": "a}b"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": "a:b"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": "东 区"}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_BUREAU": strings.Repeat("a", 65)}, "ZSBOT_BUREAU"},
		{env{"ZSBOT_WECOM_AGENT_ID": "app1"}, "ZSBOT_WECOM_AGENT_ID"},
		{env{"ZSBOT_WECOM_AGENT_ID": "1000002.0"}, "ZSBOT_WECOM_AGENT_ID"},
		{env{"ZSBOT_WECOM_AGENT_ID": "-1"}, "ZSBOT_WECOM_AGENT_ID"},
		{env{"ZSBOT_WECOM_AGENT_ID": "+1000002"}, "ZSBOT_WECOM_AGENT_ID"},
		{env{"ZSBOT_WECOM_AGENT_ID": "99999999999999999999"}, "ZSBOT_WECOM_AGENT_ID"},
		{env{"ZSBOT_AUDIT_KEEP": "400"}, "ZSBOT_AUDIT_KEEP"},
		{env{"ZSBOT_AUDIT_KEEP": "-3d"}, "ZSBOT_AUDIT_KEEP"},
		{env{"ZSBOT_AUDIT_KEEP": "0d"}, "ZSBOT_AUDIT_KEEP"},
		{env{"ZSBOT_AUDIT_KEEP": "1y"}, "ZSBOT_AUDIT_KEEP"},
		{env{"ZSBOT_AUDIT_KEEP": "-5h"}, "ZSBOT_AUDIT_KEEP"},
		{env{"ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS": "0"}, "ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS"},
		{env{"ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS": "many"}, "ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS"},
		{env{"ZSBOT_OUTBOX_GIVE_UP_AFTER": "10"}, "ZSBOT_OUTBOX_GIVE_UP_AFTER"},
		{env{"ZSBOT_APP_MARKDOWN": "maybe"}, "ZSBOT_APP_MARKDOWN"},
		{env{"ZSBOT_PARKS": "双福园区,双福园区"}, "ZSBOT_PARKS"},
		{env{"ZSBOT_PARKS": strings.Repeat("园", 21)}, "ZSBOT_PARKS"},
	} {
		_, err := Load(c.env.list())
		if err == nil || !strings.HasPrefix(err.Error(), c.name+":") {
			t.Errorf("Load(%v) = %v; want an error naming %s", c.env, err, c.name)
		} else if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Load(%v) = %v: the error shows the password", c.env, err)
		}
	}
}

func TestLoadParks(t *testing.T) {
	c := mustLoad(t, env{"ZSBOT_PARKS": " 双福园区,德感园区，珞璜园区、白沙园区,, "})
	if got := strings.Join(c.Parks, "|"); got != "双福园区|德感园区|珞璜园区|白沙园区" {
		t.Errorf("Parks = %q", got)
	}
	if c := mustLoad(t, env{}); len(c.Parks) != 0 {
		t.Errorf("Parks = %q with ZSBOT_PARKS unset", c.Parks)
	}
}

func TestBureauNames(t *testing.T) {
	for _, b := range []string{"default", "高新区", "district-7", "east_2.b"} {
		if c, err := Load(env{"ZSBOT_BUREAU": b}.list()); err != nil || c.Bureau != b {
			t.Errorf("ZSBOT_BUREAU=%s: %v", b, err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"redis://zs:s3cret@h:6379/0":                    "redis://zs:xxxxx@h:6379/0",
		"redis-cluster://:s3cret@[::1]:7000,[::1]:7001": "redis-cluster://:xxxxx@[::1]:7000,[::1]:7001",
		"redis-sentinel://s1,s2/0?master=m":             "redis-sentinel://s1,s2/0?master=m",
		"redis://h/0?x=a@b":                             "redis://h/0?x=a@b",
		"s3cret":                                        "(not a URL)",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoadSchedules(t *testing.T) {
	c, err := Load(env{"ZSBOT_SCHEDULE_HALF_MONTHLY": " 0 9 1 * * ", "ZSBOT_SCHEDULE_WEEKLY": "off", "ZSBOT_SCHEDULE_OVERDUE": "", "ZSBOT_TZ": "UTC"}.list())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"ZSBOT_SCHEDULE_HALF_MONTHLY": "0 9 1 * *", "ZSBOT_SCHEDULE_WEEKLY": "off", "ZSBOT_SCHEDULE_OVERDUE": ""}
	if !maps.Equal(c.Schedules, want) {
		t.Fatalf("Schedules = %q, want %q", c.Schedules, want)
	}
}

func mustLoad(t *testing.T, e env) *Config {
	t.Helper()
	c, err := Load(e.list())
	if err != nil {
		t.Fatalf("Load(%v): %v", e, err)
	}
	return c
}
