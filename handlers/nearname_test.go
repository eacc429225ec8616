package handlers

import (
	"testing"

	"zsbot/handlers/parse"
)

// TestNearName holds nearName to its classes, and to leaving apart the
// names that only share a word or a place.
func TestNearName(t *testing.T) {
	for _, c := range []struct {
		q, k string
		want int
	}{
		{"重庆康硕", "康硕集团", 1},  // a leading city
		{"四川省通威", "通威股份", 1}, // a province and its 省
		{"康硕实业", "康硕", 1},    // a word every company has
		{"康硕实业集团", "康硕控股", 1},
		{"京东", "京东方科技集团", 2},  // held in it
		{"宁德时代", "宁德", 2},     // holds it
		{"硕", "康硕集团", 2},      // one character held in a name
		{"康朔", "康硕", 3},       // the same reading
		{"康朔", "重庆康硕电子", 3},   // read the same as a part of it
		{"恒锐", "恒瑞医药", 3},     // …
		{"晶凡", "成都晶帆光电", 3},   // …
		{"康硕电子", "康朔", 3},     // … or holding it
		{"华润", "恒瑞医药", 0},     // one character alike is not a part read the same
		{"华晟达", "华盛达", 3},     // …
		{"宁德时伐", "宁德时代", 4},   // one character off
		{"中冶塞迪科技", "中冶赛迪", 3}, // the same reading, after the key's suffix
		{"中治塞迪", "中冶赛迪", 4},   // two characters off in four
		{"康硕", "康硕科技有限公司", 0}, // one key: one company, not asked
		{"通威", "恒瑞医药", 0},     // nothing alike
		{"华为", "华润", 4},       // two-character names one apart are asked about too
		{"甲材料", "乙", 0},       // a one-character name held in it is no match
		{"重庆", "康硕集团", 0},     // a place alone is no name
		{"比亚迪汽车", "诺比侃科技", 0},
		{"青岛啤酒", "重庆啤酒", 0},   // two places, one core: two companies
		{"上海银行", "北京银行", 0},   // …
		{"重庆市康硕", "重庆康硕", 1},  // one place, one core
		{"成都康硕", "重庆康硕电子", 0}, // two places: two companies, whatever their cores
		{"成都康硕", "康硕", 1},     // a leading place, one core
		{"康硕二厂", "康硕一厂", 0},   // numbered siblings
		{"星河甲乙丙丁号甲乙戊精工", "星河甲乙丙丁号甲乙丙精工", 0}, // … by ordinals, as the load generator names them
	} {
		if got := nearName(parse.NameKey(c.q), parse.NameKey(c.k)); got != c.want {
			t.Errorf("nearName(%s, %s) = %d, want %d", c.q, c.k, got, c.want)
		}
	}
	if place, core := coreKey(parse.NameKey("重庆市康硕实业有限公司")); place != "重庆" || core != "康硕" {
		t.Errorf("coreKey = %q, %q; want 重庆, 康硕", place, core)
	}
	if place, core := coreKey("重庆"); place != "" || core != "重庆" {
		t.Errorf("coreKey(重庆) = %q, %q: a core is never emptied", place, core)
	}
}
