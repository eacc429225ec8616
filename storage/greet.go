package storage

import (
	"context"
	"time"
)

// GreetTTL is how long a greeting's claim lives: past the end of its day
// in any zone.
const GreetTTL = 48 * time.Hour

// ClaimGreeting claims the greeting of user on day ("2006-01-02"), shared
// by all instances: true the first time, false once claimed.
func (db *DB) ClaimGreeting(ctx context.Context, user, day string) (bool, error) {
	ok, err := db.rdb.SetNX(ctx, db.k.greeting(day, user), 1, GreetTTL).Result()
	if err != nil {
		return false, wrap("greeting claim", err)
	}
	return ok, nil
}
