package storage

import (
	"context"
	"crypto/rand"
	"strconv"
	"sync"
	"time"

	"zsbot"
)

// A Unit is one WeCom delivery's work in the store, done in as few round
// trips as a command allows. Begin claims the delivery's once-only record
// and, in the same script, reads the sender and their pending choice,
// brings the directory up to date and reserves the ID the command will
// most likely allocate. The Unit is a zsbot.Tx, the store and outbox the
// command runs with: it answers Session, Names, People, Person and Company
// from what Begin read, NextID from the reservation, and holds the
// command's Apply and Enqueue (unitstore.go). Commit
// writes the held change, the audit entry (naming the delivery) and the
// delivery's finished record in one script; Release forgets the claim.
type Unit struct {
	db   *DB
	id   string // the delivery's id ("m:123")
	ttl  time.Duration
	user string
	dir  *directory
	// owner names this unit in its claim; inst is the incarnation of the
	// serving process it runs in (nil for none), which its writes check.
	owner string
	inst  *incarnation
	// tookOver names the instance whose claim Begin took over ("" for none).
	tookOver string

	mu sync.Mutex
	// pending is the claim's value: a pending record naming this unit, so
	// that Release removes only its own claim. It changes when the unit
	// marks the claim written.
	pending string
	wrote   int // writes made before Commit, as the claim counts them

	person   *zsbot.Person
	pick     *zsbot.Pick
	answered bool       // Session has been answered from the claim
	reserved string     // the reserved ID ("A12"); "" when none
	kind     zsbot.Kind // its kind
	taken    bool       // NextID has handed the reserved ID out
	held     *zsbot.Change
	queued   []*zsbot.Outgoing // messages the command queued, written by Commit
	ahead    *readAhead        // the record Begin read for the command (Claim.Read)
	written  bool              // a change of this unit has been written (or may have been: the claim is marked)
}

// Claim is what Begin claims and reads.
type Claim struct {
	Delivery string        // the delivery's id (Inbound.DeliveryID)
	TTL      time.Duration // lifetime of its once-only record
	User     string        // the sender whose session to read; "" for none
	Reserve  zsbot.Kind    // the kind of ID to reserve; "" for none
	// Instance is the serving process that will run the command (nil for
	// none): the claim names it, so that a retry takes the claim over once
	// the process is dead, and the Unit's writes check it is still live.
	Instance *Instance
	// Read and ReadID name the record the command will most likely read
	// first (its project, say: handlers.Mux.Plan); "" for none. The claim
	// reads it in the same round trip, and the store answers the command's
	// read of it from there (until the unit writes).
	Read   zsbot.Kind
	ReadID string
}

// Begin claims the delivery c.Delivery for c.TTL in one round trip. It
// returns the Unit when the caller now owns the delivery and must run its
// command; otherwise the record (pending or done) of an earlier delivery
// of the same message, and a nil Unit. A pending record whose instance is
// dead and whose unit wrote nothing is taken over: Begin returns a Unit
// (TookOver names the dead instance). On an error the claim may or may
// not have been made: the Unit returned beside the error can only
// Release it.
func (db *DB) Begin(ctx context.Context, c Claim) (*Unit, *Delivery, error) {
	return db.begin(ctx, c, rand.Text())
}

