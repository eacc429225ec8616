package zsbot

import (
	"context"
	"time"
)

// Message is one chat message as a transport received it.
type Message struct {
	ID   string    // the transport's message id (WeCom MsgId); "" in the console
	From string    // the sender's WeCom userid
	Text string    // the raw text as typed
	At   time.Time // when it arrived; the handlers' clock for this message
	// Chat is the group chat the message came from and ChatType its kind
	// (WeCom's chatid and chattype, "group" say); both empty for the app's
	// one-to-one chat and the console.
	Chat     string
	ChatType string
}

// Responder turns a message into a reply. handlers.Mux implements it; the
// console and the WeCom callback are its transports.
type Responder interface {
	// Respond returns the reply text for m, reading and writing through tx,
	// the message's unit of work, which the transport began and commits
	// with the reply. User mistakes are replies, not errors. A non-nil
	// error (code EUNAVAILABLE) means the message could not be processed
	// at all: the transport drops what tx holds and makes the sender retry
	// (WeCom: answer 503).
	Respond(ctx context.Context, tx Tx, m *Message) (string, error)
}

// Plan is what a command will most likely do, as its text alone tells:
// the kind of ID it allocates and the record it reads first ("" for
// none), and whether it surely writes nothing. A transport claims the
// message, reserves that ID and reads that record in one round trip; a
// wrong guess costs a field read, and the command reads what it needs.
type Plan struct {
	Reserve Kind
	Read    Kind
	ReadID  string
	// ReadOnly is true when the command writes nothing, so that it may run
	// without its once-only claim while the store refuses writes (the
	// zero value, false, is the safe guess).
	ReadOnly bool
}

// Planner is a Responder that can plan a command from its text
// (handlers.Mux).
type Planner interface {
	Plan(text string) Plan
}

// Greeter is a Responder that greets a member who opens the app
// (handlers.Mux).
type Greeter interface {
	// Greet returns the greeting for m.From — the commands they may use,
	// by their role — and the day it counts for in the bureau's zone
	// ("2006-01-02"): a transport greets a member once a day.
	Greet(ctx context.Context, tx Tx, m *Message) (text, day string, err error)
}
