package parse

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"zsbot"
)

// The seed corpora live in testdata/fuzz/<target>; run a target with
// go test -run=^$ -fuzz=FuzzSplit -fuzztime=20s ./handlers/parse/

func FuzzSplit(f *testing.F) {
	f.Add("新项目 中科纳米 企业:京纳清科 30亿 产业：新材料")
	f.Fuzz(func(t *testing.T, s string) {
		checkNormalized(t, s, Normalize(s))
		checkSplit(t, s)
		first, rest := Cut(s)
		all := splitWords(Normalize(s), isSep)
		if len(all) == 0 && (first != "" || rest != "") || len(all) > 0 && first != all[0] {
			t.Fatalf("Cut(%q) = %q, %q; words %q", s, first, rest, all)
		}
		if verb, _ := Verb(s, "签约", "查", "help"); verb != lowerASCII(first) && !strings.HasPrefix(lowerASCII(first), verb) {
			t.Fatalf("Verb(%q) = %q, first word %q", s, verb, first)
		}
		if k := NameKey(s); NameKey(k) != k || !utf8.ValidString(k) {
			t.Fatalf("NameKey(%q) = %q is not stable", s, k)
		}
		if got := Closest(s, []string{s, "诺比侃", s + "科技有限公司"}, 2); len(got) > 2 {
			t.Fatalf("Closest returned %d names", len(got))
		}
		if name, ok := ParseMention(s); ok && (name == "" || strings.ContainsAny(name, "@ ")) {
			t.Fatalf("ParseMention(%q) = %q", s, name)
		}
		if kind, n, ok := ParseID(s); ok && (kind < 'A' || kind > 'Z' || n < 1) {
			t.Fatalf("ParseID(%q) = %c, %d", s, kind, n)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	f.Add("51亿")
	f.Fuzz(func(t *testing.T, s string) {
		m, bare, err := ParseMoney(s)
		if err != nil {
			mustInvalid(t, err)
			if m != 0 || bare {
				t.Fatalf("ParseMoney(%q) = %d, %v with error", s, m, bare)
			}
		} else {
			if m <= 0 || m > zsbot.MaxAmount {
				t.Fatalf("ParseMoney(%q) = %d, out of range", s, m)
			}
			if !LooksLikeMoney(s) {
				t.Fatalf("ParseMoney(%q) succeeded but LooksLikeMoney is false", s)
			}
			if again, _, err := ParseMoney(strconv.FormatInt(int64(m), 10) + "万"); err != nil || again != m {
				t.Fatalf("ParseMoney(%q) = %d does not round-trip: %d, %v", s, m, again, err)
			}
			if _, bare2, _ := ParseMoney(Normalize(s)); bare2 != bare {
				t.Fatalf("ParseMoney(%q): bare changes after Normalize", s)
			}
		}
		if n, ok := ParseChineseInt(s); ok && n < 0 {
			t.Fatalf("ParseChineseInt(%q) = %d", s, n)
		}
		if n, ok := ParseCount(s, "人"); ok && (n < 1 || n > 1e6) {
			t.Fatalf("ParseCount(%q) = %d", s, n)
		}
		words, _ := Split(s)
		money, date, rest := TakeMoneyDate(words, true, true)
		if len(rest)+btoi(money != "")+btoi(date != "") != len(words) {
			t.Fatalf("TakeMoneyDate(%q) lost words: %q %q %q", words, money, date, rest)
		}
	})
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func FuzzParseDate(f *testing.F) {
	f.Add("3月15日", int32(27000), false)
	f.Fuzz(func(t *testing.T, s string, offset int32, future bool) {
		today := zsbot.Date(19500101).AddDays(int(uint32(offset) % 365000))
		dir := Past
		if future {
			dir = Future
		}
		d, err := ParseDate(s, today, dir)
		if err != nil {
			mustInvalid(t, err)
			if d != 0 {
				t.Fatalf("ParseDate(%q) = %d with error", s, d)
			}
		} else {
			if !d.Valid() || !LooksLikeDate(s) {
				t.Fatalf("ParseDate(%q, %d) = %d: invalid or not LooksLikeDate", s, today, d)
			}
			spec, _ := readDate(Normalize(s))
			switch spec.kind {
			case kMonthDay, kDay, kWeekday:
				if dir == Past && (d > today || today.DaysSince(d) > 8*366) || dir == Future && (d < today || d.DaysSince(today) > 8*366) {
					t.Fatalf("ParseDate(%q, %d, %d) = %d: wrong direction", s, today, dir, d)
				}
			}
			if again, err := ParseDate(d.String(), today, 1-dir); err != nil || again != d {
				t.Fatalf("ParseDate(%q) = %d does not round-trip: %d, %v", s, d, again, err)
			}
		}
		from, to, label, err := ParsePeriod(strings.Fields(s), today)
		if err != nil {
			mustInvalid(t, err)
		} else if !from.Valid() || !to.Valid() || from > to || to > today || label == "" {
			t.Fatalf("ParsePeriod(%q, %d) = %d, %d, %q", s, today, from, to, label)
		}
	})
}
