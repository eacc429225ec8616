package config

import (
	"fmt"
	"net"
	"strconv"
)

// DefaultMaxConns is the default of ZSBOT_MAX_CONNS: well under the
// descriptors a process gets (systemd's soft limit is 1024, which the Go
// runtime raises to the hard limit), leaving room for Redis and files.
const DefaultMaxConns = 1000

// loadListen reads where `zsbot serve` listens: ZSBOT_HTTP_ADDR (the
// callback), ZSBOT_ADMIN_ADDR (/metrics and /readyz; "off" = none) and
// ZSBOT_MAX_CONNS (the callback listener's cap on open connections).
func (c *Config) loadListen(get func(name, def string) string) error {
	if err := checkAddr(c.HTTPAddr); err != nil {
		return fmt.Errorf("ZSBOT_HTTP_ADDR: %w", err)
	}
	if c.AdminAddr = get("ZSBOT_ADMIN_ADDR", "127.0.0.1:9090"); c.AdminAddr == "off" {
		c.AdminAddr = ""
	} else if err := checkAddr(c.AdminAddr); err != nil {
		return fmt.Errorf("ZSBOT_ADMIN_ADDR: %w (or off)", err)
	} else if c.AdminAddr == c.HTTPAddr {
		return fmt.Errorf("ZSBOT_ADMIN_ADDR: %q is ZSBOT_HTTP_ADDR too; the operations endpoints need an address of their own", c.AdminAddr)
	}
	raw := get("ZSBOT_MAX_CONNS", strconv.Itoa(DefaultMaxConns))
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 {
		return fmt.Errorf("ZSBOT_MAX_CONNS: %q is not a positive number of connections such as %d", raw, DefaultMaxConns)
	}
	c.MaxConns = n
	return nil
}

// checkAddr checks a listening address host:port, where the host may be
// empty (every interface) and the port is a number (0 = any free port).
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not an address such as :8080 or 127.0.0.1:9090", addr)
	}
	if p, err := strconv.ParseUint(port, 10, 16); err != nil || (p == 0 && port != "0") {
		return fmt.Errorf("%q has no port number such as :8080", addr)
	}
	return nil
}
