package jobs

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/storage"
	"zsbot/storage/redistest"
)

// hostile is officer text that would be live markdown if sent verbatim: a
// link, coloured text, mentions, bold, a heading and a quote on lines of
// their own, code and a table bar.
const hostile = "[点我](http://evil.example) <font color=\"warning\">紧急：请转账</font> <@all> <@zhangsan> @所有人 **粗**\n# 标题\n> 引用 `code` | 列"

// The hostile fixture's texts: each kind of officer text carries hostile.
const (
	evilPark    = "1. 双福园区" + hostile
	evilOfficer = "张三" + hostile
	evilProject = "诺比侃总部" + hostile
	evilIdle    = "康硕基地" + hostile
	evilQuiet   = "冷链物流园" + hostile
	evilCompany = "诺比侃科技" + hostile
	evilTask    = "完成土地摘牌" + hostile
	evilItem    = "用电指标" + hostile
	evilNote    = "洽谈备注" + hostile
	evilGroup   = "领导群" + hostile
	ghost       = "<@all>ghost" // an assignee that is no registered userid
)

// mustHostileStore is a bureau whose every officer text is hostile: a
// park, an officer's name, projects, a company, tasks, items, a note and a
// group's name; a 全区 robot and app chat take every group notice, a park
// robot and app chat the overdue reminder.
func mustHostileStore(tb testing.TB) *storage.DB {
	tb.Helper()
	db := storage.New(redistest.Start(tb).Client(tb), "test")
	yi := zsbot.Yi
	recs := []zsbot.Record{
		&zsbot.Person{UserID: "zhangsan", Name: evilOfficer, Park: evilPark, Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "wangwu", Name: "王五", Park: "珞璜园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Group{Name: evilGroup, RobotKey: leaderKey, Scope: zsbot.ScopeAll, Notices: DefaultNotices(zsbot.ScopeAll)},
		&zsbot.Group{Name: "领导应用群" + hostile, ChatID: "wrLeaders", Scope: zsbot.ScopeAll, Notices: DefaultNotices(zsbot.ScopeAll)},
		&zsbot.Group{Name: "双福群" + hostile, RobotKey: shuangfuKey, Scope: evilPark, Notices: []string{Overdue}},
		&zsbot.Group{Name: "珞璜群", ChatID: "wrLuohuang01", Scope: "珞璜园区", Notices: []string{Overdue}},
		&zsbot.Target{Year: 2024, Metric: "签约项目", Value: 100},
		&zsbot.Company{ID: "E1", Name: evilCompany, Aliases: []string{hostile}},
		&zsbot.Project{ID: "P1", Name: evilProject, Company: "E1", Park: evilPark, Owner: "zhangsan", OutOfCity: true,
			Stage: zsbot.StageSigned, CreatedOn: 20240101, SignedOn: 20241210, Signed: 51 * yi, Amount: 51 * yi, FollowedOn: 20241210},
		&zsbot.Project{ID: "P2", Name: evilIdle, Park: evilPark, Owner: "zhangsan", OutOfCity: true,
			Stage: zsbot.StageSigned, CreatedOn: 20240101, SignedOn: 20240601, Signed: 15 * yi, Amount: 15 * yi, FollowedOn: 20240601},
		&zsbot.Project{ID: "P3", Name: evilQuiet, Park: "珞璜园区", Owner: "wangwu", OutOfCity: true,
			Stage: zsbot.StageTalking, CreatedOn: 20240101, FollowedOn: 20241001},
		&zsbot.Activity{ID: "A1", Kind: zsbot.KindVisit, Date: 20241202, Company: "E1", Project: "P1", City: hostile, Note: evilNote, By: "zhangsan"},
		&zsbot.Activity{ID: "A2", Kind: zsbot.KindReception, Date: 20241105, Company: "E1", Note: evilNote, By: "wangwu"},
		&zsbot.Task{ID: "T1", Project: "P1", Text: evilTask, Due: 20241215, Assignee: "zhangsan", CreatedOn: 20241101},
		&zsbot.Task{ID: "T2", Project: "P3", Text: evilTask, Due: 20241218, Assignee: "wangwu", CreatedOn: 20241101},
		&zsbot.Task{ID: "T3", Project: "P1", Text: evilTask, Due: 20241217, Assignee: ghost, CreatedOn: 20241101},
		&zsbot.Item{ID: "C1", Project: "P1", Text: evilItem, OpenedOn: 20241020, By: "zhangsan"},
		&zsbot.Item{ID: "C2", Project: "P3", Text: evilItem, OpenedOn: 20241115, By: "wangwu"},
	}
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "admin", When: time.Unix(0, 0), Raw: "hostile fixture"}}
	for _, r := range recs {
		c.Add(nil, r)
	}
	if _, err := db.Apply(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return db
}

