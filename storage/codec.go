package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"zsbot"
)

// decoded remembers recently decoded records by their stored JSON. Decoding
// JSON is most of the CPU of a read, and most reads decode records that have
// not changed since the last read (a project's card, a report's projects).
// Only kinds whose records hold no slices or maps are kept, so that a copy
// of the struct shares nothing with the cached value; every caller gets its
// own copy. The cache is keyed by the bytes themselves, so it is never
// stale, and is emptied when it reaches decodedMax entries.
var decoded = struct {
	sync.Mutex
	m map[string]any // stored JSON → *T
}{m: map[string]any{}}

// decodedMax bounds the cache (a few megabytes of projects and activities).
const decodedMax = 1 << 14

// decodeJSON decodes one stored record into a new T.
func decodeJSON[T any](raw string) (*T, error) {
	r := new(T)
	if !cacheable(r) {
		return r, json.Unmarshal([]byte(raw), r)
	}
	decoded.Lock()
	v, ok := decoded.m[raw]
	decoded.Unlock()
	if c, isT := v.(*T); ok && isT {
		*r = *c
		return r, nil
	}
	if err := json.Unmarshal([]byte(raw), r); err != nil {
		return nil, err
	}
	c := *r
	decoded.Lock()
	if len(decoded.m) >= decodedMax {
		clear(decoded.m)
	}
	decoded.m[raw] = &c
	decoded.Unlock()
	return r, nil
}

// cacheable reports whether records like r hold no slices or maps.
func cacheable(r any) bool {
	switch r.(type) {
	case *zsbot.Project, *zsbot.Activity, *zsbot.Payment, *zsbot.Increase, *zsbot.Task, *zsbot.Item:
		return true
	}
	return false
}

// parallelDecode is the number of records above which decodeAll spreads
// JSON decoding over the processors (a year's ledger holds tens of thousands).
const parallelDecode = 2048

// decodeAll decodes stored records, skipping the missing (nil) ones and
// keeping the order of vals.
func decodeAll[T any](kind zsbot.Kind, vals []any) ([]*T, error) {
	out := make([]*T, len(vals))
	workers := min(runtime.GOMAXPROCS(0), (len(vals)+parallelDecode-1)/parallelDecode)
	if workers <= 1 {
		if err := decodeRange(kind, vals, out); err != nil {
			return nil, err
		}
		return compact(out), nil
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	chunk := (len(vals) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(vals))
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = decodeRange(kind, vals[lo:hi], out[lo:hi])
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return compact(out), nil
}

// decodeRange decodes vals into out, leaving nil where a value is missing.
func decodeRange[T any](kind zsbot.Kind, vals []any, out []*T) error {
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue
		}
		r, err := decodeJSON[T](s)
		if err != nil {
			return fmt.Errorf("storage: decode %s: %w", kind, err)
		}
		out[i] = r
	}
	return nil
}

// compact drops the nils (missing records), keeping order.
func compact[T any](rs []*T) []*T {
	out := rs[:0]
	for _, r := range rs {
		if r != nil {
			out = append(out, r)
		}
	}
	return out
}

// encode returns the stored JSON of r, or nil for a nil record.
func encode(r zsbot.Record) []byte {
	if r == nil || isNilRecord(r) {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(fmt.Sprintf("storage: encode %T: %v", r, err)) // records are plain data
	}
	return b
}

func isNilRecord(r zsbot.Record) bool {
	switch v := r.(type) {
	case *zsbot.Project:
		return v == nil
	case *zsbot.Company:
		return v == nil
	case *zsbot.Activity:
		return v == nil
	case *zsbot.Payment:
		return v == nil
	case *zsbot.Increase:
		return v == nil
	case *zsbot.Task:
		return v == nil
	case *zsbot.Item:
		return v == nil
	case *zsbot.Target:
		return v == nil
	case *zsbot.Person:
		return v == nil
	case *zsbot.Group:
		return v == nil
	}
	return false
}
