package handlers_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zsbot"
	transport "zsbot/bot"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/storage"
	"zsbot/storage/redistest"
	"zsbot/xlsx"
)

// bot is a Mux on a fresh real Redis with a fixed clock. Every message
// takes the production path: a unit of work begun for it, the Mux, and
// the unit's commit (transport.Once, as the console and WeCom).
type bot struct {
	tb   testing.TB
	db   *storage.DB
	mux  *handlers.Mux
	now  time.Time
	n    int             // messages so far, for their delivery ids
	once *transport.Once // the runner of mux
	of   *handlers.Mux
}

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func newBot(tb testing.TB) *bot {
	tb.Helper()
	db := storage.New(redistest.Start(tb).Client(tb), "test")
	mux := newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai})
	return &bot{tb: tb, db: db, mux: mux, now: time.Date(2024, 12, 23, 10, 0, 0, 0, shanghai)}
}

// newMux is handlers.New with what cmd/zsbot wires in: the notices of
// package jobs and the xlsx encoder.
func newMux(cfg handlers.Config) *handlers.Mux {
	cfg.Notices = handlers.NoticesOf(jobs.Notices())
	cfg.Workbook = xlsx.Encode
	return handlers.New(cfg)
}

// respond runs text from user in a unit of work of its own: Begin (which
// reads the session and what Mux.Plan names), Respond, Commit.
func (b *bot) respond(user, text string) (string, error) {
	b.tb.Helper()
	if b.once == nil || b.of != b.mux {
		b.once = transport.NewOnce(b.db, b.mux, transport.RunOptions{ReplyTimeout: time.Hour, CommandTimeout: time.Hour,
			ClaimTimeout: time.Minute, Logger: slog.New(slog.DiscardHandler)})
		b.of = b.mux
	}
	b.n++
	id := fmt.Sprintf("t:%s:%d", user, b.n)
	res := b.once.Run(context.Background(), &transport.Delivery{ID: id, MsgID: id, From: user, Text: text, Command: true, At: b.now})
	if res.Outcome != "passive" && res.Outcome != "empty" && res.Err == nil {
		b.tb.Fatalf("%s: %q: answered %s, not by its reply", user, text, res.Outcome)
	}
	return res.Reply, res.Err
}

// say sends text as user and returns the reply.
func (b *bot) say(user, text string) string {
	b.tb.Helper()
	reply, err := b.respond(user, text)
	if err != nil {
		b.tb.Fatalf("%s: %q: %v", user, text, err)
	}
	return reply
}

// expect sends text and checks the reply contains every want.
func (b *bot) expect(user, text string, want ...string) string {
	b.tb.Helper()
	reply := b.say(user, text)
	for _, w := range want {
		if !strings.Contains(reply, w) {
			b.tb.Errorf("%q → %q\n  missing %q", text, reply, w)
		}
	}
	return reply
}

// auditLen counts audit entries: the number of writes so far.
func (b *bot) auditLen() int {
	b.tb.Helper()
	log, err := b.db.AuditLog(context.Background())
	if err != nil {
		b.tb.Fatal(err)
	}
	return len(log)
}

// registered returns a bot with officer zhangsan (双福园区) and leader li.
func registered(tb testing.TB) *bot {
	b := newBot(tb)
	b.expect("admin", "人员 添加 zhangsan 张三 双福园区 招商员", "已登记 张三")
	b.expect("admin", "人员 添加 li 李四 招商科 领导", "已登记 李四")
	return b
}

