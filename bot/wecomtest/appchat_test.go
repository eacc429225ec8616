package wecomtest_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"

	"zsbot/bot/wecomtest"
)

func TestFakeChatRefuses(t *testing.T) {
	const created = `{"chatid":"c1","owner":"u1","userlist":["u1","u2"]}`
	for _, c := range []struct {
		name, path, body string
		want             int
	}{
		{"CreateOK", wecomtest.PathAppChatCreate, `{"name":"群","owner":"u1","userlist":["u1","u2"],"chatid":"abcXYZ09"}`, 0},
		{"CreateNoChatID", wecomtest.PathAppChatCreate, `{"userlist":["u1","u2"]}`, 0},
		{"CreateNoUserlist", wecomtest.PathAppChatCreate, `{"name":"群","owner":"u1"}`, wecomtest.ErrNeedMembers},
		{"CreateUserlistString", wecomtest.PathAppChatCreate, `{"userlist":"u1|u2"}`, wecomtest.ErrInvalidParam},
		{"CreateOneMember", wecomtest.PathAppChatCreate, `{"userlist":["u1","u1"]}`, wecomtest.ErrChatMemberCount},
		{"CreateUnknownMember", wecomtest.PathAppChatCreate, `{"userlist":["u1","ghost"]}`, wecomtest.ErrUnknownMember},
		{"CreateOwnerOutside", wecomtest.PathAppChatCreate, `{"owner":"u3","userlist":["u1","u2"]}`, wecomtest.ErrOwnerNotMember},
		{"CreateOwnerNumber", wecomtest.PathAppChatCreate, `{"owner":1,"userlist":["u1","u2"]}`, wecomtest.ErrChatOwner},
		{"CreateChatID33", wecomtest.PathAppChatCreate, `{"userlist":["u1","u2"],"chatid":"` + strings.Repeat("a", 33) + `"}`, wecomtest.ErrChatIDTooLong},
		{"CreateChatIDDash", wecomtest.PathAppChatCreate, `{"userlist":["u1","u2"],"chatid":"a-b"}`, wecomtest.ErrInvalidChatID},
		{"CreateChatIDTaken", wecomtest.PathAppChatCreate, `{"userlist":["u1","u2"],"chatid":"c1"}`, wecomtest.ErrChatExists},
		{"UpdateOK", wecomtest.PathAppChatUpdate, `{"chatid":"c1","add_user_list":["u3"],"del_user_list":["u2"]}`, 0},
		{"UpdateNoChatID", wecomtest.PathAppChatUpdate, `{"add_user_list":["u3"]}`, wecomtest.ErrNeedChatID},
		{"UpdateUnknownChat", wecomtest.PathAppChatUpdate, `{"chatid":"c9","add_user_list":["u3"]}`, wecomtest.ErrChatNotFound},
		{"UpdateListString", wecomtest.PathAppChatUpdate, `{"chatid":"c1","add_user_list":"u3"}`, wecomtest.ErrInvalidParam},
		{"UpdateUnknownMember", wecomtest.PathAppChatUpdate, `{"chatid":"c1","add_user_list":["ghost"]}`, wecomtest.ErrUnknownMember},
		{"UpdateOwnerGone", wecomtest.PathAppChatUpdate, `{"chatid":"c1","del_user_list":["u1"]}`, wecomtest.ErrNeedOwner},
		{"UpdateOwnerMoves", wecomtest.PathAppChatUpdate, `{"chatid":"c1","owner":"u2","del_user_list":["u1"]}`, 0},
		{"SendToCreated", wecomtest.PathAppChat, `{"chatid":"c1","msgtype":"text","text":{"content":"x"}}`, 0},
		{"SendToOther", wecomtest.PathAppChat, `{"chatid":"c2","msgtype":"text","text":{"content":"x"}}`, wecomtest.ErrChatNotFound},
		{"FileNoMedia", wecomtest.PathMessage, `{"touser":"u1","msgtype":"file","agentid":1,"file":{}}`, wecomtest.ErrInvalidMediaID},
		{"FileUnknownMedia", wecomtest.PathMessage, `{"touser":"u1","msgtype":"file","agentid":1,"file":{"media_id":"nope"}}`, wecomtest.ErrInvalidMediaID},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := wecomtest.NewServer(t, "corp", "secret")
			f.Users = map[string]bool{"u1": true, "u2": true, "u3": true}
			f.StrictChats = true
			q := url.Values{"access_token": {token(t, f)}}.Encode()
			if got := post(t, f, wecomtest.PathAppChatCreate, q, "application/json", created); got != 0 {
				t.Fatalf("setup: create c1: %d", got)
			}
			if got := post(t, f, c.path, q, "application/json", c.body); got != c.want {
				t.Fatalf("errcode %d, want %d", got, c.want)
			}
		})
	}
}

