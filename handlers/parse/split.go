package parse

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"zsbot"
)

// maxKeyRunes bounds an option key: keys are short words (企业, industry).
const maxKeyRunes = 10

// Split normalises s and returns its words in their original order and its
// key:value options ("园区:珞璜", "园区：珞璜" and "Park:珞璜" alike; ASCII
// keys are lower-cased, a repeated key keeps its last value).
//
// An option key is 1 to 10 letters (Han or ASCII), so "12:30" and
// "http://x" are words. A key with nothing after the colon takes the next
// word as its value ("企业: 京纳清科"); a key at the very end gets "". A
// unit typed apart from its number is joined back to it ("51 亿" is the
// word "51亿", "2亿 美元" is "2亿美元"). Words never contain separators;
// option values may contain '、'. The returned map is never nil.
func Split(s string) (words []string, opts map[string]string) {
	opts = map[string]string{}
	pending := ""     // option key waiting for its value
	joinable := false // the last word may take a unit typed apart from it
	for _, tok := range rawFields(Normalize(s)) {
		parts := strings.Split(tok, "、")
		for i, p := range parts {
			if p == "" {
				continue
			}
			if k, v, ok := option(p); ok {
				v = strings.Trim(strings.Join(append([]string{v}, parts[i+1:]...), "、"), "、")
				opts[k] = v
				pending = ""
				if v == "" {
					pending = k
				}
				joinable = false
				break
			}
			switch {
			case pending != "":
				opts[pending] = p
				pending = ""
				joinable = false
			case joinable && (isUnitWord(p) && endsNumeral(words[len(words)-1]) ||
				IsCurrency(p) && LooksLikeMoney(words[len(words)-1])):
				words[len(words)-1] += p
				joinable = false
			default:
				words = append(words, p)
				joinable = true
			}
		}
	}
	return words, opts
}

// rawFields splits at spaces, commas and sentence punctuation; '、' is
// handled by Split so that it stays inside option values.
func rawFields(s string) []string {
	return splitWords(s, func(s string, i int) bool { return isSpaceComma(s, i) || isPunct(s, i) })
}

// Token is one word of a free text and the separator typed after it, as it
// is written back into a note: " ", or full-width "，" "、" "；" "。" "！"
// "？" "…"; "" after the last word.
type Token struct{ Word, Sep string }

// Tokens normalises s and splits it at every separator (see the package
// comment), keeping what separated each word so that a note can be put
// back together as typed ("已完成预审。环评下周" keeps its "。"). When
// several separators meet, the first punctuation wins over spaces ("甲 ，乙"
// is "甲，乙"). An '@' inside a word starts a new word ("12月15日@张三").
func Tokens(s string) []Token {
	s = Normalize(s)
	var out []Token
	flush := func(w, sep string) {
		switch {
		case w != "":
			out = append(out, Token{Word: w, Sep: sep})
		case len(out) > 0 && sep != " " && (out[len(out)-1].Sep == " " || out[len(out)-1].Sep == ""):
			out[len(out)-1].Sep = sep
		}
	}
	start := 0
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case isSep(s, i):
			flush(s[start:i], punctShown(s, i))
			start = i + n
		case s[i] == '@' && i > start:
			flush(s[start:i], "")
			start = i
		}
		i += n
	}
	flush(s[start:], "")
	if len(out) > 0 {
		out[len(out)-1].Sep = ""
	}
	return out
}

// option reports whether w is key:value and returns the lower-cased key.
func option(w string) (key, value string, ok bool) {
	key, value, ok = strings.Cut(w, ":")
	if !ok || key == "" || utf8.RuneCountInString(key) > maxKeyRunes || strings.HasPrefix(value, "/") {
		return "", "", false
	}
	for _, r := range key {
		if !unicode.Is(unicode.Han, r) && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return "", "", false
		}
	}
	return lowerASCII(key), value, true
}

func isUnitWord(w string) bool {
	switch w {
	case "亿", "亿元", "万", "万元", "元", "个亿", "w", "W":
		return true
	}
	return false
}

// endsNumeral reports whether w ends with an Arabic or Chinese digit.
func endsNumeral(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return '0' <= r && r <= '9' || strings.ContainsRune(cnDigits, r) || strings.ContainsRune("十百千", r)
}

// CheckOpts returns an EINVALID error naming the first option (in key
// order) that is not among allowed, or nil when every option is allowed.
func CheckOpts(opts map[string]string, allowed ...string) error {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		if !slices.Contains(allowed, k) {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	bad := clip(keys[0]) + ":"
	if len(allowed) == 0 {
		return zsbot.Errorf(zsbot.EINVALID, "这个命令不带选项，请去掉 %s 再发一次。", bad)
	}
	return zsbot.Errorf(zsbot.EINVALID, "不认识的选项 %s，可用的选项有 %s:。", bad, strings.Join(allowed, ":、"))
}
