package handlers

import (
	"strings"
	"unicode"

	"zsbot/handlers/parse"
)

// cities are the places officers visit most, with the provinces and the
// countries; any word ending in 市 counts too.
var cities = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`北京 上海 天津 重庆 深圳 广州 成都 杭州 苏州 南京 武汉 西安 厦门 宁波 青岛 济南
		长沙 郑州 合肥 福州 东莞 佛山 无锡 常州 温州 绍兴 嘉兴 金华 台州 珠海 中山 惠州 昆明 贵阳 南宁 南昌 太原
		石家庄 沈阳 大连 长春 哈尔滨 兰州 西宁 银川 乌鲁木齐 呼和浩特 拉萨 海口 三亚 泉州 烟台 潍坊 徐州 南通 扬州
		泸州 宜宾 绵阳 德阳 内江 自贡 遂宁 南充 达州 乐山 眉山 资阳 雅安 广安 江津 永川 綦江 璧山 涪陵 万州
		香港 澳门 台北 东京 大阪 首尔 新加坡 法兰克福 慕尼黑 巴黎 伦敦 纽约 硅谷
		河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃
		青海 台湾 内蒙古 广西 西藏 宁夏 新疆
		美国 日本 韩国 德国 法国 英国 意大利 瑞士 荷兰 以色列 澳大利亚 加拿大 泰国 越南 马来西亚 印度尼西亚 阿联酋`) {
		cities[c] = true
	}
}

// isCity reports whether w names a known place: a city, province or country
// of the list, or a word ending in 市.
func isCity(w string) bool {
	if cities[w] {
		return true
	}
	r := []rune(w)
	return len(r) >= 2 && len(r) <= 5 && strings.HasSuffix(w, "市")
}

// doneMarks name what was done (洽谈, 考察, 签约…): a word with one is a note.
// textMarks are the other marks of a note — who was met (董事长, 总经理…) and
// the little words of a sentence (顺利, 很好) — which a name ending in 区, 县… may hold
// (长寿区, 通州区).
const (
	doneMarks = "谈议商察观访约签报会研讨论推进交流沟作"
	textMarks = "资产项目用地意向长总理记任的了和与及并就对为将已未拟想请需要接通顺好愉快很较非不没"
)

// looksLikePlace reports whether w is written as a place: mayBePlace
// without its short words of no mark ("宁德"), which may as well be part of
// a name ("时代").
func looksLikePlace(w string) bool {
	return mayBePlace(w) && (len([]rune(w)) > 4 || isCity(w) || strings.ContainsRune("省市区县州镇乡旗", []rune(w)[len([]rune(w))-1]) || knownPrefix(w))
}

// mayBePlace reports whether w, typed right after the company or event,
// is its place: any short name of a place ("宁德", "福建宁德", "江津区",
// "美国硅谷") that is not a date, an amount or a head count and does not read
// as a note ("洽谈二期用地", "董事长").
func mayBePlace(w string) bool {
	r := []rune(w)
	if isCity(w) {
		return true
	}
	if len(r) < 2 || len(r) > 8 || parse.LooksLikeDate(w) || parse.LooksLikeMoney(w) || isHeadcount(w) ||
		strings.IndexFunc(w, func(c rune) bool { return !unicode.Is(unicode.Han, c) }) >= 0 ||
		strings.ContainsAny(w, doneMarks) {
		return false
	}
	if strings.ContainsRune("省市区县州镇乡旗", r[len(r)-1]) {
		return true // 江津区, 长寿区
	}
	if strings.ContainsAny(w, textMarks) {
		return false
	}
	return knownPrefix(w) || len(r) <= 4 // 福建宁德, 美国硅谷; 宁德, 昆山, 张家港
}

// knownPrefix reports whether w starts with a known place and goes on.
func knownPrefix(w string) bool {
	r := []rune(w)
	for i := 2; i < len(r); i++ {
		if cities[string(r[:i])] {
			return true
		}
	}
	return false
}

// checkPlace refuses a place that is a date, an amount or a head count
// ("地点:昨天"): never a place, and surely a slip.
func checkPlace(v *Verb, place string) error {
	if place != "" && (parse.LooksLikeDate(place) || parse.LooksLikeMoney(place) || isHeadcount(place)) {
		return usageError(v, "「"+clip(place, 20)+"」不是地点，地点要写地名，如 地点:宁德")
	}
	return nil
}
