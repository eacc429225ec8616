package parse

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	type opts = map[string]string
	for _, tc := range []struct {
		name  string
		in    string
		words []string
		opts  opts
	}{
		{"Empty", "", nil, opts{}},
		{"Spaces", "签约 诺比侃  51亿 12月20日", []string{"签约", "诺比侃", "51亿", "12月20日"}, opts{}},
		{"FullWidthSpacesAndCommas", "签约　诺比侃，51亿,12月20日", []string{"签约", "诺比侃", "51亿", "12月20日"}, opts{}},
		{"EnumerationComma", "拜访、诺比侃、成都", []string{"拜访", "诺比侃", "成都"}, opts{}},
		{"Options", "新项目 中科纳米 企业:京纳清科 30亿 产业：新材料 园区:珞璜",
			[]string{"新项目", "中科纳米", "30亿"}, opts{"企业": "京纳清科", "产业": "新材料", "园区": "珞璜"}},
		{"ASCIIKeyLowered", "new X Park:珞璜", []string{"new", "X"}, opts{"park": "珞璜"}},
		{"ValueKeepsEnumerationComma", "产业:新材料、新能源 X", []string{"X"}, opts{"产业": "新材料、新能源"}},
		{"OptionAfterEnumerationComma", "诺比侃、园区:珞璜", []string{"诺比侃"}, opts{"园区": "珞璜"}},
		{"SpaceAfterColon", "企业： 京纳清科 30亿", []string{"30亿"}, opts{"企业": "京纳清科"}},
		{"KeyAtEnd", "新项目 X 企业:", []string{"新项目", "X"}, opts{"企业": ""}},
		{"LastValueWins", "园区:双福 园区:珞璜", nil, opts{"园区": "珞璜"}},
		{"TimeIsNoOption", "会议 12:30", []string{"会议", "12:30"}, opts{}},
		{"URLIsNoOption", "来源 http://x.cn/a", []string{"来源", "http://x.cn/a"}, opts{}},
		{"URLAsValue", "来源:http://x.cn/a", nil, opts{"来源": "http://x.cn/a"}},
		{"MixedKeyIsNoOption", "a1:b", []string{"a1:b"}, opts{}},
		{"LongKeyIsNoOption", "一二三四五六七八九十十一:x", []string{"一二三四五六七八九十十一:x"}, opts{}},
		{"ThousandsComma", "到位 康硕 3,000万", []string{"到位", "康硕", "3,000万"}, opts{}},
		{"CommaNotThousands", "康硕,3,50", []string{"康硕", "3", "50"}, opts{}},
		{"UnitJoined", "签约 诺比侃 51 亿 12月20日", []string{"签约", "诺比侃", "51亿", "12月20日"}, opts{}},
		{"ChineseUnitJoined", "签约 诺比侃 五十一 亿元", []string{"签约", "诺比侃", "五十一亿元"}, opts{}},
		{"UnitNotJoinedToText", "诺比侃 亿", []string{"诺比侃", "亿"}, opts{}},
		{"UnitNotJoinedAcrossOption", "5 园区:x 亿", []string{"5", "亿"}, opts{"园区": "x"}},
		{"TrailingFullStop", "拜访 康硕 重庆 昨天。", []string{"拜访", "康硕", "重庆", "昨天"}, opts{}},
		{"Semicolon", "到位 晶帆；20亿;昨天", []string{"到位", "晶帆", "20亿", "昨天"}, opts{}},
		{"QuestionAndBang", "签约 诺比侃 51亿！12月20日？", []string{"签约", "诺比侃", "51亿", "12月20日"}, opts{}},
		{"Ellipsis", "签约 诺比侃 51亿…", []string{"签约", "诺比侃", "51亿"}, opts{}},
		{"Dots", "签约 诺比侃 51亿...12月20日", []string{"签约", "诺比侃", "51亿", "12月20日"}, opts{}},
		{"ASCIIStop", "签约 诺比侃 51亿.", []string{"签约", "诺比侃", "51亿"}, opts{}},
		{"DecimalKept", "到位 康硕 3.5亿 2025.3.15", []string{"到位", "康硕", "3.5亿", "2025.3.15"}, opts{}},
		{"OptionBeforeStop", "园区:珞璜。", nil, opts{"园区": "珞璜"}},
		{"DotsInName", "拜访 A.O.史密斯 南京.", []string{"拜访", "A.O.史密斯", "南京"}, opts{}},
		{"DotAfterUnit", "到位 X 5亿.昨天", []string{"到位", "X", "5亿", "昨天"}, opts{}},
		{"DotAfterTime", "X 14:30.;谈 14:30.谈", []string{"X", "14:30", "谈", "14:30", "谈"}, opts{}},
		{"CurrencyJoined", "签约 X 2亿 美元", []string{"签约", "X", "2亿美元"}, opts{}},
		{"CurrencyNotJoinedToText", "X 美元", []string{"X", "美元"}, opts{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			words, opts := Split(tc.in)
			if !slices.Equal(words, tc.words) || !maps.Equal(opts, tc.opts) {
				t.Errorf("Split(%q) = %q, %v; want %q, %v", tc.in, words, opts, tc.words, tc.opts)
			}
		})
	}
}

