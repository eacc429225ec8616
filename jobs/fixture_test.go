package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// at is a fixed time in Shanghai: at(2024, 12, 16, 9, 10).
func at(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, shanghai)
}

// Robot keys of the fixture's groups.
const (
	leaderKey   = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
	shuangfuKey = "693a91f6-7bbb-4bc4-97a0-0ec2sifa5bbb"
)

// mustStore starts a real redis-server with the fixture bureau: two parks,
// three officers and a leader, three groups, 2024's targets, and records
// around the half-month, month, quarter and year boundaries.
func mustStore(tb testing.TB) *storage.DB {
	tb.Helper()
	db := storage.New(redistest.Start(tb).Client(tb), "test")
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "admin", When: time.Unix(0, 0), Raw: "fixture"}}
	for _, r := range fixture() {
		c.Add(nil, r)
	}
	if _, err := db.Apply(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return db
}

func fixture() []zsbot.Record {
	yi := zsbot.Yi
	proj := func(id, name, park, owner string, out bool, signed zsbot.Date, amount zsbot.Money) *zsbot.Project {
		stage := zsbot.StageSigned
		if signed == 0 {
			stage = zsbot.StageTalking
		}
		return &zsbot.Project{ID: id, Name: name, Park: park, Owner: owner, OutOfCity: out, Stage: stage,
			CreatedOn: 20240101, SignedOn: signed, Signed: amount, Amount: amount, FollowedOn: signed}
	}
	p2 := proj("P2", "晶帆光电LCOS光阀芯片总部", "双福园区", "zhangsan", true, 20240110, 15*yi)
	p2.Stage, p2.StartedOn = zsbot.StageStarted, 20240301
	p4 := proj("P4", "康硕集团西南总部基地", "双福", "zhangsan", true, 20240601, 15*yi)
	p4.Amount = 20 * yi
	p6 := proj("P6", "西部冷链物流园", "珞璜园区", "wangwu", true, 0, 0)
	p6.FollowedOn = 20241001
	p7 := proj("P7", "智能短交出行装备生产基地", "双福园区", "zhangsan", true, 0, 0)
	p7.FollowedOn = 20241125
	p8 := proj("P8", "大唐江津燃机", "珞璜园区", "wangwu", true, 20230501, 20*yi)
	p8.Stage, p8.StartedOn = zsbot.StageStarted, 20241220
	p9 := proj("P9", "某终止项目", "珞璜园区", "zhaoliu", true, 20240201, 8*yi)
	p9.Stage, p9.DroppedOn = zsbot.StageDropped, 20240401
	act := func(id string, kind zsbot.ActivityKind, d zsbot.Date, company, project, by string) *zsbot.Activity {
		return &zsbot.Activity{ID: id, Kind: kind, Date: d, Company: company, Project: project, By: by}
	}
	task := func(id, project, text string, due zsbot.Date, who string, done zsbot.Date) *zsbot.Task {
		return &zsbot.Task{ID: id, Project: project, Text: text, Due: due, Assignee: who, DoneOn: done, CreatedOn: 20241101}
	}
	return []zsbot.Record{
		&zsbot.Person{UserID: "zhangsan", Name: "张三", Park: "双福园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "wangwu", Name: "王五", Park: "珞璜园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "zhaoliu", Name: "赵六", Park: "珞璜园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "li", Name: "李四", Park: "局领导", Role: zsbot.RoleLeader, Active: true},
		&zsbot.Group{Name: "领导群", RobotKey: leaderKey, Scope: zsbot.ScopeAll, Notices: DefaultNotices(zsbot.ScopeAll)},
		&zsbot.Group{Name: "双福群", RobotKey: shuangfuKey, Scope: "双福园区", Notices: []string{Overdue}},
		&zsbot.Group{Name: "珞璜群", ChatID: "wrLuohuang01", Scope: "珞璜园区", Notices: []string{Overdue, HalfMonthly}},
		&zsbot.Target{Year: 2024, Metric: "签约项目", Value: 10},
		&zsbot.Target{Year: 2024, Metric: "50亿级项目", Value: 1},
		&zsbot.Target{Year: 2024, Metric: "10亿级项目", Value: 3},
		&zsbot.Target{Year: 2024, Metric: "资金到位", Value: int64(30 * yi)},
		&zsbot.Target{Year: 2024, Metric: "签约落地转化率", Value: 50},
		proj("P1", "诺比侃机器视觉智能装备生产总部", "双福园区", "zhangsan", true, 20241210, 51*yi),
		p2,
		proj("P3", "中冶赛迪低碳机电装备成套项目", "珞璜园区", "wangwu", true, 20241205, 20*yi),
		p4,
		proj("P5", "小型配套项目", "珞璜园区", "zhaoliu", false, 20241212, 3000),
		p6, p7, p8, p9,
		&zsbot.Increase{ID: "Z1", Project: "P4", Date: 20241203, Amount: 5 * yi, By: "zhangsan"},
		&zsbot.Payment{ID: "F1", Project: "P2", Date: 20241130, Amount: 35000, By: "zhangsan"},
		&zsbot.Payment{ID: "F2", Project: "P2", Date: 20241210, Amount: 2 * yi, By: "zhangsan"},
		&zsbot.Payment{ID: "F3", Project: "P8", Date: 20241220, Amount: yi, By: "wangwu"},
		&zsbot.Payment{ID: "F4", Project: "P5", Date: 20241231, Amount: 1000, By: "zhaoliu"},
		act("A1", zsbot.KindVisit, 20241202, "E1", "P1", "zhangsan"),
		act("A2", zsbot.KindVisit, 20241209, "E1", "P1", "zhangsan"),
		act("A3", zsbot.KindVisit, 20241220, "E3", "P3", "wangwu"),
		act("A4", zsbot.KindReception, 20241103, "E3", "P3", "wangwu"),
		act("A5", zsbot.KindPromotion, 20240418, "", "", "li"),
		act("A6", zsbot.KindVisit, 20241015, "E9", "", "zhaoliu"),
		act("A7", zsbot.KindVisit, 20240215, "E9", "", "zhaoliu"),
		act("A8", zsbot.KindVisit, 20240216, "E9", "", "zhaoliu"),
		act("A9", zsbot.KindVisit, 20240229, "E8", "", "wangwu"),
		task("T1", "P1", "完成土地摘牌", 20241215, "zhangsan", 0),
		task("T2", "P3", "签订投资协议补充条款", 20241218, "wangwu", 0),
		task("T3", "P4", "办理施工许可", 20241231, "zhangsan", 0),
		task("T4", "P2", "设备进场", 20241210, "zhangsan", 20241208),
		task("T5", "P8", "环评批复", 20241120, "wangwu", 20241125),
		task("T6", "P6", "组织项目研判", 20241201, "zhaoliu", 0),
		&zsbot.Item{ID: "C1", Project: "P4", Text: "用电指标需区里协调", OpenedOn: 20241020},
		&zsbot.Item{ID: "C2", Project: "P3", Text: "进场道路配套", OpenedOn: 20241115},
		&zsbot.Item{ID: "C3", Project: "P1", Text: "已解决的事项", OpenedOn: 20241101, ResolvedOn: 20241110},
	}
}

// fakeOutbox claims and queues in db's outbox and records what it queued;
// fail makes the next calls fail, claiming nothing.
type fakeOutbox struct {
	ob    *storage.Outbox
	mu    sync.Mutex
	msgs  []*zsbot.Outgoing
	calls int
	fail  int
}

func newFakeOutbox(db *storage.DB) *fakeOutbox { return &fakeOutbox{ob: db.Outbox(nil)} }

func (f *fakeOutbox) Enqueue(ctx context.Context, msgs ...*zsbot.Outgoing) error {
	return f.ob.Enqueue(ctx, msgs...)
}

func (f *fakeOutbox) ClaimAndEnqueue(ctx context.Context, notice, occurrence string, ttl time.Duration, msgs ...*zsbot.Outgoing) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail > 0 {
		f.fail--
		return false, errors.New("outbox down")
	}
	ok, err := f.ob.ClaimAndEnqueue(ctx, notice, occurrence, ttl, msgs...)
	if ok && err == nil {
		f.calls++
		f.msgs = append(f.msgs, msgs...)
	}
	return ok, err
}

func (f *fakeOutbox) sent() []*zsbot.Outgoing {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]*zsbot.Outgoing(nil), f.msgs...)
}
