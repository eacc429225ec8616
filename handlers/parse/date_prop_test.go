package parse

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"zsbot"
)

// fullStyles writes d with its year, in every accepted style.
func fullStyles(d zsbot.Date) []string {
	y, m, day := d.Year(), int(d.Month()), d.Day()
	return []string{
		d.String(), d.Chinese(), fmt.Sprintf("%d/%d/%d", y, m, day), fmt.Sprintf("%d.%d.%d", y, m, day),
		fmt.Sprintf("%d年%d月%d号", y, m, day), fmt.Sprintf("%d年%d月%d", y, m, day),
		fmt.Sprintf("%s年%s月%s日", chineseDigits(strconv.Itoa(y)), chineseInt(int64(m)), chineseInt(int64(day))),
		fmt.Sprintf("%d-%02d-%02d", y, m, day), fullWidth(d.String()),
	}
}

// monthDayStyles writes d without its year.
func monthDayStyles(d zsbot.Date) []string {
	m, day := int(d.Month()), d.Day()
	return []string{
		d.Short(), fmt.Sprintf("%d月%d号", m, day), fmt.Sprintf("%d月%d", m, day), fmt.Sprintf("%d.%d", m, day),
		fmt.Sprintf("%d/%d", m, day), fmt.Sprintf("%d-%d", m, day), fmt.Sprintf("%02d.%02d", m, day),
		fmt.Sprintf("%s月%s日", chineseInt(int64(m)), chineseInt(int64(day))), fullWidth(d.Short()),
	}
}

// dayStyles writes only d's day of the month.
func dayStyles(d zsbot.Date) []string {
	return []string{fmt.Sprintf("%d日", d.Day()), fmt.Sprintf("%d号", d.Day()), chineseInt(int64(d.Day())) + "号"}
}

// fullWidth replaces ASCII digits and punctuation by their full-width forms.
func fullWidth(s string) string {
	return mapRunes(s, func(r rune) rune {
		if '!' <= r && r <= '~' {
			return r - '!' + '！'
		}
		return r
	})
}

func mapRunes(s string, f func(rune) rune) string {
	out := []rune(s)
	for i, r := range out {
		out[i] = f(r)
	}
	return string(out)
}

var weekdayNames = []string{"一", "二", "三", "四", "五", "六", "日"}

// randomToday returns a random valid day between 1950 and about 2950.
func randomToday(r *rand.Rand) zsbot.Date {
	return zsbot.Date(19500101).AddDays(r.IntN(365000))
}

func TestParseDateRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	todays := []zsbot.Date{monday, 20240229, 20250301, 20241231, 20250101, 20000229, 21000228}
	for range 30 {
		todays = append(todays, randomToday(r))
	}
	expect := func(in string, today zsbot.Date, dir Direction, want zsbot.Date) {
		t.Helper()
		got, err := ParseDate(in, today, dir)
		if err != nil || got != want || !got.Valid() {
			t.Fatalf("ParseDate(%q, %d, %d) = %d, %v; want %d", in, today, dir, got, err, want)
		}
	}
	for _, today := range todays {
		for _, dir := range []Direction{Past, Future} {
			sign := map[Direction]int{Past: -1, Future: 1}[dir]
			for k := range 365 {
				d := today.AddDays(sign * k)
				for _, s := range fullStyles(d) {
					expect(s, today, 1-dir, d) // a full date ignores the direction
				}
				for _, s := range monthDayStyles(d) {
					expect(s, today, dir, d)
				}
				if k < 28 {
					for _, s := range dayStyles(d) {
						expect(s, today, dir, d)
					}
				}
				if k < 7 {
					wd := weekdayNames[weekIndex(d.Weekday())]
					for _, p := range []string{"周", "星期", "礼拜"} {
						expect(p+wd, today, dir, d)
					}
				}
			}
			for n, word := range []string{"大前天", "前天", "昨天", "今天", "明天", "后天", "大后天"} {
				expect(word, today, dir, today.AddDays(n-3))
			}
			mon := today.AddDays(-weekIndex(today.Weekday()))
			for i, wd := range weekdayNames {
				expect("本周"+wd, today, dir, mon.AddDays(i))
				expect("下周"+wd, today, dir, mon.AddDays(7+i))
				expect("上周"+wd, today, dir, mon.AddDays(i-7))
			}
		}
	}
}

// punctuation is what voice input and phones put after a word.
var punctuation = []string{"", "。", "；", ";", "！", "!", "？", "?", "…", "...", ".", "，", "、", " ", "。 ", "；　"}

// timesOfDay may follow a date, glued to it (the first ones) or apart.
var (
	gluedTimes = []string{"", "下午", "上午", "晚上", "上午10点", "下午3点半", "的下午", "晚上8点"}
	apartTimes = []string{"14:30", "14点", "下午", "9点半", "上午10:00"}
)

// TestDateInMessageProperty writes a date in every accepted style, with a
// random time of day and random punctuation and separators around it, into
// a payment message, and checks that the words Split and TakeMoneyDate
// find read back to that date, and that the amount and the note survive.
func TestDateInMessageProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	for range 300 {
		today := randomToday(r)
		k := r.IntN(365)
		d := today.AddDays(-k)
		styles := append(fullStyles(d), monthDayStyles(d)...)
		if k < 28 {
			styles = append(styles, dayStyles(d)...)
		}
		if k < 7 {
			styles = append(styles, "周"+weekdayNames[weekIndex(d.Weekday())])
		}
		for _, style := range styles {
			word := style + pick(gluedTimes)
			msg := "到位 P2 5亿" + pick(punctuation[1:]) + word + pick(punctuation)
			if r.IntN(2) == 0 {
				msg += " " + pick(apartTimes) + pick(punctuation)
			}
			msg += " 备注" + pick(punctuation)
			words, _ := Split(msg)
			money, dw, rest := TakeMoneyDate(words[2:], true, true)
			got, err := ParseDate(dw, today, Past)
			if err != nil || got != d || money != "5亿" || len(rest) != 1 || rest[0] != "备注" {
				t.Fatalf("today %s: %q → words %q: money %q, date %q = %s (%v), rest %q; want %s",
					today, msg, words, money, dw, got, err, rest, d)
			}
		}
	}
}
