package wecomtest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zsbot/bot/wecomtest"
)

// post sends body to the fake's path with contentType and returns the
// errcode it answered.
func post(t *testing.T, f *wecomtest.Server, path, query, contentType, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.URL+path+"?"+query, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		ErrCode int `json:"errcode"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatal(err)
	}
	return a.ErrCode
}

// token fetches an access token from the fake.
func token(t *testing.T, f *wecomtest.Server) string {
	t.Helper()
	resp, err := http.Get(f.URL + wecomtest.PathToken + "?" + url.Values{"corpid": {"corp"}, "corpsecret": {"secret"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil || a.AccessToken == "" {
		t.Fatalf("gettoken: %v", err)
	}
	return a.AccessToken
}

func TestFakeRefuses(t *testing.T) {
	long := func(n int) string { return strings.Repeat("字", n/3) + strings.Repeat("a", n%3) }
	const app, appMD = `"touser":"u","msgtype":"text","agentid":1000002`, `"touser":"u","msgtype":"markdown","agentid":1000002`
	for _, c := range []struct {
		name, path, ctype, body string
		want                    int
	}{
		{"MessageOK", wecomtest.PathMessage, "application/json", `{` + app + `,"text":{"content":"x"},"safe":0}`, 0},
		{"CharsetOK", wecomtest.PathMessage, "application/json; charset=utf-8", `{` + app + `,"text":{"content":"x"}}`, 0},
		{"NoContentType", wecomtest.PathMessage, "", `{` + app + `,"text":{"content":"x"}}`, wecomtest.ErrInvalidParam},
		{"FormContentType", wecomtest.PathAppChat, "application/x-www-form-urlencoded", `{"chatid":"c","msgtype":"text","text":{"content":"x"}}`, wecomtest.ErrInvalidParam},
		{"NotJSON", wecomtest.PathWebhook, "application/json", `msgtype=text`, wecomtest.ErrInvalidParam},
		{"AgentIDString", wecomtest.PathMessage, "application/json", `{"touser":"u","msgtype":"text","agentid":"1000002","text":{"content":"x"}}`, wecomtest.ErrInvalidAgentID},
		{"AgentIDFraction", wecomtest.PathMessage, "application/json", `{"touser":"u","msgtype":"text","agentid":1.5,"text":{"content":"x"}}`, wecomtest.ErrInvalidAgentID},
		{"AgentIDMissing", wecomtest.PathMessage, "application/json", `{"touser":"u","msgtype":"text","text":{"content":"x"}}`, wecomtest.ErrMissingAgentID},
		{"SafeString", wecomtest.PathMessage, "application/json", `{` + app + `,"text":{"content":"x"},"safe":"0"}`, wecomtest.ErrInvalidParam},
		{"DupCheckString", wecomtest.PathMessage, "application/json", `{` + app + `,"text":{"content":"x"},"enable_duplicate_check":"1"}`, wecomtest.ErrInvalidParam},
		{"TouserMissing", wecomtest.PathMessage, "application/json", `{"msgtype":"text","agentid":1,"text":{"content":"x"}}`, wecomtest.ErrNoRecipient},
		{"ChatIDMissing", wecomtest.PathAppChat, "application/json", `{"msgtype":"text","text":{"content":"x"}}`, wecomtest.ErrInvalidChatID},
		{"ChatSafeString", wecomtest.PathAppChat, "application/json", `{"chatid":"c","msgtype":"text","text":{"content":"x"},"safe":"1"}`, wecomtest.ErrInvalidParam},
		{"MsgTypeUnknown", wecomtest.PathAppChat, "application/json", `{"chatid":"c","msgtype":"news","text":{"content":"x"}}`, wecomtest.ErrInvalidMsgType},
		{"ContentEmpty", wecomtest.PathWebhook, "application/json", `{"msgtype":"text","text":{"content":""}}`, wecomtest.ErrEmptyContent},
		{"ContentBlank", wecomtest.PathWebhook, "application/json", `{"msgtype":"markdown","markdown":{"content":" \n\n"}}`, wecomtest.ErrEmptyContent},
		{"ContentMissing", wecomtest.PathWebhook, "application/json", `{"msgtype":"markdown"}`, wecomtest.ErrEmptyContent},
		{"MentionsNotList", wecomtest.PathWebhook, "application/json", `{"msgtype":"text","text":{"content":"x","mentioned_list":"u"}}`, wecomtest.ErrInvalidParam},
		{"RobotText2048", wecomtest.PathWebhook, "application/json", `{"msgtype":"text","text":{"content":"` + long(2048) + `"}}`, 0},
		{"RobotText2049", wecomtest.PathWebhook, "application/json", `{"msgtype":"text","text":{"content":"` + long(2049) + `"}}`, wecomtest.ErrRobotTooLong},
		{"RobotMarkdown4096", wecomtest.PathWebhook, "application/json", `{"msgtype":"markdown","markdown":{"content":"` + long(4096) + `"}}`, 0},
		{"RobotMarkdown4097", wecomtest.PathWebhook, "application/json", `{"msgtype":"markdown","markdown":{"content":"` + long(4097) + `"}}`, wecomtest.ErrRobotTooLong},
		{"AppText2049", wecomtest.PathMessage, "application/json", `{` + app + `,"text":{"content":"` + long(2049) + `"}}`, wecomtest.ErrTooLong},
		{"AppMarkdown2049", wecomtest.PathMessage, "application/json", `{` + appMD + `,"markdown":{"content":"` + long(2049) + `"}}`, wecomtest.ErrTooLong},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := wecomtest.NewServer(t, "corp", "secret")
			q := url.Values{"key": {"robot"}}
			if c.path != wecomtest.PathWebhook {
				q = url.Values{"access_token": {token(t, f)}}
			}
			if got := post(t, f, c.path, q.Encode(), c.ctype, c.body); got != c.want {
				t.Fatalf("errcode %d, want %d", got, c.want)
			}
			r := f.Requests()[len(f.Requests())-1]
			if r.ContentType != c.ctype || string(r.Raw) != c.body {
				t.Fatalf("recorded %q %q, want %q %q", r.ContentType, r.Raw, c.ctype, c.body)
			}
		})
	}
}
