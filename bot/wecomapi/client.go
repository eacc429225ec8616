// Package wecomapi is a small client of the WeCom (企业微信) server API for
// what zsbot sends: gettoken, message/send, appchat/send and a group robot's
// webhook/send. Everything it needs — the *http.Client, the API base, the
// app's credentials and the token store — is a value of its Client, and
// every call takes a context: two Clients with different bases work side by
// side in one process. WeCom's answers are decoded into typed values; a
// non-zero errcode is an *Error carrying it.
package wecomapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// DefaultBase is WeCom's API origin.
const DefaultBase = "https://qyapi.weixin.qq.com"

// maxAnswer bounds how much of an answer is read: WeCom's are a few
// hundred bytes.
const maxAnswer = 1 << 20

// App is a self-built app's credentials.
type App struct {
	CorpID  string // 企业ID
	Secret  string // the app's Secret
	AgentID int    // the app's AgentId, an integer as WeCom documents it
}

// Client calls WeCom's API at one base for one app. Its zero value is not
// usable: build it with New.
type Client struct {
	http   *http.Client
	base   string
	app    App
	tokens TokenStore

	mu sync.Mutex // one gettoken at a time per Client
}

// New returns a client that sends every request through hc to base (such as
// DefaultBase; a fake in tests), for app, keeping the access token in
// tokens. A nil hc is http.DefaultClient.
func New(hc *http.Client, base string, app App, tokens TokenStore) *Client {
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{http: hc, base: strings.TrimRight(base, "/"), app: app, tokens: tokens}
}

// Error is an answer of WeCom with a non-zero errcode.
type Error struct {
	API     string // the path called, such as "/cgi-bin/message/send"
	ErrCode int    // WeCom's errcode
	ErrMsg  string // WeCom's errmsg
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("wecom %s: errcode %d: %s", e.API, e.ErrCode, e.ErrMsg)
}

// StatusError is an HTTP status other than 200 from WeCom's API.
type StatusError struct {
	API  string // the path called
	Code int    // the HTTP status
}

// Error implements the error interface.
func (e *StatusError) Error() string { return fmt.Sprintf("wecom %s: http status %d", e.API, e.Code) }

// answer is what every WeCom answer carries.
type answer struct {
	ErrCode int    `json:"errcode"`
	ErrMsg  string `json:"errmsg"`
}

func (a *answer) err(api string) error {
	if a.ErrCode != 0 {
		return &Error{API: api, ErrCode: a.ErrCode, ErrMsg: a.ErrMsg}
	}
	return nil
}

// errAnswer is implemented by the answer types: their errcode as an error.
type errAnswer interface{ err(api string) error }

// get calls path with query and decodes the answer into out.
func (c *Client) get(ctx context.Context, path string, query url.Values, out errAnswer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path+"?"+query.Encode(), nil)
	if err != nil {
		return err
	}
	return c.do(req, path, out)
}

// post sends body as JSON to path with query and decodes the answer into
// out. HTML characters are not escaped: WeCom wants markdown's <font> as
// written.
func (c *Client) post(ctx context.Context, path string, query url.Values, body any, out errAnswer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		return fmt.Errorf("wecom %s: encode: %w", path, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path+"?"+query.Encode(), &buf)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, path, out)
}

// do sends req and decodes a 200 answer into out; a non-zero errcode is an
// *Error, another status a *StatusError.
func (c *Client) do(req *http.Request, api string, out errAnswer) error {
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return &StatusError{API: api, Code: resp.StatusCode}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("wecom %s: read answer: %w", api, err)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("wecom %s: answer is not JSON: %w", api, err)
	}
	return out.err(api)
}
