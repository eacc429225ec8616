package storage_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
)

// mustOpenEmbedded opens the embedded store in dir and closes it with the test.
func mustOpenEmbedded(tb testing.TB, dir string) *storage.Embedded {
	tb.Helper()
	e, err := storage.OpenEmbedded(context.Background(), dir, "test", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}

// addProject writes the project P<i> as one command.
func addProject(db *storage.DB, i int) error {
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zhangsan", When: time.Unix(int64(i), 0), Raw: fmt.Sprint("新项目 ", i)}}
	c.Add(nil, newProject(fmt.Sprintf("P%d", i), 20240301))
	_, err := db.Apply(context.Background(), c)
	return err
}

// storedProjects returns the sorted IDs of the projects e holds.
func storedProjects(tb testing.TB, e *storage.Embedded) []string {
	tb.Helper()
	d, err := e.Export(context.Background())
	if err != nil {
		tb.Fatalf("export: %v", err)
	}
	var ids []string
	for _, p := range d.Projects {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

// onDisk returns the projects of the data file in dir, as a restart reads it.
func onDisk(tb testing.TB, dir string) []string {
	tb.Helper()
	return storedProjects(tb, mustOpenEmbedded(tb, dir))
}

// failing is a data-file writer that fails with err while err is set.
type failing struct {
	mu  sync.Mutex
	err error
}

func (f *failing) set(err error) { f.mu.Lock(); f.err = err; f.mu.Unlock() }

func (f *failing) write(path string, data []byte) error {
	f.mu.Lock()
	err := f.err
	f.mu.Unlock()
	if err != nil {
		return &fs.PathError{Op: "write", Path: path + ".tmp-1", Err: err}
	}
	return storage.WriteFileAtomic(path, data)
}

// TestEmbeddedSaveFails: a write whose save fails is refused with EWRITE and
// a sentence naming the cause, is undone (neither in the store nor, after a
// later successful save, on disk), reads answer meanwhile, and the next
// write whose save succeeds makes the store healthy again.
func TestEmbeddedSaveFails(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"ErrDiskFull", syscall.ENOSPC, "保存失败（磁盘已满），本条未记录，请联系管理员。"},
		{"ErrPermission", syscall.EACCES, "保存失败（没有写入权限），本条未记录，请联系管理员。"},
		{"ErrIO", syscall.EIO, "保存失败（写入出错），本条未记录，请联系管理员。"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			e := mustOpenEmbedded(t, dir)
			var disk failing
			e.SetWriteFile(disk.write)
			if err := addProject(e.DB, 1); err != nil {
				t.Fatal(err)
			}
			disk.set(tc.err)
			err := addProject(e.DB, 2)
			if code := zsbot.ErrorCode(err); code != zsbot.EWRITE {
				t.Fatalf("write on a failing disk: code %q (%v), want %q", code, err, zsbot.EWRITE)
			}
			if msg := zsbot.ErrorMessage(err); msg != tc.want {
				t.Fatalf("message %q, want %q", msg, tc.want)
			}
			if serr := e.SaveErr(); !errors.Is(serr, tc.err) {
				t.Fatalf("SaveErr = %v, want the cause %v", serr, tc.err)
			}
			if n := e.SaveFailures(); n != 1 {
				t.Fatalf("SaveFailures = %d, want 1", n)
			}
			// Reads answer meanwhile, and do not see the refused write.
			if p, err := e.Project(context.Background(), "P1"); err != nil || p.ID != "P1" {
				t.Fatalf("read while saves fail: %v, %v", p, err)
			}
			if _, err := e.Project(context.Background(), "P2"); zsbot.ErrorCode(err) != zsbot.ENOTFOUND {
				t.Fatalf("the refused P2 is readable: %v", err)
			}
			if acts, err := e.OwnedProjects(context.Background(), "zhangsan"); err != nil || len(acts) != 1 {
				t.Fatalf("range read while saves fail: %d projects, %v", len(acts), err)
			}
			disk.set(nil)
			if err := addProject(e.DB, 3); err != nil {
				t.Fatalf("write after the disk recovered: %v", err)
			}
			if serr := e.SaveErr(); serr != nil {
				t.Fatalf("SaveErr after a successful save = %v", serr)
			}
			want := []string{"P1", "P3"}
			if got := storedProjects(t, e); !slices.Equal(got, want) {
				t.Fatalf("in the store: %v, want %v", got, want)
			}
			if got := onDisk(t, dir); !slices.Equal(got, want) {
				t.Fatalf("after a restart: %v, want %v", got, want)
			}
		})
	}
}

