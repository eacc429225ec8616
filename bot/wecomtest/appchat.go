package wecomtest

import (
	"fmt"
	"net/http"
	"slices"
	"unicode/utf8"
)

// The app group chat calls, as WeCom's.
const (
	PathAppChatCreate = "/cgi-bin/appchat/create"
	PathAppChatUpdate = "/cgi-bin/appchat/update"
)

// WeCom's errcodes for app group chats (document 90313).
const (
	ErrChatNotFound    = 86003 // 参数 chatid 不存在
	ErrChatOwner       = 86005 // 参数 群主不合法: owner not a string or empty
	ErrChatMemberCount = 86006 // 群成员数过多或过少: userlist of fewer than 2 or more than 2000
	ErrNeedChatID      = 86201 // 参数 需要chatid
	ErrNeedOwner       = 86203 // 参数 需要群主: del_user_list removes the owner and names no new one
	ErrNeedMembers     = 86204 // 参数 需要群成员
	ErrChatIDTooLong   = 86205 // 参数 字符串chatid过长: over 32 characters
	ErrOwnerNotMember  = 86207 // 群主不在群成员列表
	ErrChatExists      = 86215 // 会话ID已经存在
	ErrUnknownMember   = 86216 // 存在非法会话成员ID: a userid not in Users
	maxChatName        = 50    // characters; WeCom cuts a longer name
	minChatMembers     = 2
	maxChatMembers     = 2000
	maxChatID          = 32
	autoChatIDPrefix   = "wrfake"
	errUnknownPath     = 404
)

// Chat is an app group chat as the fake keeps it.
type Chat struct {
	ID      string
	Name    string // cut to 50 characters, as WeCom cuts it
	Owner   string
	Members []string // in the order they joined
}

// appState is what the app made: its chats by chatid and its uploads by
// media_id.
type appState struct {
	chats  map[string]*Chat
	media  map[string]Upload
	nextID int
}

// Chats returns a copy of the chats the app created, by chatid.
func (s *Server) Chats() map[string]Chat {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Chat, len(s.app.chats))
	for id, c := range s.app.chats {
		cp := *c
		cp.Members = slices.Clone(c.Members)
		out[id] = cp
	}
	return out
}

// manage answers the calls that create something (appchat/create,
// appchat/update, media/upload): the answer's fields besides errcode, or
// the errcode WeCom would give; s.mu is held.
func (s *Server) manage(r *http.Request, req *Request) (map[string]any, int) {
	if s.app.chats == nil {
		s.app.chats, s.app.media = map[string]*Chat{}, map[string]Upload{}
	}
	switch req.Path {
	case PathAppChatCreate:
		return s.createChat(req.Body)
	case PathAppChatUpdate:
		return map[string]any{}, s.updateChat(req.Body)
	case PathUpload:
		return s.upload(r, req)
	}
	return nil, errUnknownPath
}

func (s *Server) createChat(body map[string]any) (map[string]any, int) {
	name, code := optString(body, "name", ErrInvalidParam)
	if code != 0 {
		return nil, code
	}
	owner, code := optString(body, "owner", ErrChatOwner)
	if code != 0 {
		return nil, code
	}
	raw, ok := body["userlist"]
	if !ok {
		return nil, ErrNeedMembers
	}
	if !stringList(raw) {
		return nil, ErrInvalidParam
	}
	var members []string
	for _, u := range raw.([]any) {
		if !slices.Contains(members, u.(string)) {
			members = append(members, u.(string))
		}
	}
	if len(members) < minChatMembers || len(members) > maxChatMembers {
		return nil, ErrChatMemberCount
	}
	if code := s.knownUsers(members); code != 0 {
		return nil, code
	}
	if owner != "" && !slices.Contains(members, owner) {
		return nil, ErrOwnerNotMember
	}
	id, code := optString(body, "chatid", ErrInvalidChatID)
	switch {
	case code != 0:
		return nil, code
	case id == "":
		s.app.nextID++
		id = fmt.Sprintf("%s%d", autoChatIDPrefix, s.app.nextID)
	case len(id) > maxChatID:
		return nil, ErrChatIDTooLong
	case !alnum(id):
		return nil, ErrInvalidChatID
	case s.app.chats[id] != nil:
		return nil, ErrChatExists
	}
	if owner == "" {
		owner = members[0]
	}
	s.app.chats[id] = &Chat{ID: id, Name: cut(name, maxChatName), Owner: owner, Members: members}
	return map[string]any{"chatid": id}, 0
}

func (s *Server) updateChat(body map[string]any) int {
	raw, ok := body["chatid"]
	if !ok {
		return ErrNeedChatID
	}
	id, _ := raw.(string)
	if id == "" {
		return ErrInvalidChatID
	}
	c := s.app.chats[id]
	if c == nil {
		return ErrChatNotFound
	}
	name, code := optString(body, "name", ErrInvalidParam)
	if code != 0 {
		return code
	}
	owner, code := optString(body, "owner", ErrChatOwner)
	if code != 0 {
		return code
	}
	lists := map[string][]string{}
	for _, k := range []string{"add_user_list", "del_user_list"} {
		v, ok := body[k]
		if !ok {
			continue
		}
		if !stringList(v) {
			return ErrInvalidParam
		}
		for _, u := range v.([]any) {
			lists[k] = append(lists[k], u.(string))
		}
	}
	if code := s.knownUsers(lists["add_user_list"]); code != 0 {
		return code
	}
	members := slices.Clone(c.Members)
	for _, u := range lists["add_user_list"] {
		if !slices.Contains(members, u) {
			members = append(members, u)
		}
	}
	members = slices.DeleteFunc(members, func(u string) bool { return slices.Contains(lists["del_user_list"], u) })
	newOwner := c.Owner
	if owner != "" {
		newOwner = owner
	}
	switch {
	case !slices.Contains(members, c.Owner) && owner == "":
		return ErrNeedOwner
	case !slices.Contains(members, newOwner):
		return ErrOwnerNotMember
	case len(members) > maxChatMembers:
		return ErrChatMemberCount
	}
	c.Members, c.Owner = members, newOwner
	if name != "" {
		c.Name = cut(name, maxChatName)
	}
	return 0
}

// sendable is the errcode of a send that passed check for what the fake
// knows: a file or image of an unknown media_id (40007) and, with
// StrictChats, a chat the app did not create (86003); s.mu is held.
func (s *Server) sendable(req *Request) int {
	if req.Path == PathAppChat && s.StrictChats && s.app.chats[fmt.Sprint(req.Body["chatid"])] == nil {
		return ErrChatNotFound
	}
	kind, _ := req.Body["msgtype"].(string)
	if kind != "file" && kind != "image" {
		return 0
	}
	id := req.Body[kind].(map[string]any)["media_id"].(string)
	if _, ok := s.app.media[id]; !ok {
		return ErrInvalidMediaID
	}
	return 0
}

// knownUsers is 86216 when Users is set and lacks one of ids.
func (s *Server) knownUsers(ids []string) int {
	for _, u := range ids {
		if s.Users != nil && !s.Users[u] {
			return ErrUnknownMember
		}
	}
	return 0
}

// optString reads an optional string field: "" when absent, bad when it
// is there but not a string.
func optString(body map[string]any, key string, bad int) (string, int) {
	v, ok := body[key]
	if !ok {
		return "", 0
	}
	s, ok := v.(string)
	if !ok {
		return "", bad
	}
	return s, 0
}

func alnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}

// cut keeps the first n characters of s.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
