package bot

import (
	"context"

	"zsbot"
)

// refusing is the unit of work of a command run without a claim, because
// the store refuses writes (EWRITE: the claim is one): it reads the store
// and refuses every write with the store's refusal. A read (查, 我的, 统计)
// still answers; a write is told, in the refusal's sentence, that it
// cannot be recorded now, and nothing is written. Without a claim a retry
// runs the command again, which costs a read and writes nothing.
type refusing struct {
	zsbot.Store
	refusal error
}

var _ zsbot.Tx = refusing{}

// NextID refuses: allocating an ID is a write.
func (t refusing) NextID(context.Context, zsbot.Kind) (string, error) { return "", t.refusal }

// Apply refuses the change.
func (t refusing) Apply(context.Context, *zsbot.Change) (string, error) { return "", t.refusal }

// SavePick refuses: a pending choice is a write.
func (t refusing) SavePick(context.Context, string, *zsbot.Pick) error { return t.refusal }

// Enqueue refuses the messages.
func (t refusing) Enqueue(context.Context, ...*zsbot.Outgoing) error { return t.refusal }

// unclaimed answers a delivery whose claim failed. When the store refuses
// writes (EWRITE) the command runs without a claim in a refusing unit of
// work, and its reply goes back to the sender, since a retry would not
// help; any other failure makes the sender retry.
func (run *Once) unclaimed(ctx context.Context, d *Delivery, err error) Result {
	if zsbot.ErrorCode(err) != zsbot.EWRITE {
		return Result{Outcome: outUnavailable, Reason: "redis", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, run.opt.CommandTimeout)
	defer cancel()
	reply, rerr := run.respond(ctx, refusing{run.units, err}, d)
	if rerr != nil {
		return Result{Outcome: outUnavailable, Reason: "unavailable", Err: rerr}
	}
	return result{reply: reply}.answer()
}
