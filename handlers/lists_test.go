package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// TestListsFollowCommands drives the commands that change what 我的 and 查
// list — 新项目, 改 负责人, 终止, 任务, 完成, 协调, 解决, 拜访, 接待, 合并 of
// projects and of companies, 删除 and 撤销 — through the production path,
// and after each checks the indexes of lists (issue 18) against their
// recomputation from the records, and 我的's projects against the full
// read of the officer's projects.
func TestListsFollowCommands(t *testing.T) {
	b := world(t)
	steps := []struct{ user, text string }{
		{"zhangsan", "新项目 测试装备项目 企业:诺比侃科技 5亿"},
		{"li", "改 P5 负责人 @王五"},
		{"li", "终止 P5 企业战略调整"},
		{"li", "撤销"},
		{"li", "终止 P5 企业战略调整"},
		{"zhangsan", "任务 P1 提交用地方案 12月30日"},
		{"zhangsan", "任务 P3 对接能评 12月28日"},
		{"zhangsan", "完成 T1"},
		{"zhangsan", "撤销"},
		{"zhangsan", "完成 T1"},
		{"zhangsan", "协调 P1 用电指标需区里协调"},
		{"zhangsan", "协调 P3 用地指标需区里协调"},
		{"zhangsan", "解决 C1 已落实"},
		{"zhangsan", "拜访 诺比侃科技 项目:P1 重庆"},
		{"zhangsan", "接待 康硕集团 5人"},
		{"zhangsan", "拜访 晶帆光电 成都"},
		{"li", "合并 P3 到 P2"},
		{"li", "撤销"},
		{"li", "合并 P3 到 P2"},
		{"li", "合并 E3 到 E2"},
		{"li", "撤销"},
		{"li", "合并 E3 到 E2"},
		{"zhangsan", "删除 A1"},
		{"zhangsan", "撤销"},
		{"zhangsan", "新项目 待删项目 企业:康硕集团 1亿"},
		{"zhangsan", "删除 P6"},
	}
	checkMine(t, b, "world")
	for _, s := range steps {
		n := b.auditLen()
		reply := b.say(s.user, s.text)
		if b.auditLen() != n+1 {
			t.Fatalf("%s: %q wrote %d entries, want 1: %s", s.user, s.text, b.auditLen()-n, reply)
		}
		checkMine(t, b, s.text)
	}
}

// checkMine compares the indexes of lists with the records, and each
// officer's 我的 项目 with the full read of their projects.
func checkMine(t *testing.T, b *bot, after string) {
	t.Helper()
	ctx := context.Background()
	if d, err := b.db.CheckListIndexes(ctx); err != nil || len(d) != 0 {
		t.Fatalf("after %q: list indexes differ from the records: %q, %v", after, d, err)
	}
	for _, u := range []string{"zhangsan", "wangwu"} {
		ps, err := b.db.OwnedProjects(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		reply := b.say(u, "我的 项目")
		if len(ps) == 0 {
			if !strings.Contains(reply, "您名下还没有项目") {
				t.Errorf("after %q: %s's 我的 项目 = %q, want none", after, u, reply)
			}
			continue
		}
		var counts []string
		var ids []string
		for _, s := range []zsbot.Stage{zsbot.StageTalking, zsbot.StageSigned, zsbot.StageStarted, zsbot.StageOperating, zsbot.StageDropped} {
			n := 0
			for _, p := range ps {
				if p.Stage == s {
					n++
					ids = append(ids, p.ID)
				}
			}
			if n > 0 {
				counts = append(counts, fmt.Sprintf("%s%d", s, n))
			}
		}
		want := fmt.Sprintf("您负责的项目%d个：%s", len(ps), strings.Join(counts, "，"))
		var listed []string
		for _, line := range strings.Split(reply, "\n")[1:] {
			listed = append(listed, strings.Fields(strings.TrimPrefix(line, "· "))[0])
		}
		if !strings.HasPrefix(reply, want) || !slices.Equal(listed, ids[:min(8, len(ids))]) {
			t.Errorf("after %q: %s's 我的 项目 =\n%s\nwant %q listing %v", after, u, reply, want, ids[:min(8, len(ids))])
		}
	}
}

// recordReads is a Redis hook that notes the records in every reply
// (records are stored as JSON that starts with their ID).
type recordReads struct {
	mu  sync.Mutex
	ids []string
}

func (h *recordReads) DialHook(next redis.DialHook) redis.DialHook { return next }

func (h *recordReads) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		h.note(cmd)
		return err
	}
}

