package loadgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// hanDigits write numbers inside names: Arabic digits there could be read
// as amounts or dates by the forgiving parser.
var hanDigits = []rune("甲乙丙丁戊己庚辛壬癸")

// han writes n in width han digits ("甲乙丙" for 12 in width 3).
func han(n, width int) string {
	out := make([]rune, width)
	for i := width - 1; i >= 0; i-- {
		out[i] = hanDigits[n%10]
		n /= 10
	}
	return string(out)
}

// Stages of a simulated project, as the officer who owns it knows them.
const (
	talking = iota
	signed
	started
)

// project is one simulated project and its company (one each).
type project struct {
	name, company string
	stage         int
	planned       int // 计划投资, 亿
	signed        int // 协议引资, 亿 (0 until signed)
	funds         int // 到位 so far, 万
}

// sign returns the command that signs p for between one and two times its
// planned investment: zsbot asks for a 确认 (and records nothing) at ten
// times, which a simulated officer would not type.
func (p *project) sign(r *rand.Rand) string {
	p.signed = p.planned + r.IntN(p.planned+1)
	return fmt.Sprintf("签约 %s %d亿", p.name, p.signed)
}

// pay returns a 到位 of p that keeps its funds within its 协议引资 (zsbot
// asks for a 确认 above it), or "" when there is no room left.
func (p *project) pay(r *rand.Rand) string {
	w := 100 + r.IntN(9000)
	if p.funds+w > p.signed*10000 {
		return ""
	}
	p.funds += w
	return fmt.Sprintf("到位 %s %d万", p.name, w)
}

// officer is one simulated 招商员. Only one of their commands is in flight
// at a time (a person types one message after another), so mu is held from
// choosing a command until its reply has updated the state.
type officer struct {
	mu       sync.Mutex
	idx      int    // position in the run, seeding its setup
	id       string // WeCom userid
	name     string
	park     string
	projects []*project
	tasks    []string // open task IDs, from the replies of 任务
	seq      int      // the officer's commands so far, to make notes unique
	tag      string   // the run's tag
}

// newProject returns o's j-th project (not yet created).
func (o *officer) newProject(j int) *project {
	co := "星河" + hanTag(o.tag) + han(o.idx, 4) + "号" + han(j, 3) + "精工"
	return &project{name: co + "基地", company: co}
}

// create returns the command that registers p.
func (p *project) create(park string, yi int) string {
	p.planned = yi
	return fmt.Sprintf("新项目 %s 企业:%s %d亿 产业:智能装备 园区:%s", p.name, p.company, yi, park)
}

// parks are the bureau's four industrial parks (SPEC §1).
var parks = []string{"珞璜", "双福", "德感", "综保区"}

// newOfficers makes n officers with projects each, named after tag so that
// runs against one Redis do not collide.
func newOfficers(tag string, n, projects int) []*officer {
	out := make([]*officer, n)
	for i := range out {
		o := &officer{idx: i, id: fmt.Sprintf("ld%so%04d", tag, i), name: "测试员" + han(i, 4), park: parks[i%len(parks)]}
		o.tag = tag
		for j := range projects {
			o.projects = append(o.projects, o.newProject(j))
		}
		out[i] = o
	}
	return out
}

// hanTag writes the run tag (digits) in han digits.
func hanTag(tag string) string {
	var b strings.Builder
	for _, r := range tag {
		if r >= '0' && r <= '9' {
			b.WriteRune(hanDigits[r-'0'])
		}
	}
	return b.String()
}

// command is one message an officer sends, and what its reply means for
// the officer's state.
type command struct {
	verb  string
	text  string
	write bool // a command that records something when it succeeds
	// done updates the officer's state from a successful reply; may be nil.
	done func(reply string)
}

// pick returns a random project of o in stage, or nil.
func (o *officer) pick(r *rand.Rand, stage int) *project {
	var c []*project
	for _, p := range o.projects {
		if p.stage == stage {
			c = append(c, p)
		}
	}
	if len(c) == 0 {
		return nil
	}
	return c[r.IntN(len(c))]
}

// any returns a random project of o.
func (o *officer) any(r *rand.Rand) *project { return o.projects[r.IntN(len(o.projects))] }

var cities = []string{"成都", "上海", "深圳", "北京", "苏州", "杭州", "西安", "武汉"}