// TestHostileNotices renders every notice of the hostile bureau on every
// channel it goes to and checks, beyond the golden, that no officer text is
// live markdown while the notice's own markup and mentions are.
func TestHostileNotices(t *testing.T) {
	db := mustHostileStore(t)
	for _, tc := range []struct {
		name, notice string
		now          time.Time
		channels     []string
		want         []string // officer texts that must appear, inert
	}{
		{"hostile-half-monthly-2024-12-16", HalfMonthly, at(2024, 12, 16, 9, 10),
			[]string{zsbot.ChannelRobot, zsbot.ChannelAppChat}, []string{evilProject, evilPark, evilOfficer}},
		{"hostile-monthly-2024-12-01", Monthly, at(2024, 12, 1, 9, 20),
			[]string{zsbot.ChannelRobot, zsbot.ChannelAppChat}, []string{evilItem, evilProject, evilIdle, evilQuiet, evilPark, evilOfficer}},
		{"hostile-quarterly-2025-01-01", Quarterly, at(2025, 1, 1, 9, 40),
			[]string{zsbot.ChannelRobot, zsbot.ChannelAppChat}, []string{evilPark, evilOfficer}},
		{"hostile-overdue-2024-12-16", Overdue, at(2024, 12, 16, 8, 50),
			[]string{zsbot.ChannelRobot, zsbot.ChannelAppChat}, []string{evilTask, evilProject, evilPark, evilQuiet, ghost}},
		{"hostile-personal-2024-12-16", Personal, at(2024, 12, 16, 8, 50),
			[]string{zsbot.ChannelApp}, []string{evilOfficer, evilTask, evilProject}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msgs, err := Lookup(tc.notice).Messages(context.Background(), db, tc.now, false)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			var all strings.Builder
			for _, m := range msgs {
				seen[m.Channel] = true
				all.WriteString(m.Text + "\n")
				checkInert(t, m, []string{"zhangsan", "wangwu"})
			}
			for _, ch := range tc.channels {
				if !seen[ch] {
					t.Errorf("no %s message", ch)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(all.String(), Inert(w)) {
					t.Errorf("the notice lacks %q as inert text %q", w, Inert(w))
				}
			}
			for _, leak := range []string{evilCompany, evilNote, evilGroup} {
				if strings.Contains(all.String(), Inert(leak)) {
					t.Errorf("the notice shows %q, which it never showed", leak)
				}
			}
			golden(t, tc.name, render(msgs))
		})
	}
}

var (
	mentionRE = regexp.MustCompile(`<@([^>]*)>`)
	// the quote lines the notices themselves write
	quoteRE = regexp.MustCompile(`^> (签约项目|开工项目|资金到位|拜访|签约落地转化率|任务按时完成)`)
)

// checkInert fails unless m's markdown is live only where the bot makes it
// so: no link, no <font> but the bot's 滞后, no mention but of assignees
// (each also in m.Mentions), no heading, no quote but the figures', and
// none of the characters only officer text could bring.
func checkInert(t *testing.T, m *zsbot.Outgoing, assignees []string) {
	t.Helper()
	text := m.Text
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s → %v: "+format+"\n%s", append([]any{m.Channel, m.To}, append(args, text)...)...)
	}
	if strings.Contains(text, "](") {
		fail("a link")
	}
	if n, own := strings.Count(text, "<font"), strings.Count(text, `<font color="warning">滞后</font>`); n != own {
		fail("%d <font> tags, %d of them the bot's", n, own)
	}
	mentions := mentionRE.FindAllStringSubmatch(text, -1)
	if strings.Count(text, "<@") != len(mentions) {
		fail("a dangling <@")
	}
	for _, mt := range mentions {
		if !contains(assignees, mt[1]) || !contains(m.Mentions, mt[1]) {
			fail("mention %q is no assignee's (mentions %v)", mt[0], m.Mentions)
		}
	}
	if rest := mentionRE.ReplaceAllString(text, ""); strings.Contains(rest, "@") {
		fail("an @ outside the bot's mentions")
	}
	if c := strings.IndexAny(text, "[]`#|_~\\&"); c >= 0 {
		fail("an active character %q", text[c])
	}
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "#") || strings.HasPrefix(l, ">") && !quoteRE.MatchString(l) {
			fail("line %q", l)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
