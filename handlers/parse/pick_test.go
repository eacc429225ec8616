package parse

import (
	"slices"
	"testing"
)

func TestTakeMoneyDate(t *testing.T) {
	for _, tc := range []struct {
		name                string
		words               []string
		wantMoney, wantDate bool
		money, date         string
		rest                []string
	}{
		{"Funds", []string{"3.5亿", "11月30日"}, true, true, "3.5亿", "11月30日", nil},
		{"FundsReversed", []string{"11月30日", "3.5亿"}, true, true, "3.5亿", "11月30日", nil},
		{"BareNumbersAmountFirst", []string{"3.5", "11.30"}, true, true, "3.5", "11.30", nil},
		{"BareIntegerIsAmount", []string{"3.15", "51"}, true, true, "51", "3.15", nil},
		{"UnitWinsOverBare", []string{"3.15", "5亿"}, true, true, "5亿", "3.15", nil},
		{"AmbiguousAloneIsAmount", []string{"3.15"}, true, true, "3.15", "", nil},
		{"AmbiguousAloneIsDateWhenNoAmountWanted", []string{"3.1"}, false, true, "", "3.1", nil},
		{"DateOnly", []string{"完成土地摘牌", "12月15日", "@张三"}, false, true, "", "12月15日", []string{"完成土地摘牌", "@张三"}},
		{"MoneyOnly", []string{"5亿", "12月15日"}, true, false, "5亿", "", []string{"12月15日"}},
		{"FirstOfEachTaken", []string{"5亿", "6亿", "昨天", "今天"}, true, true, "5亿", "昨天", []string{"6亿", "今天"}},
		{"InvalidStillTaken", []string{"1200亿", "2月30日", "说明"}, true, true, "1200亿", "2月30日", []string{"说明"}},
		{"Nothing", []string{"已完成", "土地预审"}, true, true, "", "", []string{"已完成", "土地预审"}},
		{"Empty", nil, true, true, "", "", nil},
		{"CompactDateIsNoAmount", []string{"20250315", "5亿"}, true, true, "5亿", "20250315", nil},
		{"CompactDateAlone", []string{"20250315"}, true, true, "", "20250315", nil},
		{"TimeDroppedWithDate", []string{"5亿", "12月20日", "下午"}, true, true, "5亿", "12月20日", nil},
		{"TimeBeforeDate", []string{"下午3点", "12月20日", "5亿"}, true, true, "5亿", "12月20日", nil},
		{"TimeAloneIsToday", []string{"5亿", "下午"}, true, true, "5亿", "下午", nil},
		{"PrefixApart", []string{"计划投资", "10亿"}, true, true, "10亿", "", nil},
		{"PrefixApartNotBeforeAmount", []string{"计划投资", "完成"}, true, true, "", "", []string{"计划投资", "完成"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			money, date, rest := TakeMoneyDate(tc.words, tc.wantMoney, tc.wantDate)
			if money != tc.money || date != tc.date || !slices.Equal(rest, tc.rest) {
				t.Errorf("TakeMoneyDate(%q, %v, %v) = %q, %q, %q; want %q, %q, %q",
					tc.words, tc.wantMoney, tc.wantDate, money, date, rest, tc.money, tc.date, tc.rest)
			}
		})
	}
}

func TestLooksLikeMoney(t *testing.T) {
	for _, w := range []string{"51亿", "3000万", "五十一亿", "51", "3.15", "1200亿", "5.12345亿", "-5亿", "2024"} {
		if !LooksLikeMoney(w) {
			t.Errorf("LooksLikeMoney(%q) = false", w)
		}
	}
	for _, w := range []string{"诺比侃", "11月30日", "3/15", "5人", "千万", "亿", "P12", "@张三", "", "五十一"} {
		if LooksLikeMoney(w) {
			t.Errorf("LooksLikeMoney(%q) = true", w)
		}
	}
}

func TestLooksLikeDate(t *testing.T) {
	for _, w := range []string{"3.15", "3.5", "11.30", "2月30日", "13月1日", "12月20日", "下周五", "月底"} {
		if !LooksLikeDate(w) {
			t.Errorf("LooksLikeDate(%q) = false", w)
		}
	}
	for _, w := range []string{"3.5亿", "51", "5.55", "2024", "诺比侃", "5人", "P12", "@张三", "3月", "0.5"} {
		if LooksLikeDate(w) {
			t.Errorf("LooksLikeDate(%q) = true", w)
		}
	}
}
