package bot

import (
	"context"

	"zsbot"
)

// refusing is the unit of work of a command that writes nothing (查, 我的,
// 统计: zsbot.Plan.ReadOnly), run without a claim because the store
// refuses writes (the claim is one): it reads the store and refuses every
// write with the store's refusal, should the command try one after all.
// Without a claim a retry runs the command again, which changes nothing.
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

// unclaimed answers a delivery whose claim failed. When the store refused
// the claim's write (RefusalCause, code EWRITE), nothing was claimed or
// written: a command that writes nothing (p.ReadOnly) runs all the same,
// without the claim, in a refusing unit of work, and its reply goes back
// in the answer (the outbox, a write, is closed too); any other command
// gets the refusal's reply, which names the cause and asks to send it
// again later. Both are answered, not retried: a retry would meet the same
// refusal. Any other failure, or a read that fails or overruns the reply
// deadline, makes the sender retry.
func (run *Once) unclaimed(ctx context.Context, d *Delivery, p zsbot.Plan, refusal error) Result {
	run.opt.Metrics.countWriteRefusal(refusal)
	if zsbot.ErrorCode(refusal) != zsbot.EWRITE {
		return Result{Outcome: outUnavailable, Reason: "redis", Err: refusal}
	}
	run.opt.Logger.Warn("wecom: Redis refuses writes", "delivery", d.ID, "writes", !p.ReadOnly, "err", refusal)
	reply := zsbot.ErrorMessage(refusal)
	if p.ReadOnly {
		ctx, cancel := context.WithTimeout(ctx, run.opt.ReplyTimeout)
		var err error
		reply, err = run.respond(ctx, refusing{run.units, refusal}, d)
		cancel()
		if err != nil {
			return result{err: err}.answer()
		}
	}
	return result{reply: reply}.answer()
}
