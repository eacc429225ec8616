package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Outbox is how the outbox worker gives up on a message and how it shows
// notices to people.
type Outbox struct {
	// GiveUpAttempts and GiveUpAfter (ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS,
	// default 5; ZSBOT_OUTBOX_GIVE_UP_AFTER, default 10m): a message WeCom
	// answers with an errcode zsbot does not know becomes a dead letter
	// once it has failed that many times over at least that long.
	GiveUpAttempts int
	GiveUpAfter    time.Duration
	// AppMarkdown (ZSBOT_APP_MARKDOWN, default on) sends notices to people
	// and app chats as markdown; off sends them as plain text, for clients
	// that do not render WeCom's markdown (微信插件, 微工作台).
	AppMarkdown bool
}

// loadOutbox reads the outbox's variables.
func (c *Config) loadOutbox(get func(name, def string) string) error {
	n, err := strconv.Atoi(get("ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS", "5"))
	if err != nil || n < 1 || n > 1000 {
		return fmt.Errorf("ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS: %q is not a number of attempts from 1 to 1000", get("ZSBOT_OUTBOX_GIVE_UP_ATTEMPTS", ""))
	}
	c.Outbox.GiveUpAttempts = n
	if c.Outbox.GiveUpAfter, err = duration(get("ZSBOT_OUTBOX_GIVE_UP_AFTER", "10m")); err != nil {
		return fmt.Errorf("ZSBOT_OUTBOX_GIVE_UP_AFTER: %w", err)
	}
	switch v := strings.ToLower(get("ZSBOT_APP_MARKDOWN", "on")); v {
	case "on", "true", "1", "yes":
		c.Outbox.AppMarkdown = true
	case "off", "false", "0", "no":
	default:
		return fmt.Errorf("ZSBOT_APP_MARKDOWN: %q is neither on nor off", v)
	}
	return nil
}
