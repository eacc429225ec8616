package storage

import (
	"errors"
	"strings"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The causes of a write refusal, as RefusalCause names them (and the
// metric's label).
const (
	CauseOOM        = "oom"        // OOM: used memory is over maxmemory (noeviction)
	CauseMisconf    = "misconf"    // MISCONF: the last save to disk failed (stop-writes-on-bgsave-error)
	CauseReadOnly   = "readonly"   // READONLY: the server is a replica
	CauseNoReplicas = "noreplicas" // NOREPLICAS: fewer good replicas than min-replicas-to-write
	CauseDisk       = "disk"       // the embedded store could not save its file (disk full, no permission)
)

// refusalCauses maps the first word of Redis's error to its cause.
var refusalCauses = map[string]string{
	"OOM":        CauseOOM,
	"MISCONF":    CauseMisconf,
	"READONLY":   CauseReadOnly,
	"NOREPLICAS": CauseNoReplicas,
}

// refusalWords are the cause in the officers' words, in the reply.
var refusalWords = map[string]string{
	CauseOOM:        "内存已满",
	CauseMisconf:    "磁盘写入失败",
	CauseReadOnly:   "数据库只读，可能正在主从切换",
	CauseNoReplicas: "备份节点不足",
}

// classify is the one place that tells a write refusal from other Redis
// errors: it returns the cause of err when Redis refused to write (its
// reply's first word), else "". Redis refuses a script at its first
// write, before it has written anything, and a transaction before EXEC
// runs any of it, so a refused call has written nothing.
func classify(err error) string {
	var re redis.Error
	if err == nil || !errors.As(err, &re) {
		return ""
	}
	word, _, _ := strings.Cut(re.Error(), " ")
	return refusalCauses[word]
}

// execErr returns the error of a transaction: when Redis discarded it
// (EXECABORT) because it refused a queued command, that command's error,
// which names the cause; else err.
func execErr(cmds []redis.Cmder, err error) error {
	var re redis.Error
	if !errors.As(err, &re) || !strings.HasPrefix(re.Error(), "EXECABORT") {
		return err
	}
	for _, c := range cmds {
		if classify(c.Err()) != "" {
			return c.Err()
		}
	}
	return err
}

// writeRefused is a Redis error refusing a write; it unwraps to a
// zsbot.Error with code EWRITE whose message names the cause.
type writeRefused struct {
	cause string
	err   error
}

func (w *writeRefused) Error() string {
	return "redis refuses writes (" + w.cause + "): " + w.err.Error()
}
func (w *writeRefused) Unwrap() []error {
	return []error{w.err, zsbot.Errorf(zsbot.EWRITE, "数据服务暂时无法写入（%s），本条未记录，请稍后重发。", refusalWords[w.cause])}
}

// RefusalCause returns the cause (CauseOOM, …) of the write refusal in
// err's chain, or "" when err is not one. A refused operation wrote
// nothing; its error has code EWRITE.
func RefusalCause(err error) string {
	var w *writeRefused
	if errors.As(err, &w) {
		return w.cause
	}
	var s *saveRefused
	if errors.As(err, &s) {
		return CauseDisk
	}
	return ""
}
