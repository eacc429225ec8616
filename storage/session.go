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
// or drops it. A Unit answers from what Begin read. When Redis refuses
// writes (RefusalCause: the script takes the choice, a write) the sender
// is still read and the choice is neither taken nor returned: a read
// answers without it.
func (db *DB) Session(ctx context.Context, userID string) (*zsbot.Person, *zsbot.Pick, error) {
	res, err := sessionScript.Run(ctx, db.rdb, []string{db.k.records(zsbot.KindPerson), db.k.pick(userID)}, userID).Slice()
	if err != nil && RefusalCause(wrap("session", err)) != "" {
		raw, herr := db.rdb.HGet(ctx, db.k.records(zsbot.KindPerson), userID).Result()
		if herr != nil && !errors.Is(herr, redis.Nil) {
			return nil, nil, wrap("session", herr)
		}
		res, err = []any{nil, nil}, nil
		if herr == nil {
			res[0] = raw
		}
	}
	if err != nil {
		return nil, nil, wrap("session", err)
	}
	return decodeSession(userID, res)
}

// decodeSession decodes what session_read returned: {person, pick}, each a
// string or absent.
func decodeSession(userID string, res []any) (*zsbot.Person, *zsbot.Pick, error) {
	if len(res) < 2 {
		return nil, nil, fmt.Errorf("storage: session %s: %d values", userID, len(res))
	}
	var person *zsbot.Person
	if s, ok := res[0].(string); ok {
		person = &zsbot.Person{}
		if err := json.Unmarshal([]byte(s), person); err != nil {
			return nil, nil, fmt.Errorf("storage: decode person %s: %w", userID, err)
		}
	}
	var pick *zsbot.Pick
	if s, ok := res[1].(string); ok {
		pick = &zsbot.Pick{}
		if err := json.Unmarshal([]byte(s), pick); err != nil {
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
