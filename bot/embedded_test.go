package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecompeer"
	"zsbot/config"
	"zsbot/handlers"
	"zsbot/storage"
)

const refusedOnFullDisk = "保存失败（磁盘已满），本条未记录，请联系管理员。"

// disk writes the embedded store's file, failing with ENOSPC the saves
// numbered from fail (counting from 1) up to but not including ok.
type disk struct {
	mu       sync.Mutex
	saves    int
	fail, ok int
}

// failSaves makes the next n saves after the next skip ones fail.
func (d *disk) failSaves(skip, n int) {
	d.mu.Lock()
	d.fail, d.ok = d.saves+skip+1, d.saves+skip+n+1
	d.mu.Unlock()
}

func (d *disk) write(path string, data []byte) error {
	d.mu.Lock()
	d.saves++
	fail := d.saves >= d.fail && d.saves < d.ok
	d.mu.Unlock()
	if fail {
		return fmt.Errorf("storage: save: write %s.tmp-1: %w", path, syscall.ENOSPC)
	}
	return storage.WriteFileAtomic(path, data)
}

// embeddedBot is the console and the WeCom callback over the real handlers
// and the embedded store in dir, whose saves go through a disk.
type embeddedBot struct {
	emb   *storage.Embedded
	disk  *disk
	mux   *handlers.Mux
	cb    *bot.Callback
	msgID int
	wx    *realBot // the callback, posted to directly
}

func newEmbeddedBot(t *testing.T, dir string) *embeddedBot {
	t.Helper()
	emb, err := storage.OpenEmbedded(context.Background(), dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emb.Close() })
	b := &embeddedBot{emb: emb, disk: &disk{}}
	emb.SetWriteFile(b.disk.write)
	log := slog.New(slog.DiscardHandler)
	b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: time.UTC, Log: log})
	w := config.WeCom{CorpID: vectorA.receiveID, Token: vectorA.token, AESKey: vectorA.aesKey, AgentID: "218"}
	if b.cb, err = bot.NewCallback(w, emb.DB, b.mux, bot.CallbackOptions{Logger: log, ReplyTimeout: time.Minute}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.cb.Shutdown(context.Background()) })
	b.wx = &realBot{cb: b.cb, client: &wecompeer.Client{Token: w.Token, AESKey: w.AESKey, CorpID: w.CorpID, AgentID: w.AgentID}}
	return b
}

// console runs line through the console as admin and returns the reply.
func (b *embeddedBot) console(t *testing.T, line string) string {
	t.Helper()
	var out strings.Builder
	c := &bot.Console{Units: b.emb.DB, Responder: b.mux, User: "admin", In: strings.NewReader(line + "\n"), Out: &out}
	if err := c.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out.String())
}

// wecom delivers line from admin through the callback (which must answer
// 200) and returns the passive reply and the delivery's id.
func (b *embeddedBot) wecom(t *testing.T, line string) (string, string) {
	t.Helper()
	b.msgID++
	id := strconv.Itoa(8e8 + b.msgID)
	reply, _ := b.wx.deliver(t, b.wx.client.Text("admin", line, id, time.Now()))
	return reply, bot.MessageDelivery("admin", id)
}

