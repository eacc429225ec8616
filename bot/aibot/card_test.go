package aibot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"zsbot/bot/aibot"
	"zsbot/bot/aibot/aibotpeer"
)

// clock is a test clock the bot reads, moved by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// cardWorld is a bureau with an officer's project, an overdue task T1 and
// a 协调 item C1, on a clock ten days past T1's due date.
func cardWorld(t *testing.T) (*e2e, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)}
	e := newE2E(t, aibot.Options{Now: c.now})
	e.setup(t)
	for _, cmd := range []string{"新项目 康硕重庆基地 企业:康硕", "任务 P1 报送用地需求 3月5日", "任务 P1 补充环评材料 3月6日",
		"协调 P1 用电指标需区里协调"} {
		e.say(t, "zhangsan", "", cmd)
	}
	c.add(10 * 24 * time.Hour)
	if ts, _ := e.db.OpenTasks(context.Background(), "zhangsan", 20260331); len(ts) != 2 {
		t.Fatalf("setup: open tasks %+v", ts)
	}
	return e, c
}

func (e *e2e) click(t *testing.T, msgID, user string, chat aibotpeer.Chat, key, taskID string) *aibotpeer.Card {
	t.Helper()
	_, r := e.post(t, e.peer.Click(msgID, user, chat, key, taskID, time.Now()))
	if r == nil || r.ResponseType != "update_template_card" || r.Card == nil {
		t.Fatalf("click %s by %s: %+v, want a card update", key, user, r)
	}
	return r.Card
}

func keys(c *aibotpeer.Card) string {
	var k []string
	for _, b := range c.Buttons {
		k = append(k, b.Key)
	}
	return strings.Join(k, " ")
}

// TestCardClick: 我的 one-to-one shows the oldest overdue task's card; its
// 「已完成」 completes the task once under four deliveries of the click
// and updates the card to say who did it.
func TestCardClick(t *testing.T) {
	e, _ := cardWorld(t)
	_, r := e.post(t, e.peer.Text(e.nextID(), "zhangsan", "", "我的"))
	if r == nil || r.MsgType != "stream_with_template_card" || r.Card == nil || r.Stream == nil || !r.Stream.Finish {
		t.Fatalf("我的: %+v", r)
	}
	card := r.Card
	if keys(card) != "done:T1 delay:T1" || !strings.Contains(card.MainTitle.Title, "逾期任务 T1") || card.TaskID == "" {
		t.Fatalf("card %+v", card)
	}
	var first *aibotpeer.Card
	for i := range 4 {
		c := e.click(t, "clk1", "zhangsan", "", "done:T1", card.TaskID)
		if c.MainTitle.Title != "任务 T1 已完成" || keys(c) != "none:T1" || !strings.HasPrefix(c.Field("操作"), "张三：") ||
			c.TaskID != card.TaskID {
			t.Fatalf("delivery %d: card %+v", i, c)
		}
		if first == nil {
			first = c
		} else if c.Field("操作") != first.Field("操作") {
			t.Fatalf("delivery %d says %q, the first %q", i, c.Field("操作"), first.Field("操作"))
		}
	}
	task, err := e.db.Task(context.Background(), "T1")
	if err != nil || task.DoneOn.IsZero() {
		t.Fatalf("T1 %+v, %v", task, err)
	}
	log, err := e.db.AuditLog(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range log {
		if a.Raw == "完成 T1" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d audit entries of 完成 T1, want 1", n)
	}
	// The done card's button does nothing but show the card again.
	if c := e.click(t, "clk2", "zhangsan", "", "none:T1", card.TaskID); c.MainTitle.Title != "任务 T1 已完成" {
		t.Fatalf("inert click: %+v", c)
	}
	// A click in a group runs as the member who clicked: lisi closes T2.
	c := e.click(t, "clk3", "lisi", group, "done:T2", "zs_T2_x")
	if c.MainTitle.Title != "任务 T2 已完成" || !strings.HasPrefix(c.Field("操作"), "李四：") {
		t.Fatalf("lisi's click: %+v", c)
	}
}

// TestCardRefused: a member without permission is refused on the card,
// which keeps its buttons, and nothing changes.
func TestCardRefused(t *testing.T) {
	e, _ := cardWorld(t)
	c := e.click(t, "clk9", "wangwu", group, "done:T1", "zs_T1_x")
	if keys(c) != "done:T1 delay:T1" || !strings.Contains(c.Field("操作"), "wangwu") || !strings.Contains(c.Field("操作"), "登记") {
		t.Fatalf("card %+v", c)
	}
	e.say(t, "admin", "", "人员 停用 lisi")
	c = e.click(t, "clk10", "lisi", group, "done:T1", "zs_T1_x")
	if keys(c) != "done:T1 delay:T1" || !strings.Contains(c.Field("操作"), "停用") {
		t.Fatalf("card %+v", c)
	}
	if task, err := e.db.Task(context.Background(), "T1"); err != nil || !task.DoneOn.IsZero() {
		t.Fatalf("T1 %+v, %v", task, err)
	}
	// Keys that are not ours are ignored.
	for _, key := range []string{"done:P1", "resolve:T1", "drop:T1", "done:T1 x", ""} {
		if code, r := e.post(t, e.peer.Click("k"+key, "zhangsan", "", key, "zs", time.Now())); code != 200 || r != nil {
			t.Errorf("key %q: %d %+v", key, code, r)
		}
	}
}

// TestItemCard: 查 C1 shows the item's card; 「已解决」 resolves it.
func TestItemCard(t *testing.T) {
	e, _ := cardWorld(t)
	_, r := e.post(t, e.peer.Text(e.nextID(), "zhangsan", group, "@招商助手 查 C1"))
	if r == nil || r.Card == nil || keys(r.Card) != "resolve:C1" {
		t.Fatalf("查 C1: %+v", r)
	}
	c := e.click(t, "clk20", "zhangsan", group, "resolve:C1", r.Card.TaskID)
	if c.MainTitle.Title != "协调事项 C1 已解决" || keys(c) != "none:C1" || !strings.HasPrefix(c.Field("操作"), "张三：") {
		t.Fatalf("card %+v", c)
	}
	if it, err := e.db.Item(context.Background(), "C1"); err != nil || it.ResolvedOn.IsZero() {
		t.Fatalf("C1 %+v, %v", it, err)
	}
	// A closed record gets no card.
	if _, r := e.post(t, e.peer.Text(e.nextID(), "zhangsan", group, "@招商助手 查 C1")); r == nil || r.Card != nil {
		t.Fatalf("查 C1 closed: %+v", r)
	}
}

// TestCardDelay: 「延期一周」 runs 改 T1 截止 <today + 7> for an overdue
// task, once under retries; the card stays open with the new date.
func TestCardDelay(t *testing.T) {
	e, _ := cardWorld(t)
	for i := range 3 {
		c := e.click(t, "clk30", "zhangsan", group, "delay:T1", "zs_T1_y")
		if keys(c) != "done:T1 delay:T1" || c.Field("截止") != "2026-03-19" || !strings.HasPrefix(c.Field("操作"), "张三：") {
			t.Fatalf("delivery %d: card %+v", i, c)
		}
	}
	task, err := e.db.Task(context.Background(), "T1")
	if err != nil || task.Due != 20260319 || !task.DoneOn.IsZero() {
		t.Fatalf("T1 %+v, %v", task, err)
	}
	log, _ := e.db.AuditLog(context.Background())
	n := 0
	for _, a := range log {
		if strings.HasPrefix(a.Raw, "改 T1 截止") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d audit entries of 改 T1 截止, want 1", n)
	}
}
