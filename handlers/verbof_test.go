package handlers_test

import (
	"testing"

	"zsbot/handlers"
)

// TestVerbOf checks the verb names a transport routes answers by.
func TestVerbOf(t *testing.T) {
	m := handlers.New(handlers.Config{})
	for text, want := range map[string]string{
		"我的": "我的", "待办": "我的", "mine 任务": "我的", "查 T12": "查", "完成 T12": "完成",
		"拜访 康硕 重庆 昨天": "拜访", "乱码": "", "": "", "2": "",
	} {
		if got := m.VerbOf(text); got != want {
			t.Errorf("VerbOf(%q) = %q, want %q", text, got, want)
		}
	}
}