// begin is Begin for the unit named owner (base32: it needs no escaping
// in the JSON of the record).
func (db *DB) begin(ctx context.Context, c Claim, owner string) (*Unit, *Delivery, error) {
	u := &Unit{db: db, id: c.Delivery, ttl: c.TTL, user: c.User, owner: owner, inst: c.Instance.current()}
	if u.inst != nil {
		u.pending = `{"owner":"` + owner + u.inst.suffix
	} else {
		u.pending = `{"owner":"` + owner + `"}`
	}
	base := db.directory()
	seqKind := c.Reserve
	if seqKind == "" {
		seqKind = zsbot.KindActivity // a key is needed; it is not touched
	}
	keys := append([]string{db.k.delivery(c.Delivery)}, dirKeys(db.k)...)
	keys = append(keys, db.k.pick(c.User), db.k.seq(seqKind), db.k.records(zsbot.KindPerson))
	if c.Read != "" && c.ReadID != "" {
		keys = append(keys, db.k.records(c.Read))
		if c.Read == zsbot.KindTask || c.Read == zsbot.KindItem {
			// Its project too: who may close a task or resolve an item
			// depends on the project (handlers' access rule).
			keys = append(keys, db.k.records(zsbot.KindProject))
		}
	}
	reserve := "0"
	if c.Reserve != "" && c.Reserve.IDPrefix() != "" {
		reserve = "1"
	}
	res, err := beginScript.Run(ctx, db.rdb, keys, u.pending, c.TTL.Milliseconds(), c.User, base.version, reserve, db.k.live(""), c.ReadID).Slice()
	if err != nil {
		return u, nil, wrap("begin "+c.Delivery, err)
	}
	if n, _ := res[0].(int64); n == 0 || len(res) < 5 {
		s, _ := res[1].(string)
		if s == u.pending {
			// The client sent the script again after losing its first answer:
			// the claim is this unit's, the pick and the reservation are lost.
			return u, nil, u.reclaim(ctx, base)
		}
		d, err := decodeDelivery(c.Delivery, s)
		return nil, d, err
	}
	if c.User != "" && len(res) > 6 {
		if u.person, u.pick, err = decodeSession(c.User, []any{res[6], res[1]}); err != nil {
			return u, nil, err
		}
	}
	if n, ok := res[2].(int64); ok {
		u.reserved, u.kind = c.Reserve.IDPrefix()+strconv.FormatInt(n, 10), c.Reserve
	}
	if s, ok := res[4].(string); ok {
		if d, err := decodeDelivery(c.Delivery, s); err == nil {
			u.tookOver = d.Inst
		}
	}
	if len(res) > 5 && len(keys) > 9 {
		if rd, ok := res[5].([]any); ok && len(rd) >= 1 {
			raw, found := rd[0].(string)
			u.ahead = &readAhead{kind: c.Read, id: c.ReadID, raw: raw, found: found}
			if len(rd) == 3 {
				id, _ := rd[1].(string)
				raw, found := rd[2].(string)
				u.ahead.next = &readAhead{kind: zsbot.KindProject, id: id, raw: raw, found: found}
			}
		}
	}
	changes, _ := res[3].([]any)
	if u.dir, err = db.catchUp(base, changes); err != nil {
		return u, nil, err
	}
	return u, nil, nil
}

// readAhead is a record Begin read ahead of the command: its stored JSON,
// or found false when there is none.
type readAhead struct {
	kind  zsbot.Kind
	id    string
	raw   string
	found bool
	next  *readAhead // a task's or item's project, read with it
}

// readAhead returns the stored value of the record kind/id as Begin read
// it, when it did and the unit has written nothing since (a write of its
// own may have changed it). ok is false when the store must read it.
func (u *Unit) readAhead(kind zsbot.Kind, id string) (raw string, found, ok bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.written {
		return "", false, false
	}
	for a := u.ahead; a != nil; a = a.next {
		if a.kind == kind && a.id == id {
			return a.raw, a.found, true
		}
	}
	return "", false, false
}

// TookOver names the instance whose claim Begin took over, because it had
// died with the command unfinished and nothing written; "" for a fresh
// claim.
func (u *Unit) TookOver() string { return u.tookOver }

// reclaim completes a Begin whose claim was made by an earlier run of its
// script: it reads the directory and the sender again.
func (u *Unit) reclaim(ctx context.Context, base *directory) error {
	changes, err := dirScript.Run(ctx, u.db.rdb, dirKeys(u.db.k), base.version).Slice()
	if err != nil {
		return wrap("begin "+u.id, err)
	}
	if u.dir, err = u.db.catchUp(base, changes); err != nil {
		return err
	}
	if u.user != "" {
		u.person = u.dir.person(u.user)
	}
	return nil
}

