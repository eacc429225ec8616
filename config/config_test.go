package config

import (
	"maps"
	"testing"
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
