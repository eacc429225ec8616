package parse

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"zsbot"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want zsbot.Money
		bare bool
	}{
		{"51亿", 51 * zsbot.Yi, false}, {"51亿元", 51 * zsbot.Yi, false}, {"5.5亿", 55000, false},
		{"3000万", 3000, false}, {"3000万元", 3000, false}, {"3,000万", 3000, false}, {"0.35亿", 3500, false},
		{"五十一亿", 51 * zsbot.Yi, false}, {"一点五亿", 15000, false}, {"三千万", 3000, false},
		{"两亿", 2 * zsbot.Yi, false}, {"十五亿", 15 * zsbot.Yi, false}, {"五千万", 5000, false},
		{"一亿二千万", 12000, false}, {"1亿2000万", 12000, false}, {"一亿二", 12000, false},
		{"1亿零500万", 10500, false}, {"51个亿", 51 * zsbot.Yi, false}, {"5千万", 5000, false},
		{"51", 51 * zsbot.Yi, true}, {"5.5", 55000, true}, {".5", 5000, true}, {"１２亿", 12 * zsbot.Yi, false},
		{"1000亿", zsbot.MaxAmount, false}, {"1万", 1, false}, {"0.0001亿", 1, false}, {"5.1234亿", 51234, false},
		{"5.50000亿", 55000, false}, {"500000000元", 5 * zsbot.Yi, false}, {"30000元", 3, false},
		{"1,000,000万", 100 * zsbot.Yi, false}, {"051亿", 51 * zsbot.Yi, false}, {"12345万", 12345, false},
		{"一点二五亿", 12500, false}, {"五十一亿元", 51 * zsbot.Yi, false}, {"2.5万元", 0, false},
		// Financial numerals, units and the words around an amount.
		{"叁亿", 3 * zsbot.Yi, false}, {"贰拾亿", 20 * zsbot.Yi, false}, {"肆仟万", 4000, false},
		{"壹亿贰仟万元整", 12000, false}, {"伍億", 5 * zsbot.Yi, false}, {"5億元", 5 * zsbot.Yi, false},
		{"3000W", 3000, false}, {"3000w", 3000, false}, {"500w元", 500, false},
		{"2000万元人民币", 2000, false}, {"人民币2000万元", 2000, false}, {"1亿元整", zsbot.Yi, false},
		{"约10亿", 10 * zsbot.Yi, false}, {"大约3000万", 3000, false}, {"计划投资10亿", 10 * zsbot.Yi, false},
		{"投资50亿", 50 * zsbot.Yi, false}, {"总投资约20亿元", 20 * zsbot.Yi, false}, {"约10", 10 * zsbot.Yi, true},
		{"RMB5亿", 5 * zsbot.Yi, false}, {"¥3000万", 3000, false},
	} {
		if tc.want == 0 {
			continue // listed among the refusals below
		}
		t.Run(tc.in, func(t *testing.T) {
			got, bare, err := ParseMoney(tc.in)
			if err != nil || got != tc.want || bare != tc.bare {
				t.Errorf("ParseMoney(%q) = %d, %v, %v; want %d, %v", tc.in, got, bare, err, tc.want, tc.bare)
			}
		})
	}
	for _, tc := range []struct{ name, in, msg string }{
		{"TooLarge", "1200亿", "金额 1200亿元 超过1000亿元，可能输错了，例如：签约 诺比侃 51亿。"},
		{"BareTooLarge", "3000", "如果单位是万元，请写 3000万"},
		{"BareDecimalTooLarge", "1500.5", "金额 1500.5亿元 超过1000亿元，可能输错了"},
		{"HugeDigits", strings.Repeat("9", 5000) + "亿", "超过1000亿元"},
		{"HugeChinese", "九千亿亿", "看不懂"},
		{"TooPrecise", "5.12345亿", "只需精确到万元"},
		{"TooPreciseWan", "2.5万元", "只需精确到万元"},
		{"Yuan", "3000元", "只需精确到万元"},
		{"Zero", "0亿", "必须大于0"},
		{"ZeroBare", "0", "必须大于0"},
		{"Negative", "-5亿", "必须大于0"},
		{"JustUnit", "亿", "看不懂"},
		{"Text", "诺比侃", "看不懂"},
		{"QianWanIsNoAmount", "千万", "看不懂"},
		{"Date", "12月20日", "看不懂"},
		{"TrailingDot", "5.亿", "看不懂"},
		{"BadComma", "30,00万", "看不懂"},
		{"TwoDots", "1.2.3亿", "看不懂"},
		{"TailNotWan", "1亿2000", "看不懂"},
		{"TailTooBig", "1亿20000万", "看不懂"},
		{"DecimalWithColloquialTail", "1.5亿2", "看不懂"},
		{"Empty", "", "看不懂"},
		{"Dollars", "2亿美元", "请换算为人民币"},
		{"DollarsSlang", "3000万美金", "请换算为人民币"},
		{"USDPrefix", "USD5000万", "请换算为人民币"},
		{"USDSuffix", "2亿usd", "请换算为人民币"},
		{"HongKong", "5000万港币", "请换算为人民币"},
		{"Euros", "1亿欧元", "请换算为人民币"},
		{"DollarSign", "$2亿", "请换算为人民币"},
		{"PrefixAlone", "约", "看不懂"},
		{"WAlone", "w", "看不懂"},
		{"WNotAfterNumber", "亿w", "看不懂"},
	} {
		t.Run("Bad"+tc.name, func(t *testing.T) {
			m, _, err := ParseMoney(tc.in)
			e := mustInvalid(t, err)
			if m != 0 || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("ParseMoney(%q) = %d, %q; want message containing %q", tc.in, m, e.Message, tc.msg)
			}
		})
	}
}

