package zsbot

import (
	"errors"
	"fmt"
)

// Error codes. A code says what kind of failure happened; the message of an
// Error with any code but EINTERNAL is a sentence fit to show a user.
const (
	EINVALID     = "invalid"       // the input is malformed
	ENOTFOUND    = "not_found"     // a named thing does not exist
	ECONFLICT    = "conflict"      // the state forbids it (a second 签约)
	EFORBIDDEN   = "forbidden"     // the sender may not do this
	EAMBIGUOUS   = "ambiguous"     // several records match a name
	EUNAVAILABLE = "unavailable"   // a dependency (Redis) is down; try again
	EWRITE       = "write_refused" // the store refuses writes now (memory or disk full, read-only): nothing was written
	EINTERNAL    = "internal"      // a bug or an unexpected failure
)

// Error is a failure with a code and a user-facing message.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return fmt.Sprintf("zsbot: code=%s message=%s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, "" for nil,
// and EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of the
// first *Error in its chain, or a generic sentence for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "系统内部错误，已记录，请稍后再试或联系管理员。"
}
