// Package benchdata generates a bureau's history in the shape of the seed's
// year — the district's 2024 report: 121 signings (14 of 10亿元 or more:
// 4 of 10–20亿, 6 of 20–50亿, 4 of 50–100亿), about a third 市外, 拜访客商
// 300余家, 接待 400余批次, 推介活动 10余场 — for the benchmarks of issue 18:
// the handlers' BenchmarkStatsAtVolume (ten years at ten times the seed's
// volume) and `zsbench --preload-years` (ten seed-sized years under the
// load). The records are meant for storage.(*DB).Load into an empty
// bureau. It imports only the domain package.
package benchdata

import (
	"fmt"
	"math/rand/v2"
	"time"

	"zsbot"
)

// Config is one history.
type Config struct {
	Years int        // years of history, the last one End's; default 10
	Scale int        // volume of a year in seed years: 1 the seed's, 10 ten times; default 1
	End   zsbot.Date // the last day with records (today): nothing is dated after it; required
	Seed  uint64     // the generator's seed: one Config, one history
}

// A seed-sized year (Scale 1). A year before End's holds exactly these
// signings, visits, receptions, promotions, talks and reviews; starts,
// payments and 增资 follow the signings and may fall in the next year.
const (
	YearProjects   = 180 // new projects: 120 signed in the year, 60 still in talks
	YearSigned     = 120
	YearCompanies  = 330 // each project's company, and 150 visited without a project
	YearVisits     = 360 // to 300 distinct companies
	YearVisited    = 300
	YearReceptions = 400
	YearPromotions = 10
	YearTalks      = 200
	YearReviews    = 40
	YearTasks      = 240 // 200 of them done
	YearItems      = 20  // 10 of them resolved
	Officers       = 20  // 招商员, five in each park, whatever the scale
)

// Parks are the bureau's parks; officer i works in Parks[i%4].
var Parks = []string{"双福园区", "珞璜园区", "德感园区", "白沙园区"}

// Leader is the userid of the bureau's 领导 (招商科), a registered member
// who may ask every figure.
const Leader = "histlead"

// Officer returns the userid of officer i (0 ≤ i < Officers).
func Officer(i int) string { return fmt.Sprintf("hist%02d", i+1) }

// Generate returns the history: the people, then each year's companies,
// projects, 增资, payments, activities, tasks, items and targets. IDs are
// numbered from 1 per kind (P1, E1, A1 …) in the order generated.
func Generate(c Config) []zsbot.Record {
	if c.Years <= 0 {
		c.Years = 10
	}
	if c.Scale <= 0 {
		c.Scale = 1
	}
	g := &gen{c: c, seq: map[string]int{}}
	g.out = append(g.out, &zsbot.Person{UserID: Leader, Name: "历年领导", Park: "招商科", Role: zsbot.RoleLeader, Active: true})
	for i := range Officers {
		g.out = append(g.out, &zsbot.Person{UserID: Officer(i), Name: fmt.Sprintf("历年招商员%02d", i+1),
			Park: Parks[i%len(Parks)], Role: zsbot.RoleOfficer, Active: true})
	}
	for y := c.End.Year() - c.Years + 1; y <= c.End.Year(); y++ {
		g.year(y)
	}
	return g.out
}

// gen is one history being generated.
type gen struct {
	c   Config
	seq map[string]int
	out []zsbot.Record
	rng *rand.Rand
}

// id allocates the next ID with prefix.
func (g *gen) id(prefix string) string {
	g.seq[prefix]++
	return fmt.Sprintf("%s%d", prefix, g.seq[prefix])
}

// add appends r when it is dated by End (its date d).
func (g *gen) add(d zsbot.Date, r zsbot.Record) bool {
	if d > g.c.End {
		return false
	}
	g.out = append(g.out, r)
	return true
}

var cities = []string{"成都", "上海", "深圳", "北京", "苏州", "杭州", "西安", "武汉", "广州", "天津"}