func (h *recordReads) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		err := next(ctx, cmds)
		for _, c := range cmds {
			h.note(c)
		}
		return err
	}
}

func (h *recordReads) note(cmd redis.Cmder) {
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if strings.HasPrefix(v, `{"id":"`) {
				var r struct{ ID string }
				if json.Unmarshal([]byte(v), &r) == nil {
					h.mu.Lock()
					h.ids = append(h.ids, r.ID)
					h.mu.Unlock()
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case []string:
			for _, x := range v {
				walk(x)
			}
		case map[string]string:
			for _, x := range v {
				walk(x)
			}
		}
	}
	switch c := cmd.(type) {
	case *redis.Cmd:
		walk(c.Val())
	case *redis.StringCmd:
		walk(c.Val())
	case *redis.SliceCmd:
		walk(c.Val())
	case *redis.StringSliceCmd:
		walk(c.Val())
	case *redis.MapStringStringCmd:
		walk(c.Val())
	}
}

// take returns the IDs noted since the last take that start with one of
// prefixes, sorted, each once.
func (h *recordReads) take(prefixes string) []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var ids []string
	for _, id := range h.ids {
		if id != "" && strings.ContainsRune(prefixes, rune(id[0])) {
			ids = append(ids, id)
		}
	}
	h.ids = nil
	slices.Sort(ids)
	return slices.Compact(ids)
}

