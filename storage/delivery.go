package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// Delivery is the once-only record of one inbound WeCom delivery. The first
// delivery claims it as pending; when its command finishes the record keeps
// the reply, so retries answer the same reply and run nothing.
//
// A pending record names the Unit that claimed it and, when the Unit runs
// in a serving process (an Instance), that process's name and incarnation:
// a retry takes over a claim whose incarnation is no longer live (Begin).
// Wrote counts the writes the Unit made before its Commit; a claim with
// writes is never taken over, since running its command again would write
// them twice. Records of older versions (no Inst) are never taken over.
type Delivery struct {
	Owner   string `json:"owner,omitempty"`   // the Unit that claimed it, while pending
	Done    bool   `json:"done,omitempty"`    // the command has finished
	Reply   string `json:"reply,omitempty"`   // its reply ("" when there is none)
	Passive bool   `json:"passive,omitempty"` // the reply went back in the HTTP response, not by the outbox
	Inst    string `json:"inst,omitempty"`    // the instance running the Unit, while pending
	Inc     string `json:"inc,omitempty"`     // … and its incarnation
	Wrote   int    `json:"wrote,omitempty"`   // writes of the Unit before its Commit, while pending
}

// GetDelivery returns the record of delivery id, or ENOTFOUND when there is
// none (it expired or was released).
func (db *DB) GetDelivery(ctx context.Context, id string) (*Delivery, error) {
	v, err := db.rdb.Get(ctx, db.k.delivery(id)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "delivery %s not found", id)
	} else if err != nil {
		return nil, wrap("get delivery "+id, err)
	}
	return decodeDelivery(id, v)
}

func decodeDelivery(id, v string) (*Delivery, error) {
	var d Delivery
	if err := json.Unmarshal([]byte(v), &d); err != nil {
		return nil, fmt.Errorf("storage: delivery %s: %w", id, err)
	}
	return &d, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