// year generates year y's records.
func (g *gen) year(y int) {
	s := g.c.Scale
	g.rng = rand.New(rand.NewPCG(g.c.Seed, uint64(y)))
	first, last := zsbot.NewDate(y, time.January, 1), zsbot.NewDate(y, time.December, 31)
	days := last.DaysSince(first) + 1
	day := func() zsbot.Date { return first.AddDays(g.rng.IntN(days)) }
	within := func(from zsbot.Date, spread int) zsbot.Date { return min(from.AddDays(g.rng.IntN(spread)), last) }
	owner := func() string { return Officer(g.rng.IntN(Officers)) }

	// Companies: one per project, then the ones visited without a project.
	var pool []*zsbot.Company
	projectOf := map[string]*zsbot.Project{}
	var projects []*zsbot.Project
	signing := 0
	for i := range YearProjects * s {
		co := &zsbot.Company{ID: g.id("E"), Name: fmt.Sprintf("历年%d企业%05d", y, i+1)}
		created := day()
		if created > g.c.End {
			continue
		}
		g.add(created, co)
		pool = append(pool, co)
		who := owner()
		p := &zsbot.Project{ID: g.id("P"), Name: fmt.Sprintf("历年%d项目%05d", y, i+1), Company: co.ID, Industry: "智能装备",
			Park: Parks[g.officerIndex(who)%len(Parks)], Owner: who, OutOfCity: i%3 == 0, Stage: zsbot.StageTalking,
			Planned: zsbot.Money(20000 + g.rng.IntN(80000)), CreatedOn: created, FollowedOn: created}
		projectOf[co.ID] = p
		projects = append(projects, p)
		if i%3 != 2 { // two in three are signed, in the year they were registered
			g.sign(p, signing, within(created, 60))
			signing++
		}
		g.out = append(g.out, p)
	}
	for i := range (YearCompanies - YearProjects) * s {
		co := &zsbot.Company{ID: g.id("E"), Name: fmt.Sprintf("历年%d客商%05d", y, i+1)}
		if g.add(day(), co) {
			pool = append(pool, co)
		}
	}
	if len(pool) == 0 {
		return
	}
	// Activities: visits to YearVisited distinct companies (a shuffled pool,
	// then repeats), receptions of any, promotions, talks and reviews of
	// the year's projects.
	order := g.rng.Perm(len(pool))
	activity := func(kind zsbot.ActivityKind, co *zsbot.Company, p *zsbot.Project) {
		a := &zsbot.Activity{ID: "", Kind: kind, Date: day(), City: cities[g.rng.IntN(len(cities))], Note: "洽谈投资意向", By: owner()}
		if co != nil {
			a.Company = co.ID
			if p == nil {
				p = projectOf[co.ID]
			}
		}
		if p != nil {
			a.Project, a.By = p.ID, p.Owner
			if a.Company == "" {
				a.Company = p.Company
			}
		}
		if kind == zsbot.KindReception {
			a.Headcount = 2 + g.rng.IntN(8)
		}
		if a.Date <= g.c.End {
			a.ID = g.id("A")
			g.out = append(g.out, a)
		}
	}
	distinct := min(YearVisited*s, len(order))
	for i := range YearVisits * s {
		k := i
		if k >= distinct {
			k = g.rng.IntN(distinct)
		}
		activity(zsbot.KindVisit, pool[order[k]], nil)
	}
	for range YearReceptions * s {
		activity(zsbot.KindReception, pool[g.rng.IntN(len(pool))], nil)
	}
	for range YearPromotions * s {
		activity(zsbot.KindPromotion, nil, nil)
	}
	if len(projects) == 0 {
		return
	}
	for range YearTalks * s {
		p := projects[g.rng.IntN(len(projects))]
		activity(zsbot.KindTalk, nil, p)
	}
	for range YearReviews * s {
		p := projects[g.rng.IntN(len(projects))]
		activity(zsbot.KindReview, nil, p)
	}
	// Tasks and coordination items on the year's projects.
	for i := range YearTasks * s {
		p := projects[g.rng.IntN(len(projects))]
		created := day()
		t := &zsbot.Task{Project: p.ID, Text: "落实用地指标和规划条件", Due: created.AddDays(30), Assignee: p.Owner, CreatedOn: created, By: p.Owner}
		if done := created.AddDays(g.rng.IntN(40)); i%6 != 5 && done <= g.c.End {
			t.DoneOn = done
		}
		if created <= g.c.End {
			t.ID = g.id("T")
			g.out = append(g.out, t)
		}
	}
	for i := range YearItems * s {
		p := projects[g.rng.IntN(len(projects))]
		it := &zsbot.Item{Project: p.ID, Text: "协调供电线路迁改", OpenedOn: day(), By: p.Owner}
		if solved := it.OpenedOn.AddDays(g.rng.IntN(60)); i%2 == 0 && solved <= g.c.End {
			it.ResolvedOn, it.Resolution = solved, "已协调"
		}
		if it.OpenedOn <= g.c.End {
			it.ID = g.id("C")
			g.out = append(g.out, it)
		}
	}
	// The year's targets, the seed's 2025 ones.
	for _, t := range []struct {
		metric string
		value  int64
	}{
		{"签约项目", YearSigned}, {"协议引资", 900 * int64(zsbot.Yi)}, {"开工项目", 60}, {"资金到位", 300 * int64(zsbot.Yi)},
		{"拜访", YearVisited}, {"接待", YearReceptions},
	} {
		g.out = append(g.out, &zsbot.Target{Year: y, Metric: t.metric, Value: t.value * int64(s)})
	}
	g.out = append(g.out, &zsbot.Target{Year: y, Metric: "签约落地转化率", Value: 50})
}

