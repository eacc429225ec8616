package wecomapi

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
)

// PathUpload is media/upload (上传临时素材).
const PathUpload = "/cgi-bin/media/upload"

// The kinds of media WeCom takes (media/upload's type).
const (
	MediaImage = "image" // JPG or PNG, at most 10 MB
	MediaVoice = "voice" // AMR, at most 2 MB
	MediaVideo = "video" // MP4, at most 10 MB
	MediaFile  = "file"  // anything, at most 20 MB
)

// MaxMedia is the largest upload of each kind, in bytes, as WeCom documents
// it; every upload must be larger than MinMedia.
var MaxMedia = map[string]int{MediaImage: 10 << 20, MediaVoice: 2 << 20, MediaVideo: 10 << 20, MediaFile: 20 << 20}

// MinMedia is the size an upload must exceed (WeCom: 所有文件size必须大于5个字节).
const MinMedia = 5

// Media names an uploaded medium in a file or image message.
type Media struct {
	MediaID string `json:"media_id"`
}

// MediaResult is media/upload's answer. The media_id is valid for three
// days, for every app of the corp.
type MediaResult struct {
	answer
	Type      string `json:"type"`
	MediaID   string `json:"media_id"`
	CreatedAt string `json:"created_at"` // a Unix time, as a string
}

// MediaError is an upload refused before it is sent: an unknown kind, a
// size WeCom would refuse, no file name. Code is the errcode WeCom would
// have answered (40005 type, 40006 size, 40035 no name).
type MediaError struct {
	Code   int
	Reason string
}

// Error implements the error interface.
func (e *MediaError) Error() string { return "wecom " + PathUpload + ": " + e.Reason }

// WeComCode returns the errcode WeCom would have answered, as *Error does.
func (e *MediaError) WeComCode() int { return e.Code }

// UploadMedia uploads data as a temporary medium of kind (MediaFile,
// MediaImage, …) shown under filename, and returns its media_id for a
// file or image message. The body is multipart/form-data with one part
// named "media" carrying filename and filelength, as WeCom documents. A
// size or kind WeCom would refuse is a *MediaError before any call.
func (c *Client) UploadMedia(ctx context.Context, kind, filename string, data []byte) (*MediaResult, error) {
	max, ok := MaxMedia[kind]
	switch {
	case !ok:
		return nil, &MediaError{Code: 40005, Reason: fmt.Sprintf("unknown media type %q", kind)}
	case len(data) <= MinMedia:
		return nil, &MediaError{Code: 40006, Reason: fmt.Sprintf("%d bytes: WeCom takes files larger than %d bytes", len(data), MinMedia)}
	case len(data) > max:
		return nil, &MediaError{Code: 40006, Reason: fmt.Sprintf("%d bytes: WeCom takes a %s of at most %d bytes", len(data), kind, max)}
	case strings.TrimSpace(filename) == "":
		return nil, &MediaError{Code: 40035, Reason: "no file name"}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="media"; filename="%s"; filelength=%d`, quoteName(filename), len(data)))
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(data)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("wecom %s: build body: %w", PathUpload, err)
	}
	var res MediaResult
	err = c.withToken(ctx, func(tok string) error {
		q := url.Values{"access_token": {tok}, "type": {kind}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+PathUpload+"?"+q.Encode(), bytes.NewReader(body.Bytes()))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", w.FormDataContentType())
		req.ContentLength = int64(body.Len())
		res = MediaResult{}
		return c.do(req, PathUpload, &res)
	})
	if err != nil {
		return nil, err
	}
	if res.MediaID == "" {
		return nil, fmt.Errorf("wecom %s: answer without media_id", PathUpload)
	}
	return &res, nil
}

// quoteName escapes a file name for a quoted header parameter, as
// mime/multipart does; the name stays UTF-8 (WeCom shows it as sent).
func quoteName(s string) string {
	return strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "").Replace(s)
}

// SendFile uploads data as a file named filename and sends it to the
// member to (a userid) as a file message of the App: what 导出 does on a
// phone. The duplicate check is off: two exports of one period a minute
// apart are two files the member asked for.
func (c *Client) SendFile(ctx context.Context, to, filename string, data []byte) error {
	m, err := c.UploadMedia(ctx, MediaFile, filename, data)
	if err != nil {
		return err
	}
	return c.withToken(ctx, func(string) error {
		_, err := c.SendMessage(ctx, Message{ToUser: to, MsgType: "file", File: &Media{MediaID: m.MediaID}})
		return err
	})
}
