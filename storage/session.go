package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// Session returns the sender (nil when not registered) and takes their
// pending numbered choice (nil when none) in one round trip. Taking the
// choice cancels it: any message after a numbered list either picks from it
// or drops it. A Unit answers from what Begin read.
func (db *DB) Session(ctx context.Context, userID string) (*zsbot.Person, *zsbot.Pick, error) {
	pipe := db.rdb.Pipeline()
	pc := pipe.HGet(ctx, db.k.records(zsbot.KindPerson), userID)
	kc := pipe.GetDel(ctx, db.k.pick(userID))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, wrap("session", err)
	}
	var person *zsbot.Person
	if b, err := pc.Bytes(); err == nil {
		person = &zsbot.Person{}
		if err := json.Unmarshal(b, person); err != nil {
			return nil, nil, fmt.Errorf("storage: decode person %s: %w", userID, err)
		}
	}
	var pick *zsbot.Pick
	if b, err := kc.Bytes(); err == nil {
		pick = &zsbot.Pick{}
		if err := json.Unmarshal(b, pick); err != nil {
			pick = nil // a malformed choice is as good as none
		}
	}
	return person, pick, nil
}

// SavePick keeps a pending numbered choice for zsbot.PickTTL.
func (db *DB) SavePick(ctx context.Context, userID string, p *zsbot.Pick) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("storage: encode pick: %w", err)
	}
	if err := db.rdb.Set(ctx, db.k.pick(userID), b, zsbot.PickTTL).Err(); err != nil {
		return wrap("save pick", err)
	}
	return nil
}