func TestPipelineToExport(t *testing.T) {
	b := registered(t)
	ctx := context.Background()
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 产业:智能装备", "P1", "在谈", "市外", "双福园区", "新建企业 E1")
	b.expect("zhangsan", "签约 诺比侃 51亿 12月20日", "P1", "51亿元", "2024年12月20日")
	b.expect("zhangsan", "到位 P1 3.5亿 12月22日", "3.5亿元", "累计到位3.5亿元")
	b.expect("zhangsan", "到位 P1 3000万", "3000万元", "累计到位3.8亿元")
	d, err := b.db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Projects[0]
	if p.Amount != 510000 || p.Funds != 38000 || p.SignedOn != 20241220 || p.Stage != zsbot.StageSigned || p.Owner != "zhangsan" {
		t.Fatalf("project = %+v", p)
	}
	if len(d.Payments) != 2 || d.Payments[0].Date != 20241222 || d.Payments[1].Date != 20241223 || d.Payments[1].Amount != 3000 {
		t.Fatalf("payments = %+v %+v", d.Payments[0], d.Payments[1])
	}
	var buf strings.Builder
	if err := d.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"company": "诺比侃"`, `"amount_wan": 510000`, `"signed_on": "2024-12-20"`, `"started_on": ""`, `"funds_wan": 38000`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("export lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestUnregisteredWritesNothing(t *testing.T) {
	b := newBot(t)
	n := b.auditLen()
	b.expect("stranger", "新项目 某项目 企业:某企业 10亿", "stranger", "管理员")
	b.expect("stranger", "帮助", "userid：stranger")
	if b.auditLen() != n {
		t.Fatal("an unregistered sender wrote something")
	}
	d, _ := b.db.Export(context.Background())
	if len(d.Projects)+len(d.Companies) != 0 {
		t.Fatalf("records written: %+v", d)
	}
}

func TestStageRules(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 晶帆光电LCOS光阀芯片总部 企业:晶帆光电 15亿", "P1")
	b.expect("zhangsan", "开工 晶帆光电 3月1日", "还未签约")
	b.expect("zhangsan", "签约 晶帆光电 15亿 2024-01-10", "已记录签约")
	b.expect("zhangsan", "签约 晶帆光电 16亿", "不能重复签约", "增资")
	b.expect("zhangsan", "开工 晶帆光电 2024-03-01", "已记录开工", "2024年3月1日")
	b.expect("zhangsan", "开工 晶帆光电", "已于2024年3月1日开工")
	p, _ := b.db.Project(context.Background(), "P1")
	if p.Amount != 15*zsbot.Yi || p.StartedOn != 20240301 || p.Stage != zsbot.StageStarted {
		t.Fatalf("project = %+v", p)
	}
}

func TestBadInputWritesNothing(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 诺比侃机器视觉 企业:诺比侃", "P1")
	n := b.auditLen()
	long := strings.Repeat("长", 5000)
	for _, tc := range []struct{ name, text, want string }{
		{"Empty", "", "例如"},
		{"Spaces", "　 ", "例如"},
		{"UnknownVerb", "吃饭 诺比侃", "不认识"},
		{"AmountMissing", "签约 诺比侃", "缺少金额"},
		{"AmountMalformed", "签约 诺比侃 五十一亿亿", "例如"},
		{"AmountTooLarge", "签约 诺比侃 1200亿", "1000亿"},
		{"ImpossibleDate", "签约 诺比侃 51亿 2月30日", "例如"},
		{"UnknownProject", "签约 不存在的项目 5亿", "未找到"},
		{"LongName", "新项目 " + long, "太长"},
		{"LongVerb", long, "不认识"},
		{"ControlChars", "签约\x00\x07 诺比侃\x1b 51亿\x00 2月30日", "例如"},
		{"Emoji", "签约 😀😀 5亿", "未找到"},
		{"StaffNotAdmin", "人员 添加 x X 园区 招商员", "管理员"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reply := b.say("zhangsan", tc.text)
			if !strings.Contains(reply, tc.want) || len(reply) > handlers.MaxReply {
				t.Errorf("%q → %q, want %q", clipped(tc.text), reply, tc.want)
			}
		})
	}
	if b.auditLen() != n {
		t.Fatalf("bad input wrote %d entries", b.auditLen()-n)
	}
}

func clipped(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func TestVisitCreatesCompany(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目", "拜访", "成都", "2024年12月22日", "新建企业", "E1")
	b.expect("zhangsan", "拜访 诺比侃 上海", "诺比侃科技", "上海")
	b.expect("zhangsan", "接待 中冶赛迪 5人 11月3日 考察珞璜园区", "接待", "5人", "2024年11月3日", "考察珞璜园区")
	b.expect("zhangsan", "拜访 诺比侃 深圳 3天前", "2024年12月20日", "深圳") // a date, not a note
	d, _ := b.db.Export(context.Background())
	if len(d.Companies) != 2 || len(d.Activities) != 4 || d.Activities[0].City != "成都" || d.Activities[2].Headcount != 5 ||
		d.Activities[3].Date != 20241220 || d.Activities[3].Note != "" {
		t.Fatalf("companies %d activities %+v", len(d.Companies), d.Activities)
	}
}

func TestAmbiguousPick(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 康硕集团西南总部基地 企业:康硕集团", "P1")
	b.expect("zhangsan", "新项目 康硕电子产业园 企业:康硕电子", "是 E1 康硕集团 吗") // near 康硕集团: asked
	b.expect("zhangsan", "新建", "P2", "新建企业 E2 康硕电子")
	b.expect("zhangsan", "签约 康硕 20亿", "2个项目", "1. P1", "2. P2")
	b.expect("zhangsan", "2", "已记录签约", "P2 康硕电子产业园", "20亿元")
	b.expect("zhangsan", "查 康硕", "1. P1")
	b.expect("zhangsan", "查 P1", "P1") // any other message cancels the choice
	b.expect("zhangsan", "1", "没有等待确认或选择的指令")
	b.expect("zhangsan", "取消", "没有等待确认或选择的指令，无需取消")
	b.expect("zhangsan", "到位 康硕 1亿", "P2 康硕电子产业园")           // only P2 is signed: no choice to make
	b.expect("zhangsan", "签约 康硕集团西南总部基地 20亿", "P1", "已记录签约") // an exact name always wins
}

func TestReplyFits(t *testing.T) {
	long := strings.Repeat("一行文字内容\n", 500)
	got := handlers.Fit(long)
	if len(got) > handlers.MaxReply || !strings.Contains(got, "…共500条") {
		t.Fatalf("len %d, tail %q", len(got), got[len(got)-20:])
	}
}
