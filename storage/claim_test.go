package storage_test

import (
	"context"
	"testing"
	"time"
)

func TestClaim(t *testing.T) {
	ctx := context.Background()
	db := mustDB(t)
	t.Run("OnceAmongMany", func(t *testing.T) {
		won := race(16, func(int) bool {
			ok, err := db.Claim(ctx, "half-monthly", "2024-12-16T09:10:00", time.Hour)
			if err != nil {
				t.Error(err)
			}
			return ok
		})
		if len(won) != 1 {
			t.Fatalf("%d claims won, want 1", len(won))
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
