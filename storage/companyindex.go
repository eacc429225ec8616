package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// The index of activities by company (idxCompanyActivities) came after the
// first activities were written. Apply keeps it for every activity it
// writes; the activities written before it are added by the first read
// that finds the index not yet marked built (a bureau kept since, or
// restored from a backup made before it): it adds every stored activity,
// then sets the mark. Adding is idempotent, so two instances may both do
// it. An entry that a change made while the build ran leaves stale (the
// activity moved to another company in between) is dropped on read.

// idxCompanyBuilt is the key that marks the index by company built.
func idxCompanyBuilt() string { return "activity:c:built" }

// companyBuildBatch is how many activities one HSCAN of the build reads.
const companyBuildBatch = 1000

// CompanyActivities returns a company's activities by date.
func (db *DB) CompanyActivities(ctx context.Context, company string) ([]*zsbot.Activity, error) {
	if err := db.buildCompanyIndex(ctx); err != nil {
		return nil, err
	}
	acts, err := rangeRecords[zsbot.Activity](ctx, db, zsbot.KindActivity, idxCompanyActivities(company), minDate, maxDate, false, 0)
	if err != nil {
		return nil, err
	}
	out := acts[:0]
	for _, a := range acts {
		if a.Company == company {
			out = append(out, a)
		}
	}
	return out, nil
}

// buildCompanyIndex adds every stored activity to the index by company,
// unless the index is marked built.
func (db *DB) buildCompanyIndex(ctx context.Context) error {
	mark := db.k.index(idxCompanyBuilt())
	if n, err := db.rdb.Exists(ctx, mark).Result(); err != nil {
		return wrap("company index", err)
	} else if n == 1 {
		return nil
	}
	var cursor uint64
	for {
		kv, next, err := db.rdb.HScan(ctx, db.k.records(zsbot.KindActivity), cursor, "", companyBuildBatch).Result()
		if err != nil {
			return wrap("company index scan", err)
		}
		pipe := db.rdb.Pipeline()
		for i := 0; i+1 < len(kv); i += 2 {
			var a zsbot.Activity
			if err := json.Unmarshal([]byte(kv[i+1]), &a); err != nil {
				return fmt.Errorf("storage: company index: activity %s: %w", kv[i], err)
			}
			if a.Company != "" && !a.Date.IsZero() {
				pipe.ZAdd(ctx, db.k.index(idxCompanyActivities(a.Company)), redis.Z{Score: float64(a.Date), Member: kv[i]})
			}
		}
		if pipe.Len() > 0 {
			if _, err := pipe.Exec(ctx); err != nil {
				return wrap("company index add", err)
			}
		}
		if cursor = next; cursor == 0 {
			break
		}
	}
	return wrap("company index mark", db.rdb.Set(ctx, mark, "1", 0).Err())
}
