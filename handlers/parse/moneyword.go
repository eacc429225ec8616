package parse

import (
	"strings"
)

// financial maps the numerals of cheques and contracts (大写) and the
// traditional units to the plain ones readMoney reads.
var financial = strings.NewReplacer(
	"壹", "一", "贰", "二", "貳", "二", "叁", "三", "參", "三", "叄", "三", "肆", "四", "伍", "五",
	"陆", "六", "陸", "六", "柒", "七", "捌", "八", "玖", "九", "拾", "十", "佰", "百", "仟", "千",
	"萬", "万", "億", "亿", "圆", "元", "圓", "元",
)

// moneyPrefixes are the words an officer may put before an amount; they say
// nothing about it ("计划投资10亿", "约10亿"). Longer first.
var moneyPrefixes = []string{"计划总投资", "计划投资", "预计投资", "协议投资", "协议引资", "总投资", "投资额",
	"投资", "引资", "金额", "大约", "约合", "预计", "约", "共计", "合计", "人民币", "rmb", "cny", "¥"}

// currencies name money that is not 人民币: such an amount is refused, not
// converted or misread.
var currencies = []string{"美元", "美金", "港币", "港元", "欧元", "日元", "英镑", "澳元", "加元", "新加坡元",
	"新币", "韩元", "卢布", "台币", "usd", "hkd", "eur", "jpy", "gbp", "aud", "cad", "sgd", "$", "€", "£"}

// plainMoney rewrites an amount as readMoney reads it: financial numerals
// made plain, prefixes (计划投资, 约, 人民币) and suffixes (元整, 人民币)
// dropped, and 3000W as 3000万. foreign reports a currency other than 人民币
// ("2亿美元", "USD5000万").
func plainMoney(w string) (plain string, foreign bool) {
	w = lowerASCII(financial.Replace(w))
	for again := true; again; {
		again = false
		for _, p := range moneyPrefixes {
			if rest, ok := strings.CutPrefix(w, p); ok && rest != "" {
				w, again = rest, true
				break
			}
		}
	}
	w = strings.TrimSuffix(w, "整")
	w = strings.TrimSuffix(w, "人民币")
	for _, c := range currencies {
		if rest, ok := strings.CutSuffix(w, c); ok && rest != "" {
			w, foreign = rest, true
		} else if rest, ok := strings.CutPrefix(w, c); ok && rest != "" {
			w, foreign = rest, true
		}
	}
	if n, ok := strings.CutSuffix(strings.TrimSuffix(w, "元"), "w"); ok && endsNumeral(n) {
		w = n + "万" // 3000W, 3000w元
	}
	return w, foreign
}

// isMoneyPrefix reports whether w is only an amount's prefix ("计划投资"),
// typed apart from the amount.
func isMoneyPrefix(w string) bool {
	w = lowerASCII(w)
	for _, p := range moneyPrefixes {
		if w == p {
			return true
		}
	}
	return false
}

// IsCurrency reports whether word names a currency other than 人民币
// ("美元", "USD"), typed apart from its amount.
func IsCurrency(word string) bool {
	w := lowerASCII(Normalize(word))
	for _, c := range currencies {
		if w == c {
			return true
		}
	}
	return false
}
