package storage_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"zsbot/storage"
	"zsbot/storage/redistest"
)

var errInjected = errors.New("injected Redis failure")

// faultHook fails the Nth call to Redis (a command or a pipeline) and,
// with every, each one after it. With lost, the call reaches Redis and only
// its reply is lost. Before, when set, runs before each call named so.
type faultHook struct {
	at     int64
	every  bool
	lost   bool
	calls  atomic.Int64
	before map[string]func()
	names  []string // of the calls, in order
}

func (h *faultHook) fail(name string, run func() error) error {
	if name == "hello" || name == "client" {
		return run() // a connection's set-up, not the restore's
	}
	if f := h.before[name]; f != nil {
		f()
	}
	n := h.calls.Add(1)
	h.names = append(h.names, name)
	if h.at == 0 || n < h.at || n > h.at && !h.every {
		return run()
	}
	if h.lost {
		run()
	}
	return errInjected
}

func (h *faultHook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) { return next(ctx, network, addr) }
}

func (h *faultHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		return h.fail(cmd.Name(), func() error { return next(ctx, cmd) })
	}
}

func (h *faultHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		name := "pipeline"
		if len(cmds) > 0 {
			if n := cmds[0].Name(); n == "hello" || n == "client" {
				name = n
			}
		}
		return h.fail(name, func() error { return next(ctx, cmds) })
	}
}

// faultRig is a populated bureau, the backup of different data of the
// same bureau to restore over it, and another bureau beside it.
type faultRig struct {
	d      deployment
	db     *storage.DB
	backup []byte
	want   *storage.DB // holds what the backup holds
}

func newFaultRig(t *testing.T) *faultRig {
	r := &faultRig{d: topologies[0].start(t)}
	r.db = r.d.db(t, "test")
	populate(t, r.db, 20)
	r.want = mustDB(t)
	populateFrom(t, r.want, 100, 7)
	r.backup = mustBackup(t, r.want)
	// Another bureau on the same server, restored from the same backup: it
	// must come through the faults untouched, and its restore leaves the
	// swap script in the server's cache, so a swap is one EVALSHA.
	if _, err := r.d.db(t, "warm").Restore(context.Background(), bytes.NewReader(r.backup), storage.RestoreOptions{AsBureau: "test"}); err != nil {
		t.Fatal(err)
	}
	return r
}

// restore restores the backup through a client with hook h.
func (r *faultRig) restore(t *testing.T, h *faultHook) error {
	db := r.d.db(t, "test")
	db.Client().AddHook(h)
	_, err := db.Restore(context.Background(), bytes.NewReader(r.backup), storage.RestoreOptions{Replace: true})
	return err
}

// TestRestoreFaultLeavesOldData fails each call a restore --replace makes
// to Redis in turn — the scans, the staging pipeline, the swap — until one
// restore gets through: every failed one leaves the server byte for byte as
// it was, and the one that gets through leaves the backup's data.
func TestRestoreFaultLeavesOldData(t *testing.T) {
	t.Parallel()
	r := newFaultRig(t)
	before := redistest.Snapshot(t, r.db.Client(), "*")
	at := int64(1)
	var names []string
	for ; ; at++ {
		h := &faultHook{at: at}
		err := r.restore(t, h)
		if err == nil {
			names = h.names
			break
		}
		if !errors.Is(err, errInjected) {
			t.Fatalf("call %d failed: %v, not the injected error", at, err)
		}
		if after := redistest.Snapshot(t, r.db.Client(), "*"); !reflect.DeepEqual(before, after) {
			t.Fatalf("a failure of call %d changed the server", at)
		}
	}
	if int(at) != len(names)+1 {
		t.Fatalf("the restore that got through made %d calls (%s), but only %d were failed", len(names), strings.Join(names, " "), at-1)
	}
	if got := strings.Join(names, " "); !strings.Contains(got, "scan") || !strings.Contains(got, "pipeline") || !strings.HasSuffix(got, "evalsha") {
		t.Fatalf("a restore's calls were %s: scans, staging and swap were not all failed", got)
	}
	t.Logf("failed each of a restore's %d calls in turn: %s", at-1, strings.Join(names, " "))
	if !reflect.DeepEqual(mustExport(t, r.db), mustExport(t, r.want)) {
		t.Fatal("the restore that got through did not leave the backup's data")
	}
}

// TestRestoreSwapReplyLost loses the reply to the swap: the restore reports
// the error, and the bureau holds the backup's keys, not a mix.
func TestRestoreSwapReplyLost(t *testing.T) {
	t.Parallel()
	r := newFaultRig(t)
	h := &faultHook{lost: true}
	h.before = map[string]func(){"evalsha": func() { h.at = h.calls.Load() + 1 }}
	if err := r.restore(t, h); !errors.Is(err, errInjected) {
		t.Fatalf("restore: %v", err)
	}
	if !reflect.DeepEqual(backupKeys(t, mustBackup(t, r.db)), backupKeys(t, r.backup)) ||
		!reflect.DeepEqual(mustExport(t, r.db), mustExport(t, r.want)) {
		t.Fatal("after the lost reply the bureau is not the backup's")
	}
}

// TestRestoreStagedKeyGone removes a staged key just before the swap, as
// a restore started meanwhile would: the swap refuses before it writes.
func TestRestoreStagedKeyGone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newFaultRig(t)
	before := redistest.Snapshot(t, r.db.Client(), "*")
	raw := r.d.db(t, "test").Client()
	h := &faultHook{before: map[string]func(){"evalsha": func() {
		staged, _ := raw.Keys(ctx, "zs:{test}:restore:*").Result()
		if len(staged) == 0 {
			t.Error("nothing staged before the swap")
			return
		}
		raw.Del(ctx, staged[len(staged)/2])
	}}}
	if err := r.restore(t, h); err == nil || !strings.Contains(err.Error(), "is gone") {
		t.Fatalf("restore: %v", err)
	}
	if after := redistest.Snapshot(t, r.db.Client(), "*"); !reflect.DeepEqual(before, after) {
		t.Fatal("the refused swap changed the server")
	}
}

// TestRestoreStagedKeysOfACrash leaves staged keys behind, as a restore
// that dies before its swap does: backups and exports do not see them, and
// the next restore removes them.
func TestRestoreStagedKeysOfACrash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newFaultRig(t)
	before, exported := mustBackup(t, r.db), mustExport(t, r.db)
	h := &faultHook{every: true}
	h.before = map[string]func(){"evalsha": func() {
		if h.at == 0 {
			h.at = h.calls.Load() + 1
		}
	}}
	if err := r.restore(t, h); !errors.Is(err, errInjected) {
		t.Fatalf("restore: %v", err)
	}
	left, _ := r.db.Client().Keys(ctx, "zs:{test}:restore:*").Result()
	if len(left) == 0 {
		t.Fatal("no staged key left behind")
	}
	if !reflect.DeepEqual(backupKeys(t, mustBackup(t, r.db)), backupKeys(t, before)) {
		t.Fatal("a backup sees the staged keys")
	}
	if !reflect.DeepEqual(mustExport(t, r.db), exported) {
		t.Fatal("an export sees the staged keys")
	}
	if err := r.restore(t, &faultHook{}); err != nil {
		t.Fatal(err)
	}
	if left, _ := r.db.Client().Keys(ctx, "zs:{test}:restore:*").Result(); len(left) != 0 {
		t.Fatalf("the next restore left %d staged keys", len(left))
	}
	if !reflect.DeepEqual(mustExport(t, r.db), mustExport(t, r.want)) {
		t.Fatal("the next restore did not leave the backup's data")
	}
}
