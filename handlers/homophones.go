package handlers

import "strings"

// homophoneGroups are characters common in company names that read the
// same, tones aside: a compact table standing in for a pinyin library
// (none is among the modules this build may use), enough to catch the
// slips of voice input and pinyin keyboards ("康朔" for "康硕"). A
// character with two readings is listed under the one names use.
var homophoneGroups = strings.Fields(`
	安按岸案 奥澳傲 百佰白拜 邦帮 宝保葆堡报 贝北倍蓓 博波泊铂伯 彩才材财 昌长常畅厂
	晨辰臣陈 成诚城程承橙 创窗 达大 丹单 德得 鼎丁定顶 东栋冬 发法 凡帆繁范泛 方芳舫
	丰峰锋风枫凤 富福复甫孚 光广 浩豪昊好皓 和合禾荷河 恒衡亨横 宏鸿弘红虹泓 华化桦
	汇辉慧惠晖徽 嘉佳家加 建健剑鉴坚 捷杰洁 金锦晋进津瑾 京晶精景经静 俊骏君峻钧
	凯开恺铠 科克可柯 力立利丽理励 联连莲 龙隆珑 路鹿陆禄露 明铭鸣名 普浦谱
	奇齐琪启企祺 乾千谦前 瑞锐睿蕊 盛晟胜升生圣 世实士时仕石 泰太台钛 通同彤桐
	威维伟卫巍微 新鑫信欣心芯馨 兴星興 旭徐序 亚雅 阳洋扬杨 一亿艺益易逸怡义
	宇禹雨玉誉裕渝域 元源远原园圆 越悦跃岳粤 祥翔香湘相 智志致至之芝知 中众忠钟
	硕朔烁铄 轩宣璇炫 天田恬 英盈赢影颖鹰 永勇泳 润闰 赛塞 迪帝地第 拓托 坤昆
	凌灵领玲零 数舒树曙 云芸运韵 真振臻珍镇 正政征铮 迅讯寻 泽择 国果 环欢
	清青庆晴 全泉权 业叶烨 林霖麟 美梅媒 比碧必壁 侃看勘 耀瑶遥 航杭 海 诺 卓`)

// homophone maps each character of the table to its group's number.
var homophone = map[rune]int{}

func init() {
	for i, g := range homophoneGroups {
		for _, r := range g {
			homophone[r] = i + 1
		}
	}
}

// samePinyin reports whether a and b, of one length, read the same: each
// character the same or in one group of homophoneGroups. Equal strings
// are not told apart here (the caller matched them already).
func samePinyin(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && (homophone[a[i]] == 0 || homophone[a[i]] != homophone[b[i]]) {
			return false
		}
	}
	return true
}
