package storage

import (
	"context"
	"strconv"
	"strings"
	"time"

	"zsbot"
)

// Commit ends the unit: it writes the held change (if any) with its audit
// entry naming the delivery, and the delivery's finished record d (for
// the unit's TTL), and queues later (the reply that could not go back in
// the HTTP response) and the messages the command queued (Outbox.Enqueue
// in the unit's context), as enqueued at at — in one script, all or
// nothing. A change dropped after a conflict takes its messages with it.
// It returns ECONFLICT, having written nothing, when the held change no
// longer matches the store; the caller then commits again with the reply
// that says so (the change is dropped). It returns ErrInstanceLapsed (code
// EUNAVAILABLE), having written nothing, when the unit's instance is no
// longer live, so that a retry may have taken the claim over: the script
// checks it, so no command is ever committed twice.
func (u *Unit) Commit(ctx context.Context, d Delivery, at time.Time, later ...*zsbot.Outgoing) error {
	d.Done = true
	u.mu.Lock()
	c, queued := u.held, u.queued
	u.held, u.queued = nil, nil
	u.mu.Unlock()
	end := u.ending(c != nil)
	end.value = mustJSON(d)
	end.fence(u)
	var err error
	if end.items, err = u.db.newItems(ctx, at, append(queued, later...)); err != nil {
		return err
	}
	if _, err := u.db.applyWith(ctx, c, end); err != nil {
		return u.lapsedOr(ctx, err)
	}
	if c != nil {
		u.mu.Lock()
		u.written = true
		u.mu.Unlock()
	}
	return nil
}

// Written reports whether a change of the unit has been written (or may
// have been): a Release then keeps the claim, and the change stands.
func (u *Unit) Written() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.written
}

// Drop forgets the held change and the messages queued: the command failed
// after them.
func (u *Unit) Drop() {
	u.mu.Lock()
	u.held, u.queued = nil, nil
	u.mu.Unlock()
}

// Release forgets the claim if it is still this unit's pending claim (not
// a finished record: a Commit whose answer was lost may have written it;
// nor the claim of a retry that took it over), so that WeCom's next retry
// runs the command again; the held change is dropped. When a change of the
// unit has already been written, Release keeps the claim and returns nil:
// running the command again would write it twice.
func (u *Unit) Release(ctx context.Context) error {
	u.Drop()
	u.mu.Lock()
	written := u.written
	u.mu.Unlock()
	if written {
		return nil
	}
	_, err := u.db.applyWith(ctx, nil, u.ending(false))
	return err
}

// ending is the end of u: its record's key and, when the reserved ID was
// not used, its return. A change about to be written uses the ID if NextID
// handed it out.
func (u *Unit) ending(writing bool) *ending {
	u.mu.Lock()
	defer u.mu.Unlock()
	e := &ending{deliveryID: u.id, key: u.db.k.delivery(u.id), ttl: u.ttl, pending: u.pending}
	if u.reserved != "" && (!u.taken || !writing && !u.written) {
		e.seqKey, e.giveBack = u.db.k.seq(u.kind), strings.TrimPrefix(u.reserved, u.kind.IDPrefix())
	}
	return e
}

// ending is what a Unit writes when it ends, in the script of its change.
type ending struct {
	deliveryID string // named in the audit entry
	key        string // the once-only record
	value      string // its finished value; "" removes it …
	pending    string // … if it still holds this pending value
	ttl        time.Duration
	items      []*OutboxItem // the late reply
	seqKey     string        // the counter of an unused reserved ID …
	giveBack   string        // … and its number, returned if nothing came after it
	live, inc  string        // the liveness entry of the unit's instance and its incarnation: nothing is written unless the entry still names it
}

// fence makes e write nothing unless u's incarnation is still the live
// one of its instance (when u runs in one): a claim is taken over only
// once it is not, so a unit whose claim was taken over writes nothing.
func (e *ending) fence(u *Unit) {
	if u.inst != nil {
		e.live, e.inc = u.inst.key, u.inst.inc
	}
}

// delivery returns the delivery's id, "" without an ending.
func (e *ending) delivery() string {
	if e == nil {
		return ""
	}
	return e.deliveryID
}

// doneCheck returns the leading arguments of applyScript: the key and
// finished value of the once-only record, by which a run of the script
// that the client sent again (its first answer lost) finds that it has
// run already; "0" and "" when e writes no finished record.
func (e *ending) doneCheck(s *script) [2]any {
	if e == nil || e.value == "" {
		return [2]any{"0", ""}
	}
	return [2]any{s.key(e.key), e.value}
}

// ops adds e's writes to s.
func (e *ending) ops(db *DB, s *script) {
	if e == nil {
		return
	}
	if e.live != "" {
		s.check(e.live, "inc", []byte(e.inc))
	}
	if e.value == "" {
		s.op("DELIF", e.key, e.pending)
	} else {
		s.op("SETPX", e.key, e.value, strconv.FormatInt(e.ttl.Milliseconds(), 10))
	}
	for _, it := range e.items {
		id := strconv.FormatInt(it.ID, 10)
		s.op("HSET", db.k.outboxMsgs(), id, mustJSON(it))
		s.op("ZADD", db.k.outboxQueue(), id, id)
	}
	if e.giveBack != "" {
		s.op("GIVEBACK", e.seqKey, e.giveBack)
	}
}

// Rerun readies u to run its command again after its Commit was refused
// with NameTaken: the held change and messages are dropped, the reserved
// ID and the session read at Begin are handed out again, and the
// directory is brought up to date, so that the command now finds the
// company that claimed the name. It refuses (returning the error) a unit
// that has written a change already.
func (u *Unit) Rerun(ctx context.Context) error {
	u.mu.Lock()
	if u.written {
		u.mu.Unlock()
		return zsbot.Errorf(zsbot.ECONFLICT, "同名企业刚由他人登记，本条未记录，请重发一次。")
	}
	u.held, u.queued = nil, nil
	u.taken, u.answered = false, false
	u.mu.Unlock()
	base := u.dir
	changes, err := dirScript.Run(ctx, u.db.rdb, dirKeys(u.db.k), base.version).Slice()
	if err != nil {
		return wrap("rerun "+u.id, err)
	}
	dir, err := u.db.catchUp(base, changes)
	if err != nil {
		return err
	}
	u.dir = dir // the command is not running: no read of u.dir races this
	return nil
}
