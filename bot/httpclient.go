package bot

import (
	"net"
	"net/http"
	"regexp"
	"time"
)

// NewHTTPClient returns the client a Sender uses by default: each WeCom API
// call is bounded by timeout, from dial to the last byte read, and its own
// context ends it sooner.
func NewHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		},
	}
}

// secretParam matches the query parameters that carry secrets in WeCom
// URLs: the access token, the corp secret and a robot's webhook key.
var secretParam = regexp.MustCompile(`(?i)\b(access_token|corpsecret|key)=[^&\s"']*`)

// redact removes secrets from an error text before it is logged or stored.
func redact(s string) string { return secretParam.ReplaceAllString(s, "$1=REDACTED") }
