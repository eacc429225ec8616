package parse

import (
	"strings"

	"zsbot"
)

// amount is a money word read syntactically, before range checks.
type amount struct {
	wan     int64 // the value in 万元 (meaningless when big)
	exact   bool  // no precision below 1万元 was given
	big     bool  // far beyond MaxAmount
	neg     bool
	bare    bool // no unit: the number means 亿元
	foreign bool // in a currency other than 人民币
}

// ParseMoney reads an amount and returns it in 万元: "51亿", "51亿元",
// "5.5亿", "3000万", "3,000万元", "0.35亿", "51个亿", "五十一亿", "一点五亿",
// "三千万", "两亿", "一亿二千万", "一亿二" (1.2亿), "1亿2000万" or
// "500000000元"; also in financial numerals ("叁亿伍仟万", "壹億"), as
// "3000W", with 元整 or 人民币 ("1亿元整", "2000万元人民币") and after a
// word that says nothing about it ("约10亿", "计划投资10亿"). An amount in
// another currency ("2亿美元", "USD5000万") is refused: it must be
// converted first. A bare Arabic number ("51", "5.5") means 亿元 and bare is
// true, so the reply can say "按 51 亿元记录". Arithmetic is exact; more
// precision than 1万元, zero, negative amounts and amounts above
// zsbot.MaxAmount are refused with an EINVALID error.
func ParseMoney(word string) (m zsbot.Money, bare bool, err error) {
	w := Normalize(word)
	a, ok := readMoney(w)
	switch {
	case !ok:
		return 0, false, invalid("金额 %s 看不懂，例如：签约 诺比侃 51亿，或 3000万。", clip(w))
	case a.foreign:
		return 0, false, invalid("金额 %s 不是人民币，请换算为人民币后再记，例如：签约 诺比侃 51亿。", clip(w))
	case a.neg:
		return 0, false, invalid("金额必须大于0，例如：签约 诺比侃 51亿。")
	case a.bare && (a.big || a.wan > int64(zsbot.MaxAmount)) && allDigits(w):
		return 0, false, invalid("金额 %s 按亿元算超过%s，可能输错了；如果单位是万元，请写 %s万。", clip(w), zsbot.MaxAmount, clip(w))
	case a.big || a.wan > int64(zsbot.MaxAmount):
		shown := clip(w) // as typed, unless the bureau's format shows it exactly
		if !a.big && a.wan%100 == 0 {
			shown = zsbot.Money(a.wan).String()
		}
		return 0, false, invalid("金额 %s 超过%s，可能输错了，例如：签约 诺比侃 51亿。", shown, zsbot.MaxAmount)
	case !a.exact:
		return 0, false, invalid("金额 %s 只需精确到万元，例如：到位 康硕 3.5亿，或 3000万。", clip(w))
	case a.wan == 0:
		return 0, false, invalid("金额必须大于0，例如：签约 诺比侃 51亿。")
	}
	return zsbot.Money(a.wan), a.bare, nil
}

// LooksLikeMoney reports whether word is written as an amount, valid or
// not ("1200亿" and "5.12345亿" do, so the handler can report them). Words
// with a unit (亿, 万, 元) are unambiguous; a bare Arabic number ("51",
// "3.15") looks like money and, when it is also M.D, like a date too:
// TakeMoneyDate settles which.
func LooksLikeMoney(word string) bool {
	_, ok := readMoney(Normalize(word))
	return ok
}

// readMoney parses the syntax of a normalised money word.
func readMoney(w string) (a amount, ok bool) {
	w, foreign := plainMoney(w)
	a, ok = readPlainMoney(w)
	a.foreign = foreign
	return a, ok
}

// readPlainMoney parses an amount rewritten by plainMoney.
func readPlainMoney(w string) (a amount, ok bool) {
	if strings.HasPrefix(w, "-") {
		a.neg = true
		w = w[1:]
	}
	if w, ok = dropThousands(w); !ok {
		return a, false
	}
	w, yuan := strings.CutSuffix(w, "元")
	if left, right, found := strings.Cut(w, "亿"); found {
		hi, ok := decimal(strings.TrimSuffix(left, "个"), 1e4)
		if !ok {
			return a, false
		}
		lo := amount{exact: true}
		switch rs := []rune(right); {
		case len(rs) == 0:
		case len(rs) == 1 && !strings.Contains(left, ".") && !strings.Contains(left, "点"):
			d, ok := digitVal(rs[0])
			if !ok {
				return a, false
			}
			lo.wan = d * 1000
		default:
			num, ok := strings.CutSuffix(strings.TrimLeft(right, "零〇"), "万")
			if !ok {
				return a, false
			}
			if lo, ok = decimal(num, 1); !ok || lo.big || lo.wan >= 1e4 {
				return a, false
			}
		}
		return amount{wan: hi.wan + lo.wan, exact: hi.exact && lo.exact, big: hi.big, neg: a.neg}, true
	}
	var b amount
	switch num, wan := strings.CutSuffix(w, "万"); {
	case wan:
		b, ok = decimal(num, 1)
	case yuan:
		// Yuan must be whole 万元: "500000000元".
		num, whole := strings.CutSuffix(w, "0000")
		if whole = whole && allDigits(num); !whole {
			num = w
		}
		b, ok = decimal(num, 1)
		b.exact = b.exact && whole
	case isArabicDecimal(w):
		b, ok = decimal(w, 1e4)
		b.bare = true
	default:
		return a, false
	}
	b.neg = a.neg
	return b, ok
}

// dropThousands removes commas that are thousands separators; any other
// comma makes the word not an amount.
func dropThousands(w string) (string, bool) {
	if !strings.Contains(w, ",") {
		return w, true
	}
	for i := range len(w) {
		if w[i] == ',' && !thousandsComma(w, i) {
			return "", false
		}
	}
	return strings.ReplaceAll(w, ",", ""), true
}

// isArabicDecimal reports whether s is "51", "5.5" or ".5".
func isArabicDecimal(s string) bool {
	i, f, dot := strings.Cut(s, ".")
	return allDigits(i) && allDigits(f) && i+f != "" && !(dot && f == "")
}

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// decimal reads an Arabic ("5.5") or Chinese ("一点五", "三千") number and
// multiplies it by unit (in 万元), exactly.
func decimal(s string, unit int64) (a amount, ok bool) {
	var whole int64
	var frac string
	if isArabicDecimal(s) {
		i, f, _ := strings.Cut(s, ".")
		if i = strings.TrimLeft(i, "0"); len(i) > 15 {
			return amount{big: true, exact: true}, true
		}
		for _, c := range []byte(i) {
			whole = whole*10 + int64(c-'0')
		}
		frac = f
	} else {
		i, f, dot := strings.Cut(s, "点")
		if whole, ok = ParseChineseInt(i); !ok || dot && f == "" {
			return a, false
		}
		digits := make([]byte, 0, len(f))
		for _, r := range f {
			d, ok := digitVal(r)
			if !ok {
				return a, false
			}
			digits = append(digits, byte('0'+d))
		}
		frac = string(digits)
	}
	if whole > 10*int64(zsbot.MaxAmount)/unit {
		return amount{big: true, exact: true}, true
	}
	a = amount{wan: whole * unit, exact: true}
	for _, c := range []byte(strings.TrimRight(frac, "0")) {
		if unit /= 10; unit == 0 {
			a.exact = false
			break
		}
		a.wan += int64(c-'0') * unit
	}
	return a, true
}
