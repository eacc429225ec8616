package handlers

import (
	"context"
	"strings"
	"time"

	"zsbot"
)

// Notice is a scheduled notice as 通报 and 群 use it. cmd/zsbot passes the
// notices' registry (each a *jobs.Notice) in Config.Notices, so the verbs
// render and queue notices without linking the scheduler.
type Notice interface {
	// Names returns the notice's English name (half-monthly, as in
	// Group.Notices), the short name officers type (半月) and its title
	// (半月通报).
	Names() (name, short, title string)
	// Is reports whether word names the notice: any of its names or
	// aliases.
	Is(word string) bool
	// ForGroups reports whether groups can take the notice (personal
	// reminders go to officers instead).
	ForGroups() bool
	// Default reports whether a new group of scope takes the notice when
	// it names none.
	Default(scope string) bool
	// Preview renders the notice as of now for 通报 预览; "" when there is
	// nothing to send.
	Preview(ctx context.Context, s zsbot.Store, now time.Time) (string, error)
	// Messages renders and routes the notice as of now (late marks a
	// catch-up), ready to queue.
	Messages(ctx context.Context, s zsbot.Store, now time.Time, late bool) ([]*zsbot.Outgoing, error)
}

// charted is a Notice with a chart (a *jobs.Notice): Chart draws its PNG
// as of now, or returns a *zsbot.Error saying why there is none.
type charted interface {
	Chart(ctx context.Context, s zsbot.Store, now time.Time) ([]byte, error)
}

// NoticesOf converts a registry of notices (jobs.Notices()) for
// Config.Notices.
func NoticesOf[N Notice](registry []N) []Notice {
	ns := make([]Notice, 0, len(registry))
	for _, n := range registry {
		ns = append(ns, n)
	}
	return ns
}

// lookupNotice returns the notice that word names, or nil.
func (h *handlers) lookupNotice(word string) Notice {
	for _, n := range h.mux.cfg.Notices {
		if n.Is(word) {
			return n
		}
	}
	return nil
}

// noticeShorts lists the short names of the notices that keep accepts
// (every notice when keep is nil), joined by sep: "半月|月度|季度|逾期|个人".
func (h *handlers) noticeShorts(sep string, keep func(Notice) bool) string {
	var shorts []string
	for _, n := range h.mux.cfg.Notices {
		if keep == nil || keep(n) {
			_, short, _ := n.Names()
			shorts = append(shorts, short)
		}
	}
	return strings.Join(shorts, sep)
}

// noticeName is the English name of n.
func noticeName(n Notice) string {
	name, _, _ := n.Names()
	return name
}

// noticeTitle is the title of n.
func noticeTitle(n Notice) string {
	_, _, title := n.Names()
	return title
}