// TestEmbeddedSaveFailsConcurrently: writers at once while every other save
// fails; each write confirmed is on disk after a restart and no refused
// one is, in the store or on disk.
func TestEmbeddedSaveFailsConcurrently(t *testing.T) {
	dir := t.TempDir()
	e := mustOpenEmbedded(t, dir)
	var mu sync.Mutex
	saves := 0
	e.SetWriteFile(func(path string, data []byte) error {
		mu.Lock()
		saves++
		fail := saves%2 == 0
		mu.Unlock()
		if fail {
			return syscall.ENOSPC
		}
		return storage.WriteFileAtomic(path, data)
	})
	var confirmed []string
	won := race(16, func(i int) bool {
		err := addProject(e.DB, i+1)
		if err != nil && zsbot.ErrorCode(err) != zsbot.EWRITE {
			t.Errorf("P%d: %v", i+1, err)
		}
		return err == nil
	})
	for _, i := range won {
		confirmed = append(confirmed, fmt.Sprintf("P%d", i+1))
	}
	slices.Sort(confirmed)
	if len(won) == 0 || len(won) == 16 {
		t.Fatalf("%d of 16 confirmed: the test needs confirmed and refused writes", len(won))
	}
	if got := storedProjects(t, e); !slices.Equal(got, confirmed) {
		t.Fatalf("in the store: %v, confirmed %v", got, confirmed)
	}
	if got := onDisk(t, dir); !slices.Equal(got, confirmed) {
		t.Fatalf("after a restart: %v, confirmed %v", got, confirmed)
	}
}

// TestEmbeddedDiskFull fills a small tmpfs: every write confirmed before the
// disk filled is there after a restart, none refused is, and writes are
// confirmed again once space is freed.
func TestEmbeddedDiskFull(t *testing.T) {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (%v: %s); TestEmbeddedSaveFails covers the failing disk", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 24<<10), 0o600); err != nil {
		t.Fatal(err)
	}
	e := mustOpenEmbedded(t, dir)
	var confirmed []string
	i := 1
	for ; ; i++ {
		err := addProject(e.DB, i)
		if err == nil {
			confirmed = append(confirmed, fmt.Sprintf("P%d", i))
			continue
		}
		if msg := zsbot.ErrorMessage(err); msg != "保存失败（磁盘已满），本条未记录，请联系管理员。" {
			t.Fatalf("P%d on a full disk: %q (%v)", i, msg, err)
		}
		break
	}
	if len(confirmed) == 0 {
		t.Fatal("the disk was full before the first write")
	}
	if serr := e.SaveErr(); !errors.Is(serr, syscall.ENOSPC) {
		t.Fatalf("SaveErr = %v, want ENOSPC", serr)
	}
	slices.Sort(confirmed)
	if got := storedProjects(t, e); !slices.Equal(got, confirmed) {
		t.Fatalf("in the store: %v, confirmed %v", got, confirmed)
	}
	if got := onDisk(t, dir); !slices.Equal(got, confirmed) {
		t.Fatalf("after a restart on a full disk: %v, confirmed %v", got, confirmed)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	i++
	if err := addProject(e.DB, i); err != nil {
		t.Fatalf("write after space was freed: %v", err)
	}
	if serr := e.SaveErr(); serr != nil {
		t.Fatalf("SaveErr after space was freed = %v", serr)
	}
	confirmed = append(confirmed, fmt.Sprintf("P%d", i))
	slices.Sort(confirmed)
	if got := onDisk(t, dir); !slices.Equal(got, confirmed) {
		t.Fatalf("after a restart: %v, confirmed %v", got, confirmed)
	}
}
