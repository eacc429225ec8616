package storage

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// A Unit is one WeCom delivery's work in the store, done in as few round
// trips as a command allows. Begin claims the delivery's once-only record
// and, in the same script, reads the sender and their pending choice,
// brings the directory up to date and reserves the ID the command will
// most likely allocate. The command then runs with the Unit's Context: the
// store answers Session, Names, People, Person and Company from what Begin
// read, NextID from the reservation, and holds the command's Apply. Commit
// writes the held change, the audit entry (naming the delivery) and the
// delivery's finished record in one script; Release forgets the claim.
type Unit struct {
	db   *DB
	id   string // the delivery's id ("m:123")
	ttl  time.Duration
	user string
	dir  *directory
	// pending is the claim's value: a pending record naming this unit, so
	// that Release removes only its own claim.
	pending string

	mu       sync.Mutex
	person   *zsbot.Person
	pick     *zsbot.Pick
	answered bool       // Session has been answered from the claim
	reserved string     // the reserved ID ("A12"); "" when none
	kind     zsbot.Kind // its kind
	taken    bool       // NextID has handed the reserved ID out
	held     *zsbot.Change
	written  bool // a change of this unit has been written
}

// Claim is what Begin claims and reads.
type Claim struct {
	Delivery string        // the delivery's id (Inbound.DeliveryID)
	TTL      time.Duration // lifetime of its once-only record
	User     string        // the sender whose session to read; "" for none
	Reserve  zsbot.Kind    // the kind of ID to reserve; "" for none
}

// beginScript: KEYS delivery, the directory's keys, pick, seq; ARGV pending
// record, ttl ms, user ("" = none), the directory version held, reserve
// ("1" or "0"). It returns {0, record} for a delivery already claimed, else
// {1, pick, reserved number, directory changes}. The sender is in the
// directory.
var beginScript = redis.NewScript(dirLua + `
local old = redis.call('SET', KEYS[1], ARGV[1], 'NX', 'GET', 'PX', ARGV[2])
if old then return {0, old} end
local pick, id = false, false
if ARGV[3] ~= '' then pick = redis.call('GETDEL', KEYS[7]) end
if ARGV[5] == '1' then id = redis.call('INCR', KEYS[8]) end
return {1, pick, id, dir_read(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], ARGV[4])}
`)

// Begin claims the delivery c.Delivery for c.TTL in one round trip. It
// returns the Unit when the caller now owns the delivery and must run its
// command; otherwise the record (pending or done) of an earlier delivery
// of the same message, and a nil Unit. On an error the claim may or may
// not have been made: the Unit returned beside the error can only
// Release it.
func (db *DB) Begin(ctx context.Context, c Claim) (*Unit, *Delivery, error) {
	return db.begin(ctx, c, rand.Text())
}

// begin is Begin for the unit named owner (base32: it needs no escaping
// in the JSON of the record).
func (db *DB) begin(ctx context.Context, c Claim, owner string) (*Unit, *Delivery, error) {
	u := &Unit{db: db, id: c.Delivery, ttl: c.TTL, user: c.User, pending: `{"owner":"` + owner + `"}`}
	base := db.directory()
	seqKind := c.Reserve
	if seqKind == "" {
		seqKind = zsbot.KindActivity // a key is needed; it is not touched
	}
	keys := append([]string{db.k.delivery(c.Delivery)}, dirKeys(db.k)...)
	keys = append(keys, db.k.pick(c.User), db.k.seq(seqKind))
	reserve := "0"
	if c.Reserve != "" && c.Reserve.IDPrefix() != "" {
		reserve = "1"
	}
	res, err := beginScript.Run(ctx, db.rdb, keys, u.pending, c.TTL.Milliseconds(), c.User, base.version, reserve).Slice()
	if err != nil {
		return u, nil, wrap("begin "+c.Delivery, err)
	}
	if n, _ := res[0].(int64); n == 0 || len(res) < 4 {
		s, _ := res[1].(string)
		if s == u.pending {
			// The client sent the script again after losing its first answer:
			// the claim is this unit's, the pick and the reservation are lost.
			return u, nil, u.reclaim(ctx, base)
		}
		d, err := decodeDelivery(c.Delivery, s)
		return nil, d, err
	}
	if s, ok := res[1].(string); ok {
		u.pick = &zsbot.Pick{}
		if json.Unmarshal([]byte(s), u.pick) != nil {
			u.pick = nil // a malformed choice is as good as none
		}
	}
	if n, ok := res[2].(int64); ok {
		u.reserved, u.kind = c.Reserve.IDPrefix()+strconv.FormatInt(n, 10), c.Reserve
	}
	changes, _ := res[3].([]any)
	if u.dir, err = db.catchUp(base, changes); err != nil {
		return u, nil, err
	}
	if c.User != "" {
		u.person = u.dir.person(c.User)
	}
	return u, nil, nil
}

// dirScript reads the directory's changes: KEYS the directory's keys, ARGV
// the version held.
var dirScript = redis.NewScript(dirLua + `return dir_read(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], ARGV[1])`)

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

// unitKey is the context key of a Unit.
type unitKey struct{}

// Context returns ctx carrying u: the store's methods called with it read
// and write through u.
func (u *Unit) Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, unitKey{}, u)
}

// unitOf returns the Unit of db that ctx carries, or nil.
func unitOf(ctx context.Context, db *DB) *Unit {
	u, _ := ctx.Value(unitKey{}).(*Unit)
	if u == nil || u.db != db {
		return nil
	}
	return u
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

// settle writes the held change now, before a read that might need it.
func (u *Unit) settle(ctx context.Context) error {
	u.mu.Lock()
	c := u.held
	u.held = nil
	u.mu.Unlock()
	if c == nil {
		return nil
	}
	if _, err := u.db.applyWith(ctx, c, nil); err != nil {
		return err
	}
	u.mu.Lock()
	u.written = true
	u.mu.Unlock()
	return nil
}

// settle writes the held change of the Unit ctx carries, if any: every
// read of the store calls it, so that a command reads its own writes.
func (db *DB) settle(ctx context.Context) error {
	if u := unitOf(ctx, db); u != nil {
		return u.settle(ctx)
	}
	return nil
}