// sign signs p on day on, its j-th signing of the year, for the seed's
// amounts: of each 120, four of 10–20亿, six of 20–50亿, four of 50–100亿
// and the rest under 10亿; half of them start within 200 days, and those
// get four payments; one in twenty gets an 增资 of 1亿.
func (g *gen) sign(p *zsbot.Project, j int, on zsbot.Date) {
	if on > g.c.End {
		return
	}
	var amount zsbot.Money
	switch n := j % YearSigned; {
	case n < 4:
		amount = zsbot.Money(100000 + g.rng.IntN(100000))
	case n < 10:
		amount = zsbot.Money(200000 + g.rng.IntN(300000))
	case n < 14:
		amount = zsbot.Money(500000 + g.rng.IntN(500000))
	default:
		amount = zsbot.Money(2000 + g.rng.IntN(97000))
	}
	p.Stage, p.SignedOn, p.Signed, p.Amount, p.FollowedOn = zsbot.StageSigned, on, amount, amount, on
	if j%20 == 5 {
		z := &zsbot.Increase{Project: p.ID, Date: on.AddDays(1 + g.rng.IntN(120)), Amount: zsbot.Yi, By: p.Owner}
		if z.Date <= g.c.End {
			z.ID = g.id("Z")
			p.Amount += z.Amount
			g.out = append(g.out, z)
		}
	}
	if j%2 != 0 {
		return
	}
	started := on.AddDays(g.rng.IntN(200))
	if started > g.c.End {
		return
	}
	p.Stage, p.StartedOn = zsbot.StageStarted, started
	for range 4 {
		f := &zsbot.Payment{Project: p.ID, Date: started.AddDays(g.rng.IntN(300)), Amount: max(p.Amount/8, 100), By: p.Owner}
		if f.Date <= g.c.End {
			f.ID = g.id("F")
			p.Funds += f.Amount
			g.out = append(g.out, f)
		}
	}
}

// officerIndex returns i of Officer(i).
func (g *gen) officerIndex(userid string) int {
	var i int
	fmt.Sscanf(userid, "hist%d", &i)
	return i - 1
}
