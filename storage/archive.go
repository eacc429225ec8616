package storage

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// ArchiveOptions says which audit entries ArchiveAudit moves out of Redis
// and where to.
type ArchiveOptions struct {
	// Dir is where the monthly files YYYY-MM.jsonl go.
	Dir string
	// Keep is how long an entry stays in Redis (by its stream ID, the time
	// Redis wrote it); 0 keeps every entry.
	Keep time.Duration
	// Now is the current time; Loc the zone of the files' months.
	Now time.Time
	Loc *time.Location
	// DryRun counts what would be archived and trimmed, writing nothing.
	DryRun bool
	// BeforeTrim, when set, is called after the files are written and
	// synced and before anything is trimmed; an error stops the run there
	// (tests stand in a crash with it).
	BeforeTrim func() error
}

// ArchiveReport is what one ArchiveAudit did (or would do, in a dry run).
type ArchiveReport struct {
	Archived int      // entries written to the files
	Files    []string // the files written to
	Trimmed  int64    // entries trimmed from the stream
	Unlisted int64    // IDs taken off history and undo lists
	Cutoff   time.Time
}

// archivedMark ends a history or undo list whose older entries were
// archived; the seconds kept follow it ("archived:34560000").
const archivedMark = "archived:"

// listBatch is how many lists one run of the trim script takes.
const listBatch = 200

// ArchiveAudit moves the audit entries older than o.Keep out of Redis:
// first it appends them to monthly JSON-lines files in o.Dir, one line per
// entry ({"id", "e", "m"}) and syncs them, then it trims the stream (XTRIM
// MINID) and takes their IDs off the history and undo lists, ending each
// list that lost some with a mark that 历史 and 撤销 read. It is
// idempotent: the last ID in the newest file says where the files end
// (a line cut short by a crash is dropped and written again), so an entry
// is never written twice, and a run that dies between the files and the
// trim leaves the entries in Redis for the next run to trim.
func (db *DB) ArchiveAudit(ctx context.Context, o ArchiveOptions) (*ArchiveReport, error) {
	rep := &ArchiveReport{}
	if o.Keep <= 0 {
		return rep, nil
	}
	if o.Loc == nil {
		o.Loc = time.UTC
	}
	rep.Cutoff = o.Now.Add(-o.Keep)
	cut := rep.Cutoff.UnixMilli()
	files := archiveFiles{dir: o.Dir, dry: o.DryRun}
	last, err := files.last()
	if err != nil {
		return nil, err
	}
	from := "-"
	if last != "" {
		from = nextID(last)
	}
	_, err = db.eachAudit(ctx, from, func(page []redis.XMessage) (bool, error) {
		lines := map[string][]byte{}
		var order []string
		for _, m := range page {
			ms, _ := splitID(m.ID)
			if ms >= cut {
				break
			}
			name := time.UnixMilli(ms).In(o.Loc).Format("2006-01") + ".jsonl"
			if _, ok := lines[name]; !ok {
				order = append(order, name)
			}
			line, err := archiveLine(m)
			if err != nil {
				return false, err
			}
			lines[name] = append(lines[name], line...)
			rep.Archived++
		}
		for _, name := range order {
			if err := files.append(name, lines[name]); err != nil {
				return false, err
			}
			if len(rep.Files) == 0 || rep.Files[len(rep.Files)-1] != name {
				rep.Files = append(rep.Files, name)
			}
		}
		return lastMS(page) < cut, nil
	})
	if err != nil {
		return nil, err
	}
	if o.BeforeTrim != nil {
		if err := o.BeforeTrim(); err != nil {
			return rep, err
		}
	}
	return rep, db.trimAudit(ctx, rep, cut, o)
}

// trimAudit trims the stream and the lists of the entries before cut (ms).
func (db *DB) trimAudit(ctx context.Context, rep *ArchiveReport, cut int64, o ArchiveOptions) error {
	minID := strconv.FormatInt(cut, 10) + "-0"
	if o.DryRun {
		before := strconv.FormatInt(cut-1, 10) + "-18446744073709551615"
		n, err := db.rdb.XRange(ctx, db.k.audit(), "-", before).Result()
		rep.Trimmed = int64(len(n))
		return wrap("archive audit", err)
	}
	var err error
	if rep.Trimmed, err = db.rdb.XTrimMinID(ctx, db.k.audit(), minID).Result(); err != nil {
		return wrap("archive audit", err)
	}
	all, err := db.scanKeys(ctx)
	if err != nil {
		return err
	}
	var lists []string
	for _, k := range all {
		if strings.HasPrefix(k, db.k.history("")) || strings.HasPrefix(k, db.k.undo("")) {
			lists = append(lists, k)
		}
	}
	mark := archivedMark + strconv.FormatInt(int64(o.Keep/time.Second), 10)
	for len(lists) > 0 {
		n := min(len(lists), listBatch)
		got, err := auditTrimScript.Run(ctx, db.rdb, lists[:n], cut, mark).Int64()
		if err != nil {
			return wrap("archive audit", err)
		}
		rep.Unlisted += got
		lists = lists[n:]
	}
	return nil
}

// archiveLine is one entry as a line of an archive file.
func archiveLine(m redis.XMessage) ([]byte, error) {
	e, _ := m.Values["e"].(string)
	d, _ := m.Values["m"].(string)
	line, err := json.Marshal(struct {
		ID    string          `json:"id"`
		Entry json.RawMessage `json:"e"`
		M     string          `json:"m,omitempty"`
	}{m.ID, json.RawMessage(e), d})
	if err != nil {
		return nil, fmt.Errorf("storage: archive %s: %w", m.ID, err)
	}
	return append(line, '\n'), nil
}

// archivedKeep reads the retention from a list's archived mark.
func archivedKeep(item string) (time.Duration, bool) {
	s, ok := strings.CutPrefix(item, archivedMark)
	if !ok {
		return 0, false
	}
	n, _ := strconv.ParseInt(s, 10, 64)
	return time.Duration(n) * time.Second, true
}

// splitID parses a stream ID "ms-seq".
func splitID(id string) (ms int64, seq uint64) {
	a, b, _ := strings.Cut(id, "-")
	ms, _ = strconv.ParseInt(a, 10, 64)
	seq, _ = strconv.ParseUint(b, 10, 64)
	return ms, seq
}

// nextID is the stream ID right after id.
func nextID(id string) string {
	ms, seq := splitID(id)
	return strconv.FormatInt(ms, 10) + "-" + strconv.FormatUint(seq+1, 10)
}

func lastMS(page []redis.XMessage) int64 {
	ms, _ := splitID(page[len(page)-1].ID)
	return ms
}
