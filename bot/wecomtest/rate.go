package wecomtest

import (
	"strings"
	"time"
)

// WeCom's rate limits as the fake keeps them, over any 60 seconds of the
// fake's clock (Server.Now): a robot beyond 20 messages is answered 45009;
// an app message to a member who had 30 is answered 0 but dropped, as
// WeCom drops it without telling.
const (
	ErrRateLimited = 45009 // api freq out of limit
	rateWindow     = time.Minute
	robotPerWindow = 20
	appPerMember   = 30
)

// now is the fake's time.
func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// rate applies the limits to req, a send that passed every other check,
// and reports its errcode; s.mu is held.
func (s *Server) rate(req *Request) int {
	if s.sends == nil {
		s.sends = map[string][]time.Time{}
	}
	switch req.Path {
	case PathWebhook:
		if !s.room("robot:"+req.Token, req.At, robotPerWindow) {
			return ErrRateLimited
		}
		s.sends["robot:"+req.Token] = append(s.sends["robot:"+req.Token], req.At)
	case PathMessage:
		to, _ := req.Body["touser"].(string)
		members := strings.Split(to, "|")
		for _, u := range members {
			if !s.room("app:"+u, req.At, appPerMember) {
				req.Dropped = true
				return 0
			}
		}
		for _, u := range members {
			s.sends["app:"+u] = append(s.sends["app:"+u], req.At)
		}
	}
	return 0
}

// room reports whether dest took fewer than limit sends in the 60 seconds
// up to at.
func (s *Server) room(dest string, at time.Time, limit int) bool {
	n := 0
	for _, t := range s.sends[dest] {
		if t.After(at.Add(-rateWindow)) && !t.After(at) {
			n++
		}
	}
	return n < limit
}
