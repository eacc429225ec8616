package storage

import (
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The codes of the failures the scripts of lua/ signal, each the first
// word of an error reply: redis.error_reply('ZSCONFLICT P12').
const (
	// scriptDone: apply.lua ran before with the same once-only record (its
	// first answer was lost); it wrote everything then and nothing now.
	scriptDone = "ZSDONE"
	// scriptConflict: a record (Detail names its field, or "undo") no
	// longer holds what the command read; nothing was written.
	scriptConflict = "ZSCONFLICT"
	// scriptBadOp: apply.lua was given an op it does not know (Detail).
	scriptBadOp = "ZSBADOP"
	// scriptRestore: restore_swap.lua refused the staged keys (Detail says
	// why); nothing was changed.
	scriptRestore = "ZSRESTORE"
)

// scriptError is a failure that a script signals. It unwraps to Redis's
// reply and, for a failure the user is told of, to the zsbot.Error that
// tells it (ECONFLICT for scriptConflict); the others are internal.
type scriptError struct {
	Code   string // scriptConflict, …
	Detail string // the reply after the code
	reply  error
}

func (e *scriptError) Error() string { return e.reply.Error() }

func (e *scriptError) Unwrap() []error {
	if e.Code == scriptConflict && strings.HasPrefix(e.Detail, nameConflict) {
		return []error{e.reply, zsbot.Errorf(zsbot.ECONFLICT, "同名企业刚由他人登记，本条未记录，请重发一次。")}
	}
	if e.Code == scriptConflict {
		return []error{e.reply, zsbot.Errorf(zsbot.ECONFLICT, "记录刚被他人修改，请重试。")}
	}
	return []error{e.reply}
}

// asScriptError decodes err, when it is a failure that a script
// signalled, into a *scriptError; else it returns nil. It is the one place
// that reads the codes out of Redis's replies.
func asScriptError(err error) *scriptError {
	var re redis.Error
	if err == nil || !errors.As(err, &re) {
		return nil
	}
	code, detail, _ := strings.Cut(re.Error(), " ")
	switch code {
	case scriptDone, scriptConflict, scriptBadOp, scriptRestore:
		return &scriptError{Code: code, Detail: detail, reply: err}
	}
	return nil
}
