package storage

import (
	"fmt"

	"github.com/redis/go-redis/v9"
)

// Dial returns a client for a redis:// or rediss:// URL.
func Dial(rawURL string) (redis.UniversalClient, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad Redis URL: %w", err)
	}
	return redis.NewClient(opt), nil
}
