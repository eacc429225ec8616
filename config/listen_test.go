package config

import (
	"strings"
	"testing"
)

func TestLoadListen(t *testing.T) {
	t.Run("Defaults", func(t *testing.T) {
		c := mustLoad(t, env{})
		if c.HTTPAddr != ":8080" || c.AdminAddr != "127.0.0.1:9090" || c.MaxConns != DefaultMaxConns {
			t.Fatalf("HTTPAddr %q, AdminAddr %q, MaxConns %d", c.HTTPAddr, c.AdminAddr, c.MaxConns)
		}
	})
	t.Run("Set", func(t *testing.T) {
		c := mustLoad(t, env{"ZSBOT_HTTP_ADDR": "10.0.0.5:80", "ZSBOT_ADMIN_ADDR": "[::1]:9100", "ZSBOT_MAX_CONNS": "250"})
		if c.HTTPAddr != "10.0.0.5:80" || c.AdminAddr != "[::1]:9100" || c.MaxConns != 250 {
			t.Fatalf("HTTPAddr %q, AdminAddr %q, MaxConns %d", c.HTTPAddr, c.AdminAddr, c.MaxConns)
		}
	})
	t.Run("AdminOff", func(t *testing.T) {
		if c := mustLoad(t, env{"ZSBOT_ADMIN_ADDR": "off"}); c.AdminAddr != "" {
			t.Fatalf("AdminAddr %q, want empty", c.AdminAddr)
		}
	})
}

func TestLoadListenRefuses(t *testing.T) {
	for _, c := range []struct {
		env  env
		name string // the variable the error must begin with
	}{
		{env{"ZSBOT_HTTP_ADDR": "8080"}, "ZSBOT_HTTP_ADDR"},
		{env{"ZSBOT_HTTP_ADDR": ":http"}, "ZSBOT_HTTP_ADDR"},
		{env{"ZSBOT_ADMIN_ADDR": "9090"}, "ZSBOT_ADMIN_ADDR"},
		{env{"ZSBOT_ADMIN_ADDR": "127.0.0.1:99999"}, "ZSBOT_ADMIN_ADDR"},
		{env{"ZSBOT_ADMIN_ADDR": "127.0.0.1:"}, "ZSBOT_ADMIN_ADDR"},
		{env{"ZSBOT_ADMIN_ADDR": "OFF"}, "ZSBOT_ADMIN_ADDR"},
		{env{"ZSBOT_ADMIN_ADDR": ":8080"}, "ZSBOT_ADMIN_ADDR"}, // the default ZSBOT_HTTP_ADDR
		{env{"ZSBOT_MAX_CONNS": "0"}, "ZSBOT_MAX_CONNS"},
		{env{"ZSBOT_MAX_CONNS": "-5"}, "ZSBOT_MAX_CONNS"},
		{env{"ZSBOT_MAX_CONNS": "1k"}, "ZSBOT_MAX_CONNS"},
		{env{"ZSBOT_MAX_CONNS": "off"}, "ZSBOT_MAX_CONNS"},
	} {
		_, err := Load(c.env.list())
		if err == nil || !strings.HasPrefix(err.Error(), c.name+":") {
			t.Errorf("Load(%v) = %v; want an error naming %s", c.env, err, c.name)
		}
	}
}
