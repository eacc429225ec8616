package handlers_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
	"zsbot/storage"

	"zsbot"
	transport "zsbot/bot"
	"zsbot/handlers"
)

// recordingTx is a unit of work that notes the kinds of the IDs its
// command allocates and the first project, task or item it reads.
type recordingTx struct {
	zsbot.Tx
	mu        sync.Mutex
	allocated []zsbot.Kind
	read      zsbot.Kind
	readID    string
	reads     int
}

func (r *recordingTx) NextID(ctx context.Context, kind zsbot.Kind) (string, error) {
	r.mu.Lock()
	r.allocated = append(r.allocated, kind)
	r.mu.Unlock()
	return r.Tx.NextID(ctx, kind)
}

func (r *recordingTx) note(kind zsbot.Kind, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reads++; r.reads == 1 {
		r.read, r.readID = kind, id
	}
}

func (r *recordingTx) Project(ctx context.Context, id string) (*zsbot.Project, error) {
	r.note(zsbot.KindProject, id)
	return r.Tx.Project(ctx, id)
}

func (r *recordingTx) Projects(ctx context.Context, ids []string) ([]*zsbot.Project, error) {
	r.note(zsbot.KindProject, fmt.Sprint(ids))
	return r.Tx.Projects(ctx, ids)
}

func (r *recordingTx) Task(ctx context.Context, id string) (*zsbot.Task, error) {
	r.note(zsbot.KindTask, id)
	return r.Tx.Task(ctx, id)
}

func (r *recordingTx) Item(ctx context.Context, id string) (*zsbot.Item, error) {
	r.note(zsbot.KindItem, id)
	return r.Tx.Item(ctx, id)
}

// recording runs the Mux with each message's unit of work wrapped in a
// recordingTx, keeping the Mux's plan for the claim.
type recording struct {
	mux  *handlers.Mux
	last *recordingTx
}

func (r *recording) Respond(ctx context.Context, tx zsbot.Tx, m *zsbot.Message) (string, error) {
	r.last = &recordingTx{Tx: tx}
	return r.mux.Respond(ctx, r.last, m)
}

func (r *recording) Plan(text string) zsbot.Plan { return r.mux.Plan(text) }

// TestPlan proves the claim hints right: for every verb's example and a
// few more messages, run on the production path, the ID the claim
// reserves is of a kind the handler allocates (and a write that succeeds
// uses it), and the record the claim reads ahead is the first
// project, task or item the handler reads.
func TestPlan(t *testing.T) {
	b := world(t)
	b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, SaveExport: storage.SaveIn(t.TempDir())})
	b.expect("zhangsan", "任务 P1 完成土地摘牌 12月30日", "T1")
	b.expect("zhangsan", "协调 P1 用电指标需区里协调", "C1")
	rec := &recording{mux: b.mux}
	once := transport.NewOnce(b.db, rec, transport.RunOptions{ReplyTimeout: time.Hour, CommandTimeout: time.Hour,
		ClaimTimeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
	texts := []string{
		"拜访 P1 成都 洽谈", "拜访 诺比侃 成都 洽谈", "拜访 中冶赛迪 重庆 初次接触", "接待 康硕集团 5人 考察",
		"洽谈 康硕集团西南总部基地 已完成土地预审", "签约 P3 15亿", "开工 P2", "到位 P2 3亿", "增资 P2 2亿",
		"任务 P3 完成土地摘牌 12月30日 @张三", "完成 T1", "解决 C1 已落实", "协调 P3 用电", "查 P2", "查 晶帆光电",
		"历史 P1", "改 P1 金额 55亿", "终止 P4 企业战略调整", "完成 T99", "查 诺比侃", "新项目 某某基地 企业:某某 3亿",
	}
	for _, v := range b.mux.Verbs() {
		texts = append(texts, v.Example)
	}
	planned := 0
	for i, text := range texts {
		plan := b.mux.Plan(text)
		before := b.auditLen()
		id := fmt.Sprintf("plan:%d", i)
		res := once.Run(context.Background(), &transport.Delivery{ID: id, MsgID: id, From: "admin", Text: text, Command: true, At: b.now})
		if res.Err != nil {
			t.Fatalf("%q: %v", text, res.Err)
		}
		r := rec.last
		wrote := b.auditLen() > before
		if len(r.allocated) > 0 && !slices.Contains(r.allocated, plan.Reserve) {
			t.Errorf("%q: the handler allocates %v IDs, the plan reserves %q", text, r.allocated, plan.Reserve)
		}
		if plan.Reserve != "" && wrote && len(r.allocated) == 0 {
			t.Errorf("%q wrote without the %s ID the plan reserves", text, plan.Reserve)
		}
		if plan.Read != "" {
			planned++
			if r.read != plan.Read || r.readID != plan.ReadID {
				t.Errorf("%q: the plan reads %s %s ahead, the handler reads %s %q first", text, plan.Read, plan.ReadID, r.read, r.readID)
			}
		}
		t.Logf("%q → plan %+v; allocated %v, read %s %q; %.40q", text, plan, r.allocated, r.read, r.readID, res.Reply)
	}
	if planned < 10 {
		t.Errorf("only %d messages were planned with a read ahead: the test proves too little", planned)
	}
}
