package storage

import (
	"errors"
	"fmt"
	"testing"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// replyError is an error reply of Redis, as go-redis returns one.
type replyError string

func (e replyError) Error() string { return string(e) }
func (replyError) RedisError()     {}

var _ redis.Error = replyError("")

// TestClassify checks the one classifier on the replies of every cause —
// MISCONF too, which a test cannot provoke on Redis 7 (dir is a protected
// setting) — and on replies and failures that are not refusals.
func TestClassify(t *testing.T) {
	for reply, cause := range map[string]string{
		"OOM command not allowed when used memory > 'maxmemory'.":                                  CauseOOM,
		"OOM command not allowed when used memory > 'maxmemory'. script: 4c1c, on @user_script:3.": CauseOOM,
		"MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist":  CauseMisconf,
		"READONLY You can't write against a read only replica.":                                    CauseReadOnly,
		"NOREPLICAS Not enough good replicas to write.":                                            CauseNoReplicas,
		"EXECABORT Transaction discarded because of previous errors.":                              "",
		"LOADING Redis is loading the dataset in memory":                                           "",
		"ERR OOM in a message": "",
		"ZSCONFLICT P1":        "",
	} {
		err := wrap("op", fmt.Errorf("call: %w", replyError(reply)))
		if got := RefusalCause(err); got != cause {
			t.Errorf("%q: cause %q, want %q", reply, got, cause)
		}
		if want := cause != ""; (zsbot.ErrorCode(err) == zsbot.EWRITE) != want {
			t.Errorf("%q: code %q", reply, zsbot.ErrorCode(err))
		}
	}
	if RefusalCause(errors.New("OOM but not from Redis")) != "" || RefusalCause(nil) != "" {
		t.Error("an error that is not Redis's reply was classified as a refusal")
	}
	cmd := redis.NewStatusCmd(t.Context())
	cmd.SetErr(replyError("NOREPLICAS Not enough good replicas to write."))
	if err := wrap("tx", execErr([]redis.Cmder{cmd}, replyError("EXECABORT Transaction discarded"))); RefusalCause(err) != CauseNoReplicas {
		t.Errorf("a transaction discarded for a refused command: %v", err)
	}
}
