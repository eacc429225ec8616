package bot

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/silenceper/wechat/v2/util"
)

// weComOrigin is the host silenceper's URLs are built on.
const weComOrigin = "https://qyapi.weixin.qq.com"

// silenceper/wechat sends every request through two process-wide values:
// util.DefaultHTTPClient (http.DefaultClient, without timeouts) and the URI
// modifier. They are installed once, and read the API base and the timeout
// of the most recently constructed Sender from these atomics: one Sender's
// settings are in force per process.
var (
	installOnce sync.Once
	apiBase     atomic.Pointer[string]
	apiTimeout  atomic.Int64
)

// useAPI sends every silenceper request to base (ZSBOT_WECOM_API_BASE) and
// bounds each, from dial to the last byte read, by timeout.
func useAPI(base string, timeout time.Duration) {
	b := strings.TrimRight(base, "/")
	apiBase.Store(&b)
	apiTimeout.Store(int64(timeout))
	installOnce.Do(func() {
		next := &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		}
		util.DefaultHTTPClient = &http.Client{Transport: &apiTransport{next: next}}
		util.SetURIModifier(rebase)
	})
}

// rebase moves a WeCom URL onto the configured API base.
func rebase(uri string) string {
	if b := apiBase.Load(); b != nil && strings.HasPrefix(uri, weComOrigin) {
		return *b + strings.TrimPrefix(uri, weComOrigin)
	}
	return uri
}

// StatusError is an HTTP status other than 200 from the WeCom API.
type StatusError struct{ Code int }

// Error implements the error interface.
func (e *StatusError) Error() string { return fmt.Sprintf("wecom api: http status %d", e.Code) }

// apiTransport bounds each request by the timeout and turns a status other
// than 200 into a *StatusError that errors.As finds through silenceper.
type apiTransport struct{ next http.RoundTripper }

func (t *apiTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), time.Duration(apiTimeout.Load()))
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		cancel()
		return nil, &StatusError{Code: resp.StatusCode}
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelBody ends the request's timeout when the body is closed.
type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// secretParam matches the query parameters that carry secrets in WeCom
// URLs: the access token, the corp secret and a robot's webhook key.
var secretParam = regexp.MustCompile(`(?i)\b(access_token|corpsecret|key)=[^&\s"']*`)

// redact removes secrets from an error text before it is logged or stored.
func redact(s string) string { return secretParam.ReplaceAllString(s, "$1=REDACTED") }