// activities returns how many activities the data file in dir holds, as a
// restart reads it.
func activities(t *testing.T, dir string) int {
	t.Helper()
	again, err := storage.OpenEmbedded(context.Background(), dir, "test", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	d, err := again.Export(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return len(d.Activities)
}

// TestEmbeddedDiskFull: on the embedded store whose saves fail, a 拜访
// through the console or WeCom (whose claim is refused, or whose commit
// is) is answered with the 保存失败 sentence and HTTP 200, a 查 answers,
// and nothing of the 拜访 is in the file after a restart; once the disk
// recovers, the same line is recorded.
func TestEmbeddedDiskFull(t *testing.T) {
	dir := t.TempDir()
	b := newEmbeddedBot(t, dir)
	const visit = "拜访 诺比侃 成都 昨天 洽谈机器视觉装备项目"
	if r := b.console(t, "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 51亿"); strings.Contains(r, "失败") {
		t.Fatalf("新项目: %q", r)
	}

	b.disk.failSaves(0, 1000)
	if r := b.console(t, visit); r != refusedOnFullDisk {
		t.Fatalf("console 拜访 on a full disk: %q", r)
	}
	if r := b.console(t, "查 诺比侃"); !strings.Contains(r, "诺比侃机器视觉智能装备生产总部") {
		t.Fatalf("console 查 on a full disk: %q", r)
	}
	if r, _ := b.wecom(t, visit); r != refusedOnFullDisk {
		t.Fatalf("WeCom 拜访 whose claim is refused: %q", r)
	}
	if n := activities(t, dir); n != 0 {
		t.Fatalf("after a restart: %d activities recorded, want 0", n)
	}

	// The claim is saved, the commit is not: the reply says so, and the
	// once-only record does not claim the command done.
	b.disk.failSaves(1, 1000)
	r, dlv := b.wecom(t, visit)
	if r != refusedOnFullDisk {
		t.Fatalf("WeCom 拜访 whose commit is refused: %q", r)
	}
	if d, err := b.emb.GetDelivery(context.Background(), dlv); err == nil && d.Done {
		t.Fatalf("the refused command's once-only record claims it done: %+v", d)
	}
	if err := b.emb.SaveErr(); err == nil {
		t.Fatal("SaveErr is nil while saves fail")
	}
	// Once the disk recovers, the claim is released (in the background),
	// so that a retry of the message would run it.
	b.disk.failSaves(0, 0)
	// (Reads take no lock: one may see the release before its save, hence
	// SaveErr: the only writer is the release.)
	waitFor(t, "the refused command's claim to be released", func() bool {
		_, err := b.emb.GetDelivery(context.Background(), dlv)
		return zsbot.ErrorCode(err) == zsbot.ENOTFOUND && b.emb.SaveErr() == nil
	})
	// Only the commit fails; the reply that says so is recorded.
	b.disk.failSaves(1, 1)
	r, dlv = b.wecom(t, visit)
	if r != refusedOnFullDisk {
		t.Fatalf("WeCom 拜访 whose commit is refused once: %q", r)
	}
	if d, err := b.emb.GetDelivery(context.Background(), dlv); err != nil || !d.Done || d.Reply != refusedOnFullDisk {
		t.Fatalf("once-only record %+v, %v; want done with the refusal", d, err)
	}
	if n := activities(t, dir); n != 0 {
		t.Fatalf("after a restart: %d activities recorded, want 0", n)
	}

	b.disk.failSaves(0, 0)
	if r, _ := b.wecom(t, visit); !strings.HasPrefix(r, "已记录") {
		t.Fatalf("WeCom 拜访 after the disk recovered: %q", r)
	}
	if err := b.emb.SaveErr(); err != nil {
		t.Fatalf("SaveErr after a successful save: %v", err)
	}
	if n := activities(t, dir); n != 1 {
		t.Fatalf("after a restart: %d activities recorded, want 1", n)
	}
}

// saver is a Saver whose error the test sets.
type saver struct {
	mu  sync.Mutex
	err error
}

func (s *saver) SaveErr() error { s.mu.Lock(); defer s.mu.Unlock(); return s.err }

func (s *saver) set(err error) { s.mu.Lock(); s.err = err; s.mu.Unlock() }

// TestReadinessSaveFails: /readyz fails, naming the cause, while the
// store's saves fail, and is ready again once one succeeds.
func TestReadinessSaveFails(t *testing.T) {
	s := &saver{}
	e := newEnv(t, bot.Options{Saves: s})
	s.set(fmt.Errorf("storage: save: write /data/zsbot.jsonl.tmp-1: %w", syscall.ENOSPC))
	body, code := get(t, e.admin+"/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no space left on device") {
		t.Fatalf("/readyz while saves fail = %d %q", code, body)
	}
	s.set(nil)
	if body, code := get(t, e.admin+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz after a save succeeded = %d %q", code, body)
	}
}

// TestConsoleRunsDoNotShareLines: two console runs with one fixed clock
// (--now) are two runs, each line its own message — not the first run's
// line taken as already done and its reply printed again.
func TestConsoleRunsDoNotShareLines(t *testing.T) {
	b := newEmbeddedBot(t, t.TempDir())
	at := time.Date(2025, 3, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	run := func(line string) string {
		var out strings.Builder
		c := &bot.Console{Units: b.emb.DB, Responder: b.mux, User: "admin", In: strings.NewReader(line + "\n"), Out: &out,
			Clock: func() time.Time { return at }}
		if err := c.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	first := run("新项目 甲项目 企业:甲公司 10亿")
	second := run("新项目 乙项目 企业:乙公司 20亿")
	if !strings.Contains(first, "P1 甲项目") || !strings.Contains(second, "P2 乙项目") {
		t.Fatalf("two runs at one clock: %q, then %q; want P1 甲项目, then P2 乙项目", first, second)
	}
}
