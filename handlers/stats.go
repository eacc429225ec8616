package handlers

import (
	"context"
	"slices"

	"zsbot"
	"zsbot/handlers/parse"
	"zsbot/report"
)

func (h *handlers) statsVerb() *Verb {
	return &Verb{Name: "统计", Aliases: []string{"stats"}, Access: Member,
		Usage: "统计 [园区|人员|各园区] [时段]：本年（默认）、本月、上月、本季、2024、2024年3月、2024年第1季度、3月1日至3月15日、今天、3月5日；" +
			"统计 双福园区 本月、统计 张三 2024、统计 各园区 本年",
		Example: "统计 本月", Brief: "通报口径的招商数据（签约、引资、开工、到位、拜访、目标进度），可按园区、人员",
		Handler: HandlerFunc(h.stats)}
}

// allParks are the words of 统计 各园区.
var allParks = []string{"各园区", "分园区", "全部园区", "所有园区"}

// stats answers 统计 with the bulletin's figures of the period: the same
// figures, read the same way, as the notices and the export. A first word
// naming a park or a person narrows them to that unit; 各园区 lists every
// park and the bureau's total.
func (h *handlers) stats(ctx context.Context, r *Request) (string, error) {
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	words := r.Words
	var parks, officer bool
	var key, name string
	if len(words) > 0 {
		people, err := report.LoadPeople(ctx, r.Tx)
		if err != nil {
			return "", err
		}
		list, err := loadParks(ctx, r.Tx)
		if err != nil {
			return "", err
		}
		w := words[0]
		park, person := resolvePark(w, people, list), personWord(w, people)
		switch {
		case slices.Contains(allParks, w):
			key, words = "*", words[1:]
		case park != "":
			parks, key, words = true, park, words[1:]
		case person != nil:
			officer, key, name, words = true, person.UserID, person.Name, words[1:]
		}
	}
	from, to, label, err := parse.ParsePeriod(words, r.Today)
	if err != nil {
		return "", err
	}
	rep, err := report.LoadStats(ctx, r.Tx, from, to, key != "")
	if err != nil {
		return "", err
	}
	switch {
	case key == "*":
		return report.ParksText(rep, label, MaxReply), nil
	case parks:
		return report.StatsText(rep.ForUnit(true, key), key+" "+label), nil
	case officer:
		return report.StatsText(rep.ForUnit(false, key), name+" "+label), nil
	}
	return report.StatsText(rep, label), nil
}

// resolvePark returns the park a word names — "双福" or "双福园区" for the
// park 双福园区 — or "": a listed park (园区 列表) when the bureau keeps a
// list, else a park of the people's register.
func resolvePark(word string, people map[string]*zsbot.Person, list parkList) string {
	if len(list) > 0 {
		if m := list.match(word); len(m) == 1 {
			return m[0].Name
		}
		return ""
	}
	for _, p := range report.ParkNames(people, nil) {
		if report.SamePark(word, p) {
			return p
		}
	}
	return ""
}

// personWord returns the registered person a word names by name or userid,
// or nil.
func personWord(word string, people map[string]*zsbot.Person) *zsbot.Person {
	if p := people[word]; p != nil {
		return p
	}
	var found *zsbot.Person
	for _, p := range people {
		if p.Name == word {
			if found != nil {
				return nil // two people of one name: ask by userid
			}
			found = p
		}
	}
	return found
}