// TestMineReadsItsPage counts the project records that 我的 reads (issue
// 18): an officer with 1,000 projects 终止 long ago and 11 in talks gets
// the same reply as before, and the records read are the page's 8 projects
// in talks and nothing else — none of the closed ones, whose count comes
// from the index. Its second page reads what it lists: the 3 others in
// talks, the 2 signed and the first 3 closed.
func TestMineReadsItsPage(t *testing.T) {
	b := world(t)
	ctx := context.Background()
	var recs []zsbot.Record
	for i := range 1000 {
		recs = append(recs, &zsbot.Project{ID: fmt.Sprintf("P%d", 1000+i), Name: fmt.Sprintf("旧项目%d", i), Owner: "zhangsan",
			Stage: zsbot.StageDropped, CreatedOn: 20150101, DroppedOn: 20160101})
	}
	for i := range 10 {
		recs = append(recs, &zsbot.Project{ID: fmt.Sprintf("P%d", 100+i), Name: fmt.Sprintf("在谈项目%d", i), Owner: "zhangsan",
			Stage: zsbot.StageTalking, CreatedOn: 20241201, FollowedOn: 20241201})
	}
	if err := b.db.Load(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.BuildListIndexes(ctx); err != nil { // as serve does at start
		t.Fatal(err)
	}
	reads := &recordReads{}
	b.db.Client().AddHook(reads)
	if all, err := b.db.OwnedProjects(ctx, "zhangsan"); err != nil || len(all) != 1013 || len(reads.take("P")) != 1013 {
		t.Fatalf("the full read: %d projects, %v; the hook must see them all", len(all), err)
	}

	reply := b.say("zhangsan", "我的")
	if !strings.Contains(reply, "您负责的项目1013个：在谈11，签约2，终止1000（第1/127页，列出第1-8个；其余：我的 项目 第2页）") {
		t.Fatalf("我的 = %q", reply)
	}
	listed := idOf.FindAllString(reply[strings.Index(reply, "您负责的项目"):], -1)
	read := reads.take("P")
	slices.Sort(listed)
	if len(listed) != 8 || !slices.Equal(read, listed) {
		t.Errorf("我的 listed %v and read the projects %v; want exactly those listed", listed, read)
	}

	reply = b.say("zhangsan", "我的 项目 第2页")
	listed = idOf.FindAllString(reply, -1)
	read = reads.take("P")
	slices.Sort(listed)
	closed := 0
	for _, id := range listed {
		if len(id) == 5 && id >= "P1000" {
			closed++
		}
	}
	if len(listed) != 8 || closed != 3 || !slices.Equal(read, listed) {
		t.Errorf("我的 项目 第2页 listed %v (%d closed) and read %v; want 3 in talks, 2 signed and 3 closed, exactly those read:\n%s", listed, closed, read, reply)
	}
}

// TestShowReadsItsCard counts the records 查 reads (issue 18): a project
// with 1,000 visits, 300 tasks done and 200 items resolved shows the same
// card, reading its last 5 activities, its one open task and its one open
// item; its company's card counts the 1,000 visits and 300 receptions
// (naming the company, the project or both) and reads at most the latest
// activity, to check its date.
func TestShowReadsItsCard(t *testing.T) {
	b := world(t)
	ctx := context.Background()
	b.expect("zhangsan", "任务 P1 提交用地方案 12月30日", "T1")
	b.expect("zhangsan", "协调 P1 用电指标需区里协调", "C1")
	var recs []zsbot.Record
	for i := range 1000 {
		a := &zsbot.Activity{ID: fmt.Sprintf("A%d", 1000+i), Kind: zsbot.KindVisit, Date: zsbot.Date(20230101 + i%28), By: "zhangsan"}
		switch i % 3 {
		case 0:
			a.Company, a.Project = "E1", "P1"
		case 1:
			a.Project = "P1"
		default:
			a.Company = "E1"
		}
		recs = append(recs, a)
	}
	for i := range 300 {
		recs = append(recs, &zsbot.Activity{ID: fmt.Sprintf("A%d", 3000+i), Kind: zsbot.KindReception, Date: 20220601, Company: "E1", By: "zhangsan"},
			&zsbot.Task{ID: fmt.Sprintf("T%d", 1000+i), Project: "P1", Text: "旧任务", Due: 20230101, Assignee: "zhangsan", CreatedOn: 20221201, DoneOn: 20230101})
	}
	for i := range 200 {
		recs = append(recs, &zsbot.Item{ID: fmt.Sprintf("C%d", 1000+i), Project: "P1", Text: "旧事项", OpenedOn: 20220101, ResolvedOn: 20220301})
	}
	if err := b.db.Load(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.BuildListIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	reads := &recordReads{}
	b.db.Client().AddHook(reads)

	reply := b.say("zhangsan", "查 P1")
	if !strings.Contains(reply, "未完成任务：\n· T1 提交用地方案") || !strings.Contains(reply, "协调事项：\n· C1 用电指标") || strings.Count(reply, "\n· ") != 7 {
		t.Fatalf("查 P1 = %q", reply)
	}
	if got := reads.take("ATC"); len(got) != 7 || !slices.Contains(got, "T1") || !slices.Contains(got, "C1") {
		t.Errorf("查 P1 read %v; want its last 5 activities, T1 and C1", got)
	}
	reply = b.say("zhangsan", "查 E1")
	if !strings.Contains(reply, "拜访1000次，接待300次｜最近联系：2023年1月28日") {
		t.Fatalf("查 E1 = %q", reply)
	}
	if got := reads.take("ATC"); len(got) > 1 {
		t.Errorf("查 E1 read the activities %v; want at most the latest", got)
	}
}

// TestMineReadsItsTasks counts the task and project records that 我的
// 任务 reads: an officer with 200 overdue tasks and 300 done gets the page
// of 5 with the true counts, reading those 5 tasks and their projects.
func TestMineReadsItsTasks(t *testing.T) {
	b := world(t)
	ctx := context.Background()
	var recs []zsbot.Record
	for i := range 500 {
		task := &zsbot.Task{ID: fmt.Sprintf("T%d", 1000+i), Project: []string{"P1", "P2", "P3"}[i%3], Text: fmt.Sprintf("任务%d", i),
			Due: zsbot.Date(20240101 + i%28), Assignee: "zhangsan", CreatedOn: 20231201}
		if i >= 200 {
			task.DoneOn = 20240201
		}
		recs = append(recs, task)
	}
	if err := b.db.Load(ctx, recs); err != nil {
		t.Fatal(err)
	}
	reads := &recordReads{}
	b.db.Client().AddHook(reads)
	reply := b.say("zhangsan", "我的 任务 第2页")
	if !strings.HasPrefix(reply, "您的任务200项：逾期200项，7天内到期0项（第2/40页，列出第6-10个；其余：我的 任务 第3页）") {
		t.Fatalf("我的 任务 第2页 = %q", reply)
	}
	listed := regexp.MustCompile(`T\d+`).FindAllString(reply, -1)
	slices.Sort(listed)
	if got := reads.take("T"); len(listed) != 5 || !slices.Equal(got, listed) {
		t.Errorf("我的 任务 第2页 listed %v and read %v; want exactly those listed", listed, got)
	}
	if got := reads.take("P"); len(got) > 3 {
		t.Errorf("我的 任务 第2页 read the projects %v; want the page's tasks' alone", got)
	}
}
