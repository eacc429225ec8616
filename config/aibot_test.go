package config

import (
	"strings"
	"testing"
)

func TestLoadAIBot(t *testing.T) {
	c := mustLoad(t, env{})
	if c.AIBot.Path != "/wecom/aibot" || c.AIBot.Configured() || c.AIBot.Name != "招商助手" {
		t.Fatalf("defaults: %+v", c.AIBot)
	}
	key := strings.Repeat("a", 43)
	c = mustLoad(t, env{"ZSBOT_AIBOT_PATH": "/bot", "ZSBOT_AIBOT_TOKEN": "tok", "ZSBOT_AIBOT_AES_KEY": key, "ZSBOT_AIBOT_NAME": "小招"})
	if !c.AIBot.Configured() || c.AIBot.Path != "/bot" || c.AIBot.Token != "tok" || c.AIBot.AESKey != key || c.AIBot.Name != "小招" {
		t.Fatalf("set: %+v", c.AIBot)
	}
	for _, bad := range []env{
		{"ZSBOT_AIBOT_TOKEN": "tok"},
		{"ZSBOT_AIBOT_AES_KEY": key},
		{"ZSBOT_AIBOT_PATH": "bot"},
		{"ZSBOT_AIBOT_PATH": "/a b"},
		{"ZSBOT_AIBOT_TOKEN": "tok", "ZSBOT_AIBOT_AES_KEY": key, "ZSBOT_AIBOT_PATH": "/wecom/callback"},
	} {
		if _, err := Load(bad.list()); err == nil || !strings.Contains(err.Error(), "ZSBOT_AIBOT_") {
			t.Errorf("%v: err %v, want one naming ZSBOT_AIBOT_", bad, err)
		}
	}
}
