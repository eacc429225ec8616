package aibot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz targets of the 智能机器人's input: the JSON envelope, the
// decrypted message (with the mention stripping and the stream ids built
// from it) and a card button's key. Every input gives a value or an error,
// never a panic. CI runs the seeds; a long run is
// go test -fuzz FuzzParseMessage ./bot/aibot/.

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"encrypt":"msg_encrypt"}`))
	f.Add([]byte(`{"encrypt":""}`))
	f.Add([]byte(`{"encrypt":1}`))
	f.Add([]byte(`{"Encrypt":"  x  ","other":[1,2]}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"encrypt":"\u0000"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, err := ParseEnvelope(body)
		if err == nil && (e == nil || e.Encrypt == "" || strings.TrimSpace(e.Encrypt) != e.Encrypt) {
			t.Fatalf("ParseEnvelope(%q) = %+v without an error", body, e)
		}
	})
}

func FuzzParseMessage(f *testing.F) {
	f.Add([]byte(`{"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group","from":{"userid":"USERID"},"response_url":"RESPONSEURL","msgtype":"text","text":{"content":"@RobotA hello robot"},"quote":{"msgtype":"text","text":{"content":"这是今日的测试情况"}}}`))
	f.Add([]byte(`{"msgid":"m","chattype":"single","from":{"userid":"u"},"msgtype":"stream","stream":{"id":"s.bQ"}}`))
	f.Add([]byte(`{"msgid":"m","from":{"userid":"u"},"msgtype":"event","event":{"eventtype":"template_card_event","template_card_event":{"card_type":"button_interaction","event_key":"done:T12","task_id":"t"}}}`))
	f.Add([]byte(`{"msgid":"m","from":{"userid":"u"},"msgtype":"mixed","mixed":{"msg_item":[{"msgtype":"text","text":{"content":"@招商助手 拜访"}},{"msgtype":"image","image":{"url":"x"}}]}}`))
	f.Add([]byte(`{"msgid":"m","from":{"userid":"u"},"msgtype":"stream"}`))
	f.Add([]byte(`{"msgid":"","from":{},"msgtype":"text"}`))
	f.Fuzz(func(t *testing.T, plain []byte) {
		m, err := ParseMessage(plain)
		if err != nil {
			return
		}
		if m.MsgID == "" || m.From.UserID == "" || m.MsgType == "" ||
			m.MsgType == "stream" && (m.Stream == nil || m.Stream.ID == "") || m.MsgType == "event" && (m.Event == nil || m.Event.Type == "") {
			t.Fatalf("ParseMessage(%q) = %+v without an error", plain, m)
		}
		text := StripMention(m.Content(), "招商助手")
		if strings.HasPrefix(text, "@") || text != strings.TrimSpace(text) || strings.Contains(text, "@招商助手") {
			t.Fatalf("StripMention(%q) = %q", m.Content(), text)
		}
		for _, private := range []bool{false, true} {
			id, p, ok := parseStreamID(streamID(m.MsgID, private))
			if !ok || id != m.MsgID || p != private {
				t.Fatalf("stream id of %q (private %v) reads back as %q %v %v", m.MsgID, private, id, p, ok)
			}
		}
		parseStreamID(m.MsgID) // any id a refresh carries: no panic
	})
}

func FuzzParseKey(f *testing.F) {
	for _, k := range []string{"done:T12", "delay:T1", "resolve:C7", "none:C7", "done:C7", ":", "done:T0", "done:T1234567890"} {
		f.Add(k)
	}
	f.Fuzz(func(t *testing.T, key string) {
		act, id, ok := parseKey(key)
		if !ok {
			return
		}
		if key != act+":"+id || !cardID.MatchString(id) || !utf8.ValidString(id) {
			t.Fatalf("parseKey(%q) = %q %q", key, act, id)
		}
		if (act == actDone || act == actDelay) && id[0] != 'T' || act == actResolve && id[0] != 'C' {
			t.Fatalf("parseKey(%q): %s of %s", key, act, id)
		}
	})
}

func TestStripMention(t *testing.T) {
	for in, want := range map[string]string{
		"@招商助手 拜访 康硕 重庆 昨天":           "拜访 康硕 重庆 昨天",
		"@招商助手\u2005拜访 康硕":            "拜访 康硕",
		"  @招商助手  @张三 我的":             "我的",
		"拜访 康硕 @招商助手":                 "拜访 康硕",
		"签约 康硕 5亿 @招商助手\u2005":        "签约 康硕 5亿",
		"@招商助手":                       "",
		"帮助":                          "帮助",
		"拜访 康硕\u2005重庆":               "拜访 康硕 重庆",
		"\u2005@招商助手\u2005\u2005查 T3": "查 T3",
	} {
		if got := StripMention(in, "招商助手"); got != want {
			t.Errorf("StripMention(%q) = %q, want %q", in, got, want)
		}
	}
}
