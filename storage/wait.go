package storage

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// defaultWaitTimeout bounds WAIT when DialOptions.WaitTimeout is unset.
const defaultWaitTimeout = 100 * time.Millisecond

// hooked adds the WAIT hook to a single-node client when WaitReplicas asks
// for it.
func (o DialOptions) hooked(c *redis.Client) *redis.Client {
	if o.WaitReplicas > 0 {
		c.AddHook(o.waitHook(c))
	}
	return c
}

func (o DialOptions) waitHook(c *redis.Client) waitHook {
	timeout := o.WaitTimeout
	if timeout <= 0 {
		timeout = defaultWaitTimeout
	}
	return waitHook{c: c, n: o.WaitReplicas, timeout: timeout, short: o.OnWaitShort}
}

// waitHook sends WAIT right behind every EVAL and EVALSHA, in one pipeline
// and so on the same connection: WAIT counts the replicas that hold this
// connection's last write, and only that connection's. On a Cluster it is
// added to each node's client, so WAIT goes to the master that ran the
// script. A short count is reported, not returned: the write stands.
type waitHook struct {
	c       *redis.Client
	n       int
	timeout time.Duration
	short   func(acked, want int)
}

func (h waitHook) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h waitHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (h waitHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if name := cmd.Name(); name != "evalsha" && name != "eval" {
			return next(ctx, cmd)
		}
		wait := redis.NewIntCmd(ctx, "wait", h.n, h.timeout.Milliseconds())
		_, _ = h.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			_ = p.Process(ctx, cmd)
			return p.Process(ctx, wait)
		})
		if cmd.Err() == nil && h.short != nil {
			if acked, err := wait.Result(); err != nil || acked < int64(h.n) {
				h.short(int(acked), h.n)
			}
		}
		return cmd.Err()
	}
}
