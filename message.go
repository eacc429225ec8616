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
}

// Responder turns a message into a reply. handlers.Mux implements it; the
// console and the WeCom callback are its transports.
type Responder interface {
	// Respond returns the reply text for m. User mistakes are replies, not
	// errors. A non-nil error (code EUNAVAILABLE) means the message could not
	// be processed at all and nothing was written: the transport should make
	// the sender retry (WeCom: answer 503).
	Respond(ctx context.Context, m *Message) (string, error)
}
