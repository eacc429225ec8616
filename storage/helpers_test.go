package storage_test

import (
	"encoding/json"
	"slices"
	"sync"
)

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }

// race runs try(0) … try(n-1) at once and returns, in order, the i whose
// try won (returned true).
func race(n int, try func(i int) bool) []int {
	var mu sync.Mutex
	var won []int
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if try(i) {
				mu.Lock()
				won = append(won, i)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	slices.Sort(won)
	return won
}