// yiDecimal writes m (in 万元) as a number of 亿 with up to four decimals.
func yiDecimal(m zsbot.Money) string {
	s := strconv.FormatInt(int64(m/zsbot.Yi), 10)
	if f := int64(m % zsbot.Yi); f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	return s
}

// thousands writes n with commas: 1,234,567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// moneyStyles writes m in every style a user may type.
func moneyStyles(m zsbot.Money) []string {
	yi, wan := int64(m/zsbot.Yi), int64(m%zsbot.Yi)
	s := []string{
		yiDecimal(m) + "亿", yiDecimal(m) + "亿元", yiDecimal(m) + "个亿",
		strconv.FormatInt(int64(m), 10) + "万", strconv.FormatInt(int64(m), 10) + "万元",
		thousands(int64(m)) + "万", strconv.FormatInt(int64(m), 10) + "0000元",
		chineseInt(int64(m)) + "万",
	}
	if yi > 0 {
		s = append(s, chineseInt(yi)+"亿"+zeroTail(wan), strconv.FormatInt(yi, 10)+"亿"+arabicTail(wan))
		if wan != 0 {
			s = append(s, chineseInt(yi)+"点"+chineseDigits(strings.TrimRight(fmt.Sprintf("%04d", wan), "0"))+"亿")
		}
		if wan%1000 == 0 && wan != 0 {
			s = append(s, chineseInt(yi)+"亿"+chineseDigits(strconv.FormatInt(wan/1000, 10)))
		}
	} else {
		s = append(s, chineseInt(wan)+"万")
	}
	return s
}

// chineseDigits writes Arabic digits as Chinese digits, one by one.
func chineseDigits(s string) string {
	return strings.Map(func(r rune) rune { return []rune("零一二三四五六七八九")[r-'0'] }, s)
}

func zeroTail(wan int64) string {
	switch {
	case wan == 0:
		return ""
	case wan < 1000:
		return "零" + chineseInt(wan) + "万"
	}
	return chineseInt(wan) + "万"
}

func arabicTail(wan int64) string {
	if wan == 0 {
		return ""
	}
	return strconv.FormatInt(wan, 10) + "万"
}

func TestParseMoneyRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	amounts := []zsbot.Money{1, 9, 10, 999, 1000, 9999, zsbot.Yi, zsbot.Yi + 1, 51 * zsbot.Yi, 55000, zsbot.MaxAmount}
	for range 5000 {
		amounts = append(amounts, zsbot.Money(1+r.Int64N(int64(zsbot.MaxAmount))), zsbot.Money(1+r.Int64N(10)*1000*(1+r.Int64N(100))))
	}
	for _, m := range amounts {
		if m > zsbot.MaxAmount {
			continue
		}
		for _, s := range moneyStyles(m) {
			got, bare, err := ParseMoney(s)
			if err != nil || got != m || bare {
				t.Fatalf("ParseMoney(%q) = %d, %v, %v; want %d", s, got, bare, err, m)
			}
			if !LooksLikeMoney(s) || LooksLikeDate(s) {
				t.Fatalf("%q: LooksLikeMoney %v, LooksLikeDate %v", s, LooksLikeMoney(s), LooksLikeDate(s))
			}
		}
		if got, bare, err := ParseMoney(yiDecimal(m)); err != nil || got != m || !bare {
			t.Fatalf("ParseMoney(%q) = %d, %v, %v; want %d, bare", yiDecimal(m), got, bare, err, m)
		}
	}
}

func TestParseMoneyRefusesAboveMax(t *testing.T) {
	for _, m := range []zsbot.Money{zsbot.MaxAmount + 1, 2 * zsbot.MaxAmount, 1e15} {
		for _, s := range moneyStyles(m)[:6] {
			_, _, err := ParseMoney(s)
			if e := mustInvalid(t, err); !strings.Contains(e.Message, "超过1000亿元") {
				t.Errorf("ParseMoney(%q): %q", s, e.Message)
			}
		}
	}
}