// session returns the sender and pick Begin read, once, for userID.
func (u *Unit) session(userID string) (*zsbot.Person, *zsbot.Pick, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.answered || userID != u.user || u.user == "" {
		return nil, nil, false
	}
	u.answered = true
	return u.person, u.pick, true
}

// take hands out the reserved ID if it is of kind.
func (u *Unit) take(kind zsbot.Kind) (string, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.reserved == "" || u.taken || kind != u.kind {
		return "", false
	}
	u.taken = true
	return u.reserved, true
}

// hold keeps c for Commit. A unit holds one change: an earlier one is
// written first.
func (u *Unit) hold(ctx context.Context, c *zsbot.Change) error {
	if err := u.settle(ctx); err != nil {
		return err
	}
	u.mu.Lock()
	u.held = c
	u.mu.Unlock()
	return nil
}

// queue keeps msgs for Commit, which queues them with the command's change
// and the delivery's record: a command that does not finish sends nothing,
// and its retry sends them once.
func (u *Unit) queue(msgs []*zsbot.Outgoing) {
	u.mu.Lock()
	u.queued = append(u.queued, msgs...)
	u.mu.Unlock()
}

// settle writes the held change now, before a read that might need it.
// The same script marks the claim written, so that no retry takes it over
// and runs the command again, and checks that the unit's instance is
// still live.
func (u *Unit) settle(ctx context.Context) error {
	u.mu.Lock()
	c := u.held
	u.held = nil
	u.mu.Unlock()
	if c == nil {
		return nil
	}
	_, err := u.write(ctx, c)
	return err
}

// write writes c now, before Commit, marking the claim written in the
// same script (so that no retry takes it over and runs the command again)
// and checking that the unit's instance is still live.
func (u *Unit) write(ctx context.Context, c *zsbot.Change) (string, error) {
	end, n := u.marking()
	id, err := u.db.applyWith(ctx, c, end)
	if err != nil {
		return "", u.lapsedOr(ctx, err)
	}
	u.marked(end.value, n)
	return id, nil
}

// marking returns the ending that marks the claim with one more write (n),
// written with a change made before Commit. Its audit entry names no
// delivery, as before the claim was marked: the Commit's names it.
func (u *Unit) marking() (*ending, int) {
	u.mu.Lock()
	n := u.wrote + 1
	u.mu.Unlock()
	d := Delivery{Owner: u.owner, Wrote: n}
	if u.inst != nil {
		d.Inst, d.Inc = u.inst.name, u.inst.inc
	}
	e := &ending{key: u.db.k.delivery(u.id), value: mustJSON(d), ttl: u.ttl}
	e.fence(u)
	return e, n
}

// marked records that the claim now holds pending, with n writes.
func (u *Unit) marked(pending string, n int) {
	u.mu.Lock()
	u.pending, u.wrote, u.written = pending, n, true
	u.mu.Unlock()
}

// lapsed is the error of a write refused because the claim may have been
// taken over.
func (u *Unit) lapsed() error {
	name := ""
	if u.inst != nil {
		name = u.inst.name
	}
	return &instanceLapsed{name}
}

// lapsedOr returns err, or ErrInstanceLapsed when err is the refusal of a
// write because the unit's incarnation is no longer live (the script's
// check reports it as a conflict).
func (u *Unit) lapsedOr(ctx context.Context, err error) error {
	if u.inst == nil || zsbot.ErrorCode(err) != zsbot.ECONFLICT {
		return err
	}
	if live, lerr := u.db.live(ctx, u.inst); lerr != nil {
		return lerr
	} else if !live {
		return u.lapsed()
	}
	return err
}