// next builds o's next command of verb (falling back to another verb when
// o's projects do not allow it: nothing left to sign, start or close).
// today dates tasks' deadlines.
func (o *officer) next(r *rand.Rand, verb string, today time.Time) command {
	o.seq++
	note := fmt.Sprintf("第%d次跟进", o.seq)
	switch verb {
	case "拜访":
		return command{verb: verb, write: true, text: fmt.Sprintf("拜访 %s %s %s", o.any(r).company, cities[r.IntN(len(cities))], note)}
	case "接待":
		return command{verb: verb, write: true, text: fmt.Sprintf("接待 %s %d人 %s", o.any(r).company, 2+r.IntN(8), note)}
	case "洽谈":
		return command{verb: verb, write: true, text: fmt.Sprintf("洽谈 %s %s", o.any(r).name, note)}
	case "签约":
		if p := o.pick(r, talking); p != nil {
			return command{verb: verb, write: true, text: p.sign(r),
				done: func(reply string) { p.stage = signed }}
		}
		return o.next(r, "新项目", today) // every lead signed: register a new one
	case "新项目":
		p := o.newProject(len(o.projects))
		return command{verb: verb, write: true, text: p.create(o.park, 1+r.IntN(60)),
			done: func(string) { o.projects = append(o.projects, p) }}
	case "开工":
		if p := o.pick(r, signed); p != nil {
			return command{verb: verb, write: true, text: "开工 " + p.name, done: func(string) { p.stage = started }}
		}
		return o.next(r, "到位", today)
	case "到位":
		p := o.pick(r, started)
		if p == nil {
			p = o.pick(r, signed)
		}
		if p == nil {
			return o.next(r, "洽谈", today)
		}
		text := p.pay(r)
		if text == "" {
			return o.next(r, "洽谈", today)
		}
		return command{verb: verb, write: true, text: text}
	case "任务":
		due := today.AddDate(0, 0, 7+r.IntN(60)).Format("2006-01-02")
		return command{verb: verb, write: true, text: fmt.Sprintf("任务 %s 落实用地%s %s", o.any(r).name, note, due),
			done: func(reply string) {
				if id := taskID(reply); id != "" {
					o.tasks = append(o.tasks, id)
				}
			}}
	case "完成":
		if len(o.tasks) == 0 {
			return o.next(r, "任务", today)
		}
		i := r.IntN(len(o.tasks))
		id := o.tasks[i]
		return command{verb: verb, write: true, text: "完成 " + id, done: func(string) {
			o.tasks = append(o.tasks[:i:i], o.tasks[i+1:]...)
		}}
	case "查":
		return command{verb: verb, text: "查 " + o.any(r).name}
	case "我的":
		return command{verb: verb, text: "我的"}
	case "统计":
		return command{verb: verb, text: "统计 上月"}
	case "统计 本月", "统计 本年": // the read mix's: the figures of the month and of the year to date
		return command{verb: verb, text: verb}
	}
	panic("loadgen: no command " + verb)
}

// taskID reads the ID out of 任务's reply: "已登记任务 T12：…".
func taskID(reply string) string {
	rest, ok := strings.CutPrefix(reply, "已登记任务 ")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "：")
	return id
}

// Mix is the share of each verb in the run, in percent.
type Mix []Share

// Share is one verb's weight.
type Share struct {
	Verb    string
	Percent int
}

// DefaultMix is the realistic mix: 60% activities (拜访 接待 洽谈),
// 15% 签约/开工/到位, 15% 查/我的/统计 and 10% 任务/完成. Within the 15%,
// payments outnumber signings and starts as in the seed's year (121
// signings, 37 out-of-city starts, monthly payments on projects underway).
var DefaultMix = Mix{
	{"拜访", 25}, {"接待", 15}, {"洽谈", 20},
	{"签约", 3}, {"开工", 2}, {"到位", 10},
	{"查", 8}, {"我的", 4}, {"统计", 3},
	{"任务", 6}, {"完成", 4},
}

// ReadMix is the read-heavy mix of issue 18: 8% 统计 (本月 and 本年, 4% each,
// which read the month's and the year's figures), 13% 我的, and the other
// 79% in today's proportions (DefaultMix without 统计 and 我的, scaled).
var ReadMix = Mix{
	{"拜访", 21}, {"接待", 13}, {"洽谈", 17},
	{"签约", 3}, {"开工", 2}, {"到位", 8},
	{"查", 7}, {"我的", 13}, {"统计 本月", 4}, {"统计 本年", 4},
	{"任务", 5}, {"完成", 3},
}

// Mixes are the mixes zsbench --mix names.
var Mixes = map[string]Mix{"default": DefaultMix, "read": ReadMix}

// draw picks a verb by weight.
func (m Mix) draw(r *rand.Rand) string {
	total := 0
	for _, s := range m {
		total += s.Percent
	}
	n := r.IntN(total)
	for _, s := range m {
		if n < s.Percent {
			return s.Verb
		}
		n -= s.Percent
	}
	return m[len(m)-1].Verb
}
