package main

import (
	"strconv"
	"time"

	"zsbot/bot"
	"zsbot/bot/wecomapi"
	"zsbot/handlers"
)

// wecomApp is the WeCom app the handlers call for 群 创建, 群 成员 and
// 导出 (a wecomapi.Client sharing the sender's token in Redis), or nil when
// the app cannot send (no secret or agent id): then 群 创建 says it needs
// the app and 导出 says how else to get the file.
func wecomApp(e *env) handlers.WeComApp {
	w := e.cfg.WeCom
	agent, err := strconv.Atoi(w.AgentID)
	if !w.CanSend() || err != nil {
		return nil
	}
	// Uploads of up to 20 MB: a longer bound than the sender's 10 s.
	hc := bot.NewHTTPClient(60 * time.Second)
	return wecomapi.New(hc, w.APIBase, wecomapi.App{CorpID: w.CorpID, Secret: w.Secret, AgentID: agent}, e.db.TokenCache(0))
}