// upload posts one multipart part to media/upload as type kind and returns
// the errcode; a part named other than "media", or no filename, when asked.
func upload(t *testing.T, f *wecomtest.Server, kind, form, filename string, length string, data []byte) int {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	disp := fmt.Sprintf(`form-data; name=%q`, form)
	if filename != "" {
		disp += fmt.Sprintf(`; filename=%q`, filename)
	}
	if length != "" {
		disp += "; filelength=" + length
	}
	part, _ := w.CreatePart(map[string][]string{"Content-Disposition": {disp}, "Content-Type": {"application/octet-stream"}})
	part.Write(data)
	w.Close()
	q := url.Values{"access_token": {token(t, f)}, "type": {kind}}.Encode()
	return post(t, f, wecomtest.PathUpload, q, w.FormDataContentType(), body.String())
}

func TestFakeUploadRefuses(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 32)...)
	for _, c := range []struct {
		name, kind, form, filename, length string
		data                               []byte
		want                               int
	}{
		{"FileOK", "file", "media", "招商统计.xlsx", "10", []byte("0123456789"), 0},
		{"FileNoLength", "file", "media", "a.xlsx", "", []byte("0123456789"), 0},
		{"ImageOK", "image", "media", "chart.png", "", png, 0},
		{"TypeUnknown", "pdf", "media", "a.pdf", "", []byte("0123456789"), wecomtest.ErrMediaType},
		{"NoMediaPart", "file", "file", "a.xlsx", "", []byte("0123456789"), wecomtest.ErrMediaEmpty},
		{"NoFilename", "file", "media", "", "", []byte("0123456789"), wecomtest.ErrInvalidParam},
		{"WrongLength", "file", "media", "a.xlsx", "9", []byte("0123456789"), wecomtest.ErrMediaSize},
		{"FiveBytes", "file", "media", "a.txt", "", []byte("12345"), wecomtest.ErrMediaSize},
		{"FileOver20MB", "file", "media", "a.xlsx", "", make([]byte, 20<<20+1), wecomtest.ErrMediaSize},
		{"ImageNotPNG", "image", "media", "chart.png", "", []byte("GIF89a......"), wecomtest.ErrMediaFormat},
		{"ImageOver10MB", "image", "media", "chart.png", "", append(png, make([]byte, 10<<20)...), wecomtest.ErrImageSize},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := wecomtest.NewServer(t, "corp", "secret")
			if got := upload(t, f, c.kind, c.form, c.filename, c.length, c.data); got != c.want {
				t.Fatalf("errcode %d, want %d", got, c.want)
			}
			if ups := f.Uploads(); (c.want == 0) != (len(ups) == 1) {
				t.Fatalf("uploads kept: %d", len(ups))
			}
		})
	}
	t.Run("NotMultipart", func(t *testing.T) {
		f := wecomtest.NewServer(t, "corp", "secret")
		q := url.Values{"access_token": {token(t, f)}, "type": {"file"}}.Encode()
		if got := post(t, f, wecomtest.PathUpload, q, "application/json", `{"media":"x"}`); got != wecomtest.ErrInvalidParam {
			t.Fatalf("errcode %d", got)
		}
	})
	t.Run("FileMessageOfUpload", func(t *testing.T) {
		f := wecomtest.NewServer(t, "corp", "secret")
		if got := upload(t, f, "file", "media", "a.xlsx", "", []byte("0123456789")); got != 0 {
			t.Fatal(got)
		}
		id := f.Uploads()[0].MediaID
		q := url.Values{"access_token": {token(t, f)}}.Encode()
		body := `{"touser":"u1","msgtype":"file","agentid":1,"file":{"media_id":"` + id + `"}}`
		if got := post(t, f, wecomtest.PathMessage, q, "application/json", body); got != 0 {
			t.Fatalf("file message: %d", got)
		}
	})
}
