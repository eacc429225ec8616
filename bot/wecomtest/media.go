package wecomtest

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
)

// PathUpload is media/upload (上传临时素材).
const PathUpload = "/cgi-bin/media/upload"

// WeCom's errcodes for uploads and the messages that send them (document
// 90313).
const (
	ErrMediaFormat    = 40004 // 不合法的媒体文件类型: an image not JPG/PNG, a voice not AMR, a video not MP4
	ErrMediaType      = 40005 // 不合法的type参数: type not image, voice, video or file
	ErrMediaSize      = 40006 // 不合法的文件大小: 5 bytes or less, a file over 20 MB, a voice over 2 MB
	ErrInvalidMediaID = 40007 // 不合法的media_id参数: missing, or not uploaded
	ErrImageSize      = 40009 // 上传图片大小不是有效值: an image over 10 MB
	ErrVideoSize      = 40011 // 上传视频大小不是有效值: a video over 10 MB
	ErrMediaEmpty     = 44001 // 多媒体文件为空: no part named "media"
)

// Upload is one medium the fake took.
type Upload struct {
	MediaID  string
	Type     string // image, voice, video or file
	Filename string // as the part's Content-Disposition names it
	Length   string // its filelength parameter as sent ("" when absent)
	Data     []byte
}

// mediaLimits are the largest upload of each type and the errcode beyond it.
var mediaLimits = map[string]struct{ max, code int }{
	"image": {10 << 20, ErrImageSize}, "voice": {2 << 20, ErrMediaSize},
	"video": {10 << 20, ErrVideoSize}, "file": {20 << 20, ErrMediaSize},
}

// Uploads returns the media the app uploaded, in no particular order.
func (s *Server) Uploads() []Upload {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Upload, 0, len(s.app.media))
	for _, u := range s.app.media {
		out = append(out, u)
	}
	return out
}

// upload takes a multipart/form-data body with one part named "media"
// that names a filename (and, when it gives filelength, the right one);
// s.mu is held.
func (s *Server) upload(r *http.Request, req *Request) (map[string]any, int) {
	kind := r.URL.Query().Get("type")
	limit, ok := mediaLimits[kind]
	if !ok {
		return nil, ErrMediaType
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, ErrInvalidParam
	}
	var u *Upload
	mr := multipart.NewReader(bytes.NewReader(req.Raw), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ErrInvalidParam
		}
		if p.FormName() != "media" {
			continue
		}
		_, dp, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		data, rerr := io.ReadAll(p)
		if err != nil || rerr != nil || dp["filename"] == "" {
			return nil, ErrInvalidParam
		}
		u = &Upload{Type: kind, Filename: dp["filename"], Length: dp["filelength"], Data: data}
	}
	switch {
	case u == nil || len(u.Data) == 0:
		return nil, ErrMediaEmpty
	case u.Length != "" && u.Length != strconv.Itoa(len(u.Data)):
		return nil, ErrMediaSize
	case len(u.Data) <= 5:
		return nil, ErrMediaSize
	case len(u.Data) > limit.max:
		return nil, limit.code
	case !mediaFormat(kind, u.Data):
		return nil, ErrMediaFormat
	}
	u.MediaID = fmt.Sprintf("media-%d", len(s.app.media)+1)
	s.app.media[u.MediaID] = *u
	return map[string]any{"type": kind, "media_id": u.MediaID, "created_at": strconv.FormatInt(req.At.Unix(), 10)}, 0
}

// mediaFormat reports whether data is of a format WeCom takes for kind,
// by its first bytes: JPG or PNG images, AMR voices, MP4 videos; files
// are anything.
func mediaFormat(kind string, data []byte) bool {
	switch kind {
	case "image":
		return bytes.HasPrefix(data, []byte("\xff\xd8\xff")) || bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n"))
	case "voice":
		return bytes.HasPrefix(data, []byte("#!AMR"))
	case "video":
		return len(data) > 8 && string(data[4:8]) == "ftyp"
	}
	return true
}

// checkMedia checks a file or image message's part: an object with a
// media_id string.
func checkMedia(body map[string]any, kind string) int {
	part, ok := body[kind].(map[string]any)
	if !ok {
		return ErrInvalidMediaID
	}
	if id, ok := part["media_id"].(string); !ok || strings.TrimSpace(id) == "" {
		return ErrInvalidMediaID
	}
	return 0
}
