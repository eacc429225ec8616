package handlers

import "strings"

// cities are the places officers visit most; any word ending in 市 counts too.
var cities = map[string]bool{}

func init() {
	for _, c := range strings.Fields(`北京 上海 天津 重庆 深圳 广州 成都 杭州 苏州 南京 武汉 西安 厦门 宁波 青岛 济南
		长沙 郑州 合肥 福州 东莞 佛山 无锡 常州 温州 绍兴 嘉兴 金华 台州 珠海 中山 惠州 昆明 贵阳 南宁 南昌 太原
		石家庄 沈阳 大连 长春 哈尔滨 兰州 西宁 银川 乌鲁木齐 呼和浩特 拉萨 海口 三亚 泉州 烟台 潍坊 徐州 南通 扬州
		泸州 宜宾 绵阳 德阳 内江 自贡 遂宁 南充 达州 乐山 眉山 资阳 雅安 广安 江津 永川 綦江 璧山 涪陵 万州
		香港 澳门 台北 东京 大阪 首尔 新加坡 法兰克福 慕尼黑 巴黎 伦敦 纽约 硅谷`) {
		cities[c] = true
	}
}

// isCity reports whether w names a city.
func isCity(w string) bool {
	if cities[w] {
		return true
	}
	r := []rune(w)
	return len(r) >= 2 && len(r) <= 5 && strings.HasSuffix(w, "市")
}
