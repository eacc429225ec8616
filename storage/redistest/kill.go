package redistest

import (
	"context"
	"errors"
	"sync"

	"github.com/redis/go-redis/v9"
)

// ErrKilled is what a killed process's Redis calls return.
var ErrKilled = errors.New("process killed")

// KillHook is a go-redis hook that kills its process at the process's
// N-th round trip to Redis (one command or one pipeline): before it
// reaches Redis, or, with After, once Redis has applied it but before its
// reply is read. From then on nothing the process sends reaches Redis, as
// after kill -9. Add it to the client of the process under test.
type KillHook struct {
	N     int
	After bool

	mu    sync.Mutex
	trips int
	dead  bool
}

func (h *KillHook) trip(send func() error) error {
	h.mu.Lock()
	if h.dead {
		h.mu.Unlock()
		return ErrKilled
	}
	h.trips++
	die := h.trips == h.N
	h.dead = die
	h.mu.Unlock()
	if die && !h.After {
		return ErrKilled
	}
	err := send()
	if die {
		return ErrKilled
	}
	return err
}

// Killed reports whether the process died (else it ran to its end).
func (h *KillHook) Killed() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.dead
}

// DialHook dials as usual.
func (h *KillHook) DialHook(next redis.DialHook) redis.DialHook { return next }

// ProcessHook counts a command as a round trip.
func (h *KillHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		return h.trip(func() error { return next(ctx, cmd) })
	}
}

// ProcessPipelineHook counts a pipeline or transaction as a round trip.
func (h *KillHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := h.trip(func() error { return next(ctx, cmds) })
		if errors.Is(err, ErrKilled) {
			for _, c := range cmds {
				c.SetErr(ErrKilled)
			}
		}
		return err
	}
}
