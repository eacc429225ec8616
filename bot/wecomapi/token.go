package wecomapi

import (
	"context"
	"fmt"
	"net/url"
	"time"
)

// TokenStore keeps access tokens where every instance finds them, under a
// name, for a time. It is the cache.Cache of silenceper/wechat without
// IsExist; storage.TokenCache (Redis) is the one zsbot uses. Get returns nil
// for a token it does not hold (or cannot read: the caller then fetches a
// fresh one).
type TokenStore interface {
	Get(name string) any
	Set(name string, val any, ttl time.Duration) error
	Delete(name string) error
}

// tokenMargin is how much sooner than WeCom says a token is dropped, so a
// token is never used in its last minutes (silenceper's margin).
const tokenMargin = 1500 * time.Second

// TokenName is the name under which the App's token is kept: the name
// silenceper/wechat gave it, so a token cached by an earlier zsbot stays
// in use.
func (a App) TokenName() string {
	return fmt.Sprintf("gowechat_work__access_token_%s_%d", a.CorpID, a.AgentID)
}

// TokenResult is gettoken's answer.
type TokenResult struct {
	answer
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"` // seconds
}

// Token returns the App's access token: the stored one, else a fresh one
// from gettoken, which is then stored for its lifetime less a margin.
// A gettoken refused by WeCom (a wrong secret, 40001) is an *Error.
func (c *Client) Token(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	name := c.app.TokenName()
	if v, ok := c.tokens.Get(name).(string); ok && v != "" {
		return v, nil
	}
	t, err := c.FetchToken(ctx)
	if err != nil {
		return "", err
	}
	if err := c.tokens.Set(name, t.AccessToken, time.Duration(t.ExpiresIn)*time.Second-tokenMargin); err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// FetchToken calls gettoken for the App, without the store.
func (c *Client) FetchToken(ctx context.Context) (*TokenResult, error) {
	var t TokenResult
	q := url.Values{"corpid": {c.app.CorpID}, "corpsecret": {c.app.Secret}}
	if err := c.get(ctx, PathToken, q, &t); err != nil {
		return nil, err
	}
	if t.AccessToken == "" {
		return nil, fmt.Errorf("wecom %s: answer without access_token", PathToken)
	}
	return &t, nil
}