// checkSplit asserts what every Split result satisfies.
func checkSplit(tb testing.TB, in string) {
	tb.Helper()
	words, opts := Split(in)
	if opts == nil {
		tb.Fatalf("Split(%q): nil options", in)
	}
	for _, w := range words {
		if w == "" || strings.ContainsAny(w, " 、") || strings.Contains(w, ",") && !strings.ContainsAny(w, "0123456789") {
			tb.Fatalf("Split(%q): bad word %q in %q", in, w, words)
		}
		if Normalize(w) != w {
			tb.Fatalf("Split(%q): word %q not normalised", in, w)
		}
	}
	for k, v := range opts {
		if _, _, ok := option(k + ":x"); !ok || lowerASCII(k) != k {
			tb.Fatalf("Split(%q): bad key %q", in, k)
		}
		if strings.Contains(v, " ") {
			tb.Fatalf("Split(%q): value %q has a space", in, v)
		}
	}
	w2, o2 := Split(Normalize(in))
	if !slices.Equal(words, w2) || !maps.Equal(opts, o2) {
		tb.Fatalf("Split(%q) changes after Normalize: %q %v vs %q %v", in, words, opts, w2, o2)
	}
	w3, o3 := Split(strings.Join(words, " "))
	if len(opts) == 0 && len(o3) == 0 && !slices.Equal(words, w3) {
		tb.Fatalf("Split(%q) = %q, but splitting the joined words gives %q", in, words, w3)
	}
}

func TestSplitProperties(t *testing.T) {
	for _, in := range []string{
		"签约 诺比侃 51亿", "a:b:c", ":x", "x:", "企业: 园区:珞璜", "1,000,000万", ",,,", "5 亿 亿",
		"、企业:、", "企业:a、b、", strings.Repeat("园区:x ", 500),
	} {
		checkSplit(t, in)
	}
}

func TestCheckOpts(t *testing.T) {
	t.Run("AllAllowed", func(t *testing.T) {
		if err := CheckOpts(map[string]string{"企业": "x"}, "企业", "产业"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("NoneGiven", func(t *testing.T) {
		if err := CheckOpts(map[string]string{}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Unknown", func(t *testing.T) {
		e := mustInvalid(t, CheckOpts(map[string]string{"产叶": "x", "企业": "y"}, "企业", "产业"))
		if !strings.Contains(e.Message, "产叶:") || !strings.Contains(e.Message, "产业:") {
			t.Errorf("message %q should name the bad and the allowed keys", e.Message)
		}
	})
	t.Run("NoOptionsAllowed", func(t *testing.T) {
		e := mustInvalid(t, CheckOpts(map[string]string{"备注": "x"}))
		if !strings.Contains(e.Message, "备注:") {
			t.Errorf("message %q should name the key", e.Message)
		}
	})
}

func TestTokens(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []Token
	}{
		{"Empty", "", nil},
		{"Spaces", "康硕 重庆  昨天", []Token{{"康硕", " "}, {"重庆", " "}, {"昨天", ""}}},
		{"TrailingStopDropped", "康硕 昨天。", []Token{{"康硕", " "}, {"昨天", ""}}},
		{"SemicolonKept", "昨天；谈硅料项目", []Token{{"昨天", "；"}, {"谈硅料项目", ""}}},
		{"StopInsideSentence", "已完成预审。环评下周", []Token{{"已完成预审", "。"}, {"环评下周", ""}}},
		{"PunctuationWinsOverSpace", "甲 ，乙 。 丙", []Token{{"甲", "，"}, {"乙", "。"}, {"丙", ""}}},
		{"EnumerationComma", "预审、环评", []Token{{"预审", "、"}, {"环评", ""}}},
		{"Ellipsis", "再议…明天", []Token{{"再议", "…"}, {"明天", ""}}},
		{"ThousandsKept", "3,000万,昨天", []Token{{"3,000万", "，"}, {"昨天", ""}}},
		{"Mention", "12月15日@张三", []Token{{"12月15日", ""}, {"@张三", ""}}},
		{"DecimalKept", "3.5亿 x.cn", []Token{{"3.5亿", " "}, {"x.cn", ""}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokens(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Tokens(%q) = %q; want %q", tc.in, got, tc.want)
			}
		})
	}
}
