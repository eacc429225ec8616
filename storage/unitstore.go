package storage

import (
	"context"

	"zsbot"
)

// The Unit is a zsbot.Tx: the store and outbox of one delivery's command.
// Its reads first write a held change (settle), so that the command reads
// its own writes; Session, Names, People, Person and Company are answered
// from what Begin read, NextID from the reservation, and the record read
// ahead from the claim until the unit writes.
var _ zsbot.Tx = (*Unit)(nil)

// NextID hands out the ID Begin reserved when it is of kind, else
// allocates the next one as DB.NextID does.
func (u *Unit) NextID(ctx context.Context, kind zsbot.Kind) (string, error) {
	if id, ok := u.take(kind); ok {
		return id, nil
	}
	return u.db.NextID(ctx, kind)
}

// Apply holds c for Commit, which writes it with the delivery's record in
// one script, and returns "": the unit reports a conflict at Commit. A
// change that undoes another is written at once (its handler reads the
// undo stack after it), marking the claim written in the same script, and
// its audit entry's ID is returned.
func (u *Unit) Apply(ctx context.Context, c *zsbot.Change) (string, error) {
	if c.UndoOf == "" {
		return "", u.hold(ctx, c)
	}
	if err := u.settle(ctx); err != nil {
		return "", err
	}
	return u.write(ctx, c)
}

// Enqueue holds msgs for Commit, which queues them with the command's
// change and the delivery's record: a command that does not finish sends
// nothing, and its retry sends them once. It returns EINVALID (holding
// nothing) when a message cannot be sent, like Outbox.Enqueue.
func (u *Unit) Enqueue(_ context.Context, msgs ...*zsbot.Outgoing) error {
	for _, m := range msgs {
		if err := CheckOutgoing(m); err != nil {
			return err
		}
	}
	u.queue(msgs)
	return nil
}

// Session returns the sender and pick Begin read, the first time it is
// asked for the sender; else as DB.Session does.
func (u *Unit) Session(ctx context.Context, userID string) (*zsbot.Person, *zsbot.Pick, error) {
	if p, k, ok := u.session(userID); ok {
		return p, k, nil
	}
	return u.db.Session(ctx, userID)
}

// SavePick keeps a pending numbered choice, as DB.SavePick does.
func (u *Unit) SavePick(ctx context.Context, userID string, p *zsbot.Pick) error {
	return u.db.SavePick(ctx, userID, p)
}

// Person returns a registered person from the directory Begin brought up
// to date.
func (u *Unit) Person(_ context.Context, userID string) (*zsbot.Person, error) {
	if p := u.dir.person(userID); p != nil {
		return p, nil
	}
	return nil, zsbot.Errorf(zsbot.ENOTFOUND, "未找到 %s。", userID)
}

// People returns every registered person from the directory Begin brought
// up to date.
func (u *Unit) People(context.Context) ([]*zsbot.Person, error) {
	return u.dir.everyone(), nil
}

// Company returns a company from the directory Begin brought up to date.
func (u *Unit) Company(_ context.Context, id string) (*zsbot.Company, error) {
	if c := u.dir.company(id); c != nil {
		return c, nil
	}
	return nil, zsbot.Errorf(zsbot.ENOTFOUND, "未找到 %s。", id)
}

// Names returns every project and company from the directory Begin
// brought up to date; a project's Stage is only 终止 or "" for any live
// stage (read the project for more). The slices are shared: callers must
// not modify them.
func (u *Unit) Names(context.Context) (projects, companies []zsbot.NameRef, err error) {
	return u.dir.projects, u.dir.firms, nil
}

// Project returns a project by ID, from the claim when Begin read it ahead.
func (u *Unit) Project(ctx context.Context, id string) (*zsbot.Project, error) {
	return unitGet[zsbot.Project](ctx, u, zsbot.KindProject, id)
}

// Task returns a task by ID, from the claim when Begin read it ahead.
func (u *Unit) Task(ctx context.Context, id string) (*zsbot.Task, error) {
	return unitGet[zsbot.Task](ctx, u, zsbot.KindTask, id)
}

// Item returns a coordination item by ID, from the claim when Begin read
// it ahead.
func (u *Unit) Item(ctx context.Context, id string) (*zsbot.Item, error) {
	return unitGet[zsbot.Item](ctx, u, zsbot.KindItem, id)
}

// Activity returns an activity by ID.
func (u *Unit) Activity(ctx context.Context, id string) (*zsbot.Activity, error) {
	return unitGet[zsbot.Activity](ctx, u, zsbot.KindActivity, id)
}

// Payment returns a payment by ID.
func (u *Unit) Payment(ctx context.Context, id string) (*zsbot.Payment, error) {
	return unitGet[zsbot.Payment](ctx, u, zsbot.KindPayment, id)
}

// Increase returns an 增资 by ID.
func (u *Unit) Increase(ctx context.Context, id string) (*zsbot.Increase, error) {
	return unitGet[zsbot.Increase](ctx, u, zsbot.KindIncrease, id)
}

// Group returns a notice group by name.
func (u *Unit) Group(ctx context.Context, name string) (*zsbot.Group, error) {
	return unitGet[zsbot.Group](ctx, u, zsbot.KindGroup, name)
}

// unitGet reads one record of kind by ID after settling u: from what Begin
// read ahead when it can, else from the store.
func unitGet[T any](ctx context.Context, u *Unit, kind zsbot.Kind, id string) (*T, error) {
	if err := u.settle(ctx); err != nil {
		return nil, err
	}
	if raw, found, ok := u.readAhead(kind, id); ok {
		if !found {
			return nil, zsbot.Errorf(zsbot.ENOTFOUND, "未找到 %s。", id)
		}
		return decodeRecord[T](kind, id, raw)
	}
	return get[T](ctx, u.db, kind, id)
}
