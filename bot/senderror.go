package bot

import (
	"errors"
	"fmt"
	"regexp"

	"zsbot/bot/wecomapi"
)

// Kind says what the outbox does after a failed send.
type Kind string

// Kinds of send failure.
const (
	KindRetry       Kind = "retry"        // -1, HTTP 5xx, network, unknown errcode: back off and retry
	KindRateLimited Kind = "rate_limited" // 45009 and kin: wait the limit out, never drop
	KindConfig      Kind = "config_error" // WeCom rejects the app's configuration: hold every app message until restart
	KindDestination Kind = "destination"  // WeCom rejects the destination (robot key, chat, recipients): a dead letter; the destination shows misconfigured
	KindRejected    Kind = "rejected"     // WeCom refuses the message itself (empty, too long, invalid): a dead letter
	kindToken       Kind = "token"        // 40014, 42001: refresh the token and retry once
)

// SendError is a send WeCom did not accept.
type SendError struct {
	Kind   Kind
	Code   int    // WeCom's errcode; 0 when the call failed before WeCom answered
	Status int    // the HTTP status when it was not 200
	Msg    string // what went wrong, with secrets removed
}

// Error implements the error interface.
func (e *SendError) Error() string {
	switch {
	case e.Code != 0:
		return fmt.Sprintf("wecom %s: errcode %d: %s", e.Kind, e.Code, e.Msg)
	case e.Status != 0:
		return fmt.Sprintf("wecom %s: http status %d", e.Kind, e.Status)
	}
	return fmt.Sprintf("wecom %s: %s", e.Kind, e.Msg)
}

// errcodeKinds are the errcodes that are not simply retried.
var errcodeKinds = map[int]Kind{
	40014: kindToken,       // invalid access_token
	41001: kindToken,       // access_token missing
	42001: kindToken,       // access_token expired
	45009: KindRateLimited, // api freq out of limit (also a robot's 20 a minute)
	45033: KindRateLimited, // too many concurrent calls
	// The app's configuration: every app message would fail alike.
	40001: KindConfig, // invalid secret
	40013: KindConfig, // invalid corp id
	40056: KindConfig, // invalid agent id
	48002: KindConfig, // API forbidden for this app
	60020: KindConfig, // server IP not in 企业可信IP
	// One destination's configuration: other destinations are not affected.
	40003: KindDestination, // invalid userid
	60011: KindDestination, // no privilege (recipient outside the visible range)
	81013: KindDestination, // no valid recipient (user, party and tag all invalid)
	82001: KindDestination, // recipients outside the app's visible range
	86001: KindDestination, // invalid chatid
	86003: KindDestination, // app chat does not exist
	93000: KindDestination, // invalid robot webhook key
	93004: KindDestination, // robot disabled
	// The message itself: sending it again can never succeed.
	40008: KindRejected, // invalid msgtype
	40035: KindRejected, // invalid parameter (a field of the wrong type)
	40058: KindRejected, // invalid parameter; a robot's content over its limit
	41011: KindRejected, // agentid missing from the body
	44004: KindRejected, // empty content
	45002: KindRejected, // content over the size limit
}

// classify turns the error of one API call into a *SendError (nil for nil):
// by WeCom's errcode when WeCom answered one, else a retry.
func classify(err error) *SendError {
	if err == nil {
		return nil
	}
	var (
		ae  *wecomapi.Error
		se  *wecomapi.StatusError
		out = &SendError{Kind: KindRetry, Msg: redact(err.Error())}
	)
	switch {
	case errors.As(err, &ae):
		out.Code, out.Msg = ae.ErrCode, redact(ae.ErrMsg)
		if k, ok := errcodeKinds[ae.ErrCode]; ok {
			out.Kind = k
		}
	case errors.As(err, &se):
		out.Status, out.Msg = se.Code, ""
	}
	return out
}

// secretParam matches the query parameters that carry secrets in WeCom
// URLs: the access token, the corp secret and a robot's webhook key.
var secretParam = regexp.MustCompile(`(?i)\b(access_token|corpsecret|key)=[^&\s"']*`)

// redact removes secrets from an error text before it is logged or stored.
func redact(s string) string { return secretParam.ReplaceAllString(s, "$1=REDACTED") }
