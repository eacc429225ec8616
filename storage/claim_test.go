package storage_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestClaim(t *testing.T) {
	ctx := context.Background()
	db := mustDB(t)
	t.Run("OnceAmongMany", func(t *testing.T) {
		var won atomic.Int32
		var wg sync.WaitGroup
		for range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := db.Claim(ctx, "half-monthly", "2024-12-16T09:10:00", time.Hour)
				if err != nil {
					t.Error(err)
				}
				if ok {
					won.Add(1)
				}
			}()
		}
		wg.Wait()
		if won.Load() != 1 {
			t.Fatalf("%d claims won, want 1", won.Load())
		}
	})
	t.Run("OccurrencesAreIndependent", func(t *testing.T) {
		ok, err := db.Claim(ctx, "half-monthly", "2025-01-01T09:10:00", time.Hour)
		if err != nil || !ok {
			t.Fatalf("claim of another occurrence: %v, %v", ok, err)
		}
		ok, err = db.Claim(ctx, "monthly", "2024-12-16T09:10:00", time.Hour)
		if err != nil || !ok {
			t.Fatalf("claim of another notice: %v, %v", ok, err)
		}
	})
	t.Run("ReleaseAllowsAgain", func(t *testing.T) {
		if err := db.Release(ctx, "half-monthly", "2025-01-01T09:10:00"); err != nil {
			t.Fatal(err)
		}
		ok, err := db.Claim(ctx, "half-monthly", "2025-01-01T09:10:00", time.Hour)
		if err != nil || !ok {
			t.Fatalf("claim after release: %v, %v", ok, err)
		}
	})
	t.Run("Expires", func(t *testing.T) {
		ok, _ := db.Claim(ctx, "overdue", "x", 50*time.Millisecond)
		time.Sleep(120 * time.Millisecond)
		again, err := db.Claim(ctx, "overdue", "x", time.Hour)
		if !ok || !again || err != nil {
			t.Fatalf("first %v, after TTL %v, %v", ok, again, err)
		}
	})
}
