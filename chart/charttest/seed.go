// Package charttest holds, for tests only, a bureau whose 2024 has the
// shape of the seed's year report, dated so that the 半月通报 of 16 December
// 2024 reads it whole: 121 signings worth 966亿 (one raised by 增资), tiers
// 4/6/4 of 10–100亿, 37 新开工市外项目, 市外资金到位162.7亿; 2023 has eleven
// signings of 3亿 and two payments, for the comparison with last year.
package charttest

import (
	"fmt"
	"time"

	"zsbot"
)

// Seed2024 returns the records: two officers (zhangsan of 双福园区, wangwu
// of 珞璜园区), a leader, the projects, 增资, payments and 2024's targets.
func Seed2024() []zsbot.Record {
	yi := zsbot.Yi
	recs := []zsbot.Record{
		&zsbot.Person{UserID: "zhangsan", Name: "张三", Park: "双福园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "wangwu", Name: "王五", Park: "珞璜园区", Role: zsbot.RoleOfficer, Active: true},
		&zsbot.Person{UserID: "li", Name: "李四", Park: "招商科", Role: zsbot.RoleLeader, Active: true},
	}
	n := 0
	project := func(owner, name string, out bool, signed zsbot.Date, amount zsbot.Money, started zsbot.Date) *zsbot.Project {
		n++
		park := map[string]string{"zhangsan": "双福园区", "wangwu": "珞璜园区"}[owner]
		p := &zsbot.Project{ID: fmt.Sprintf("P%d", n), Name: name, Park: park, Owner: owner, OutOfCity: out,
			Stage: zsbot.StageSigned, CreatedOn: signed, SignedOn: signed, Signed: amount, Amount: amount, FollowedOn: signed}
		if started != 0 {
			p.Stage, p.StartedOn = zsbot.StageStarted, started
		}
		recs = append(recs, p)
		return p
	}
	day := func(i int) zsbot.Date { return zsbot.NewDate(2024, time.Month(i%12+1), i%15+1) }
	big := []struct {
		name, owner string
		yi          zsbot.Money
	}{
		{"晶帆光电LCOS光阀芯片总部", "zhangsan", 15}, {"智能短交出行装备生产基地", "zhangsan", 18},
		{"长江新能源电池项目", "wangwu", 12}, {"西部食品加工基地", "wangwu", 10},
		{"中冶赛迪低碳机电装备成套项目", "wangwu", 20}, {"康硕集团西南总部基地", "zhangsan", 15},
		{"大唐江津燃机", "zhangsan", 20}, {"中科纳米新材料西南智造基地", "wangwu", 30},
		{"玖龙纸业绿色制浆扩建", "wangwu", 25}, {"汽摩零部件产业园", "zhangsan", 45},
		{"诺比侃机器视觉智能装备生产总部", "zhangsan", 51}, {"中船重庆公司运营管理总部", "wangwu", 50},
		{"石墨烯粉生产基地", "wangwu", 60}, {"智能网联汽车产业园", "zhangsan", 99},
	}
	for i, b := range big {
		p := project(b.owner, b.name, true, day(i), b.yi*yi, 20241210)
		if p.ID == "P6" { // 康硕: 15亿 and an 增资 of 5亿 moves it into 20-50亿
			p.Amount += 5 * yi
			recs = append(recs, &zsbot.Increase{ID: "Z1", Project: "P6", Date: 20241201, Amount: 5 * yi, By: "zhangsan"})
		}
	}
	// 107 signings under 10亿, 491亿: 23 市外 (12 started), 84 市内 (10 started).
	small := []zsbot.Money{9990 * 10, 9500 * 10, 5 * yi, 35000, 20100, 5000, 5000}
	for range 100 {
		small = append(small, 46000)
	}
	for i, amount := range small {
		owner := []string{"zhangsan", "wangwu"}[i%2]
		var started zsbot.Date
		if i < 12 || i >= 23 && i < 33 {
			started = 20241210
		}
		project(owner, fmt.Sprintf("小项目%d", i+1), i < 23, day(i), amount, started)
	}
	// 11 市外 projects signed in 2023, started in 2024: 新开工市外项目 26+11.
	for i := range 11 {
		project("wangwu", fmt.Sprintf("往年项目%d", i+1), true, 20230601, 3*yi, zsbot.NewDate(2024, 3, 1))
	}
	pay := func(id, project string, on zsbot.Date, amount zsbot.Money) {
		recs = append(recs, &zsbot.Payment{ID: id, Project: project, Date: on, Amount: amount, By: "zhangsan"})
	}
	for i := 1; i <= 12; i++ {
		pay(fmt.Sprintf("F%d", i), fmt.Sprintf("P%d", i), 20241214, 12*yi)
	}
	pay("F13", "P13", 20241130, 10*yi)
	pay("F14", "P13", 20241215, 87000)
	pay("F15", "P40", 20240915, 5*yi) // 市内
	pay("F16", "P122", 20230901, 6*yi)
	pay("F17", "P123", 20231120, 4*yi)
	for _, t := range []struct {
		metric string
		value  int64
	}{{"签约项目", 120}, {"协议引资", 1000 * int64(yi)}, {"资金到位", 300 * int64(yi)}, {"开工项目", 60}, {"新开工市外项目", 40}, {"拜访", 200}} {
		recs = append(recs, &zsbot.Target{Year: 2024, Metric: t.metric, Value: t.value})
	}
	return recs
}
