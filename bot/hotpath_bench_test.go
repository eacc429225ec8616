package bot_test

import (
	"crypto/rand"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"zsbot/bot"
)

// The hot path of a callback POST, step by step, with allocations:
// envelope → signature and decryption → message → (command) → reply
// encryption; and the whole path over real handlers and Redis.
// Run: go test -run XXX -bench . -benchmem ./bot/

// benchPost returns a typical callback body's parts: its envelope and the
// query's timestamp, nonce and signature.
func benchPost(b *testing.B) (c *bot.Crypto, body []byte, ts, nonce, sig, enc string) {
	b.Helper()
	c, err := bot.NewCrypto(vectorA.token, vectorA.aesKey, vectorA.receiveID)
	if err != nil {
		b.Fatal(err)
	}
	plain := []byte("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName>" +
		"<CreateTime>1734313800</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目]]></Content>" +
		"<MsgId>7446320948372918273</MsgId><AgentID>1000002</AgentID></xml>")
	enc, err = c.Encrypt(rand.Reader, plain)
	if err != nil {
		b.Fatal(err)
	}
	ts, nonce = "1734313800", "1597212914"
	sig = c.Sign(ts, nonce, enc)
	body = []byte("<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>")
	return c, body, ts, nonce, sig, enc
}

func BenchmarkParseEnvelope(b *testing.B) {
	_, body, _, _, _, _ := benchPost(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bot.ParseEnvelope(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDecrypt(b *testing.B) {
	c, _, ts, nonce, sig, enc := benchPost(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Verify(sig, ts, nonce, enc); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Decrypt(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseInbound(b *testing.B) {
	c, _, _, _, _, enc := benchPost(b)
	plain, err := c.Decrypt(enc)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bot.ParseInbound(plain); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReplyEnvelope(b *testing.B) {
	c, _, ts, nonce, _, _ := benchPost(b)
	reply := "已记录拜访 A1284：诺比侃科技，2024年12月15日，成都，项目 P12 诺比侃机器视觉智能装备生产总部。内容：洽谈机器视觉装备项目。\n发送「撤销」可撤回。"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ReplyEnvelope(rand.Reader, bot.ReplyPlaintext("zhangsan", vectorA.receiveID, 1734313800, reply), ts, nonce); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallbackVisit is the whole path of one 拜访 over the real
// handlers and a real redis-server: its time is mostly the three round
// trips; its allocations are the bot's own.
func BenchmarkCallbackVisit(b *testing.B) {
	r := newRealBot(b)
	r.say(b, "admin", "人员 添加 zhangsan 张三 珞璜园区 招商员")
	r.say(b, "zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 51亿")
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer() // WeCom's side: encrypting the message, opening the reply
		req, err := r.client.Post("http://bot/wecom/callback", r.client.Text("zhangsan", "拜访 诺比侃 成都 第"+strconv.Itoa(i)+"次", strconv.Itoa(8e18+i), now), now, "123456")
		if err != nil {
			b.Fatal(err)
		}
		rec := httptest.NewRecorder()
		b.StartTimer()
		r.cb.ServeHTTP(rec, req)
		b.StopTimer()
		if rec.Code != http.StatusOK || rec.Body.Len() == 0 {
			b.Fatalf("status %d, body %q", rec.Code, rec.Body)
		}
		b.StartTimer()
	}
}
