package main

import (
	"crypto/x509"
	"fmt"
	"os"

	"zsbot/bot"
	"zsbot/config"
	"zsbot/jobs"
	"zsbot/storage"
)

// loadConfig reads the configuration from environ (os.Environ) and checks
// what package config leaves to the packages that use it: the Redis URL
// with its companions (storage), the AES key (bot) and the notices'
// schedules (jobs). A bad value is an error naming its variable. It
// returns the options to dial Redis with (zero for the embedded store).
func loadConfig(environ []string) (*config.Config, storage.DialOptions, error) {
	cfg, err := config.Load(environ)
	if err != nil {
		return nil, storage.DialOptions{}, err
	}
	if k := cfg.WeCom.AESKey; k != "" {
		if err := bot.CheckAESKey(k); err != nil {
			return nil, storage.DialOptions{}, fmt.Errorf("ZSBOT_WECOM_AES_KEY: %w", err)
		}
	}
	if err := jobs.CheckSchedules(cfg.Schedules); err != nil {
		return nil, storage.DialOptions{}, err
	}
	opts, err := dialOptions(cfg)
	if err != nil {
		return nil, storage.DialOptions{}, err
	}
	return cfg, opts, nil
}

// dialOptions turns the Redis companions of cfg into storage's options
// (reading the CA file) and checks ZSBOT_REDIS_URL with them, as storage
// will dial it.
func dialOptions(cfg *config.Config) (storage.DialOptions, error) {
	if cfg.RedisURL == "" {
		return storage.DialOptions{}, nil
	}
	r := cfg.Redis
	o := storage.DialOptions{MasterName: r.MasterName, SentinelUsername: r.SentinelUsername,
		SentinelPassword: r.SentinelPassword, WaitReplicas: r.WaitReplicas, WaitTimeout: r.WaitTimeout}
	if r.TLSCAFile != "" {
		var err error
		if o.RootCAs, err = readRootCAs(r.TLSCAFile); err != nil {
			return o, fmt.Errorf("ZSBOT_REDIS_TLS_CA: %w", err)
		}
	}
	if err := o.Check(cfg.RedisURL); err != nil {
		return o, fmt.Errorf("ZSBOT_REDIS_URL: %s: %w", config.Redact(cfg.RedisURL), err)
	}
	return o, nil
}

// readRootCAs reads a PEM file of the CA certificates that the servers of
// a rediss URL are verified against. It fails when the file cannot be read
// or holds no certificate.
func readRootCAs(file string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}

// schedulerOptions are the notice scheduler's settings in cfg.
func schedulerOptions(cfg *config.Config) jobs.Options {
	return jobs.Options{Location: cfg.Location, Schedules: cfg.Schedules, Holidays: cfg.Holidays}
}
