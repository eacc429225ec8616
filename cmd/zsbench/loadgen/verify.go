package loadgen

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"zsbot/bot"
	"zsbot/storage"
)

// Verified is what Verify found.
type Verified struct {
	Acks, Writes int   // acknowledged messages, and those that confirmed a write
	Missing      []Ack // acknowledged writes with no audit entry
	Twice        []Ack // acknowledged writes with more than one audit entry
	Duplicates   int   // deliveries of any message with more than one audit entry
	Unacked      int   // audit entries of deliveries not in the acks (written, answer lost)
	Audited      int   // deliveries in the audit stream
}

// OK reports whether every acknowledged write is stored exactly once and
// no message was written twice.
func (v *Verified) OK() bool { return len(v.Missing) == 0 && len(v.Twice) == 0 && v.Duplicates == 0 }

// Verify reads acks (JSON lines written by a run) and checks them against
// the bureau's audit stream in db: every acknowledged write has exactly one
// audit entry naming its delivery, and no delivery has two.
func Verify(ctx context.Context, db *storage.DB, acks io.Reader) (*Verified, error) {
	audited, err := db.AuditedDeliveries(ctx)
	if err != nil {
		return nil, err
	}
	v := &Verified{Audited: len(audited)}
	for _, n := range audited {
		if n > 1 {
			v.Duplicates++
		}
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(acks)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var a Ack
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("loadgen: acks: %w", err)
		}
		v.Acks++
		seen[bot.MessageDelivery(a.User, a.MsgID)] = true
		if !a.Write {
			continue
		}
		v.Writes++
		switch audited[bot.MessageDelivery(a.User, a.MsgID)] {
		case 0:
			v.Missing = append(v.Missing, a)
		case 1:
		default:
			v.Twice = append(v.Twice, a)
		}
	}
	for id := range audited {
		if !seen[id] {
			v.Unacked++
		}
	}
	return v, sc.Err()
}

// Format writes the verification's summary.
func (v *Verified) Format(w io.Writer) {
	fmt.Fprintf(w, "verify: %d acknowledged messages, %d of them writes; %d deliveries audited\n", v.Acks, v.Writes, v.Audited)
	fmt.Fprintf(w, "  acknowledged writes missing from the audit: %d; audited twice: %d; deliveries audited twice: %d\n",
		len(v.Missing), len(v.Twice), v.Duplicates)
	fmt.Fprintf(w, "  audited deliveries never acknowledged (written, answer lost): %d\n", v.Unacked)
	for i, a := range v.Missing {
		if i == 5 {
			break
		}
		fmt.Fprintf(w, "  missing: %s %s %q → %q\n", a.MsgID, a.User, a.Text, a.Reply)
	}
}
