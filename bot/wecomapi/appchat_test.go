package wecomapi_test

import (
	"bytes"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"zsbot/bot/wecomapi"
	"zsbot/bot/wecomtest"
)

// newApp returns a client of a fresh fake whose directory holds users.
func newApp(t *testing.T, users ...string) (*wecomapi.Client, *wecomtest.Server) {
	t.Helper()
	fake := wecomtest.NewServer(t, corpA, secretA)
	fake.Users = map[string]bool{}
	for _, u := range users {
		fake.Users[u] = true
	}
	return wecomapi.New(&http.Client{}, fake.URL, wecomapi.App{CorpID: corpA, Secret: secretA, AgentID: 1000002}, newTokens(t)), fake
}

// chatTypes are the JSON types of appchat/create's and appchat/update's
// fields, as WeCom's tables give them (documents 90245, 98913).
var chatTypes = map[string]map[string]string{
	wecomtest.PathAppChatCreate: {"name": "string", "owner": "string", "userlist": "array", "chatid": "string"},
	wecomtest.PathAppChatUpdate: {"chatid": "string", "name": "string", "owner": "string", "add_user_list": "array", "del_user_list": "array"},
	wecomtest.PathMessage:       {"touser": "string", "msgtype": "string", "agentid": "integer", "safe": "integer", "enable_duplicate_check": "integer", "file": "object", "file.media_id": "string"},
}

func TestChatAndFileShapes(t *testing.T) {
	c, fake := newApp(t, "admin", "zhangsan", "lisi")
	ctx := t.Context()
	id, err := c.CreateChat(ctx, "zs0123abcd", "招商调度群", "admin", []string{"admin", "zhangsan"})
	if err != nil || id != "zs0123abcd" {
		t.Fatalf("CreateChat = %q, %v", id, err)
	}
	if err := c.UpdateChatMembers(ctx, id, []string{"lisi"}, []string{"zhangsan"}); err != nil {
		t.Fatalf("UpdateChatMembers: %v", err)
	}
	xlsx := []byte("PK\x03\x04 not really a workbook")
	if err := c.SendFile(ctx, "lisi", `招商统计-2025年3月 "终版".xlsx`, xlsx); err != nil {
		t.Fatalf("SendFile: %v", err)
	}
	chat := fake.Chats()[id]
	if chat.Name != "招商调度群" || chat.Owner != "admin" || !slices.Equal(chat.Members, []string{"admin", "lisi"}) {
		t.Fatalf("chat in WeCom: %+v", chat)
	}
	sent := fake.Sent()
	if len(sent) != 4 {
		t.Fatalf("%d calls accepted, want create, update, upload, send: %+v", len(sent), fake.Requests())
	}
	for _, q := range sent {
		t.Run(strings.TrimPrefix(q.Path, "/cgi-bin/"), func(t *testing.T) {
			if q.Path == wecomtest.PathUpload {
				checkUpload(t, fake, q, `招商统计-2025年3月 "终版".xlsx`, xlsx)
				return
			}
			if q.ContentType != "application/json" {
				t.Errorf("Content-Type %q", q.ContentType)
			}
			want := chatTypes[q.Path]
			for name := range q.Body {
				if _, ok := want[name]; !ok {
					t.Errorf("field %s sent, WeCom's document has no such field here", name)
				}
			}
			for name, typ := range want {
				if v := field(q.Body, name); v != nil && wecomtest.JSONType(v) != typ {
					t.Errorf("%s is %s (%v), want %s", name, wecomtest.JSONType(v), v, typ)
				}
			}
			if q.Path == wecomtest.PathMessage && (q.Body["msgtype"] != "file" || field(q.Body, "file.media_id") == nil || q.Body["agentid"] != 1000002.0) {
				t.Errorf("file message %s", q.Raw)
			}
		})
	}
}

// checkUpload checks a media/upload request: type=file, multipart with a
// part "media" naming filename and the right filelength, holding data;
// and the fake took it so.
func checkUpload(t *testing.T, fake *wecomtest.Server, q wecomtest.Request, filename string, data []byte) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(q.ContentType)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("Content-Type %q", q.ContentType)
	}
	p, err := multipart.NewReader(bytes.NewReader(q.Raw), params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	_, dp, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil || p.FormName() != "media" || dp["filename"] != filename || dp["filelength"] != strconv.Itoa(len(data)) {
		t.Fatalf("part %q: %v %v", p.Header.Get("Content-Disposition"), dp, err)
	}
	up := fake.Uploads()
	if len(up) != 1 || !bytes.Equal(up[0].Data, data) || up[0].Type != "file" || up[0].Filename != filename {
		t.Fatalf("uploaded %+v", up)
	}
}

func TestChatErrors(t *testing.T) {
	c, fake := newApp(t, "admin", "zhangsan")
	ctx := t.Context()
	code := func(err error) int { // as the handlers read it
		var c interface{ WeComCode() int }
		if !errors.As(err, &c) {
			return -1
		}
		return c.WeComCode()
	}
	if _, err := c.CreateChat(ctx, "zs1", "群", "admin", []string{"admin", "nobody"}); code(err) != wecomtest.ErrUnknownMember {
		t.Errorf("unknown member: %v", err)
	}
	if _, err := c.CreateChat(ctx, "zs1", "群", "admin", []string{"admin"}); code(err) != wecomtest.ErrChatMemberCount {
		t.Errorf("one member: %v", err)
	}
	if _, err := c.CreateChat(ctx, "zs1", "群", "admin", []string{"admin", "zhangsan"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateChat(ctx, "zs1", "群", "admin", []string{"admin", "zhangsan"}); code(err) != wecomapi.ErrChatExists {
		t.Errorf("chatid taken: %v", err)
	}
	if err := c.UpdateChatMembers(ctx, "zs2", []string{"zhangsan"}, nil); code(err) != wecomtest.ErrChatNotFound {
		t.Errorf("unknown chat: %v", err)
	}
	if err := c.UpdateChatMembers(ctx, "zs1", nil, []string{"admin"}); code(err) != wecomtest.ErrNeedOwner {
		t.Errorf("owner removed: %v", err)
	}
	calls := len(fake.Requests())
	for _, id := range []string{strings.Repeat("a", 33), "has-dash", "中文"} {
		if _, err := c.CreateChat(ctx, id, "群", "admin", []string{"admin", "zhangsan"}); err == nil {
			t.Errorf("chatid %q taken", id)
		}
	}
	if _, err := c.UploadMedia(ctx, wecomapi.MediaFile, "a.xlsx", make([]byte, 20<<20+1)); code(err) != 40006 {
		t.Errorf("a file over 20MB: %v, want errcode 40006 as WeCom would answer", err)
	}
	if _, err := c.UploadMedia(ctx, wecomapi.MediaFile, "a.xlsx", []byte("12345")); err == nil {
		t.Error("a file of 5 bytes uploaded")
	}
	if _, err := c.UploadMedia(ctx, "pdf", "a.pdf", []byte("123456")); err == nil {
		t.Error("an unknown type uploaded")
	}
	if n := len(fake.Requests()); n != calls {
		t.Errorf("%d calls made for requests the client knows WeCom refuses", n-calls)
	}
	fake.ExpireToken() // the next call gets 42001, drops the token and tries once more
	if err := c.UpdateChatMembers(ctx, "zs1", nil, []string{"zhangsan"}); err != nil {
		t.Fatalf("after the token expired: %v", err)
	}
	if fake.TokenFetches() != 2 {
		t.Errorf("%d tokens fetched, want 2", fake.TokenFetches())
	}
}
