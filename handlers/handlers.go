package handlers

import (
	"log/slog"
	"time"
)

// handlers holds what every verb needs.
type handlers struct {
	loc *time.Location
	log *slog.Logger
	mux *Mux
}

// New returns the Mux with every verb of the command language registered.
func New(cfg Config) *Mux {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Loc == nil {
		cfg.Loc = time.UTC
	}
	m := &Mux{cfg: cfg}
	h := &handlers{loc: cfg.Loc, log: cfg.Log, mux: m}
	for _, v := range []*Verb{
		h.helpVerb(),
		h.newProjectVerb(),
		h.visitVerb(),
		h.receiveVerb(),
		h.promoteVerb(),
		h.talkVerb(),
		h.reviewVerb(),
		h.signVerb(),
		h.increaseVerb(),
		h.startVerb(),
		h.operateVerb(),
		h.fundVerb(),
		h.dropVerb(),
		h.taskVerb(),
		h.doneVerb(),
		h.issueVerb(),
		h.resolveVerb(),
		h.showVerb(),
		h.mineVerb(),
		h.editVerb(),
		h.deleteVerb(),
		h.mergeVerb(),
		h.undoVerb(),
		h.historyVerb(),
		h.staffVerb(),
		h.statsVerb(), h.targetVerb(), h.groupVerb(), h.noticeVerb(), h.exportVerb(),
	} {
		m.Handle(v)
	}
	return m
}
