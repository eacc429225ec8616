package parse

import "zsbot"

// TakeMoneyDate picks the amount and/or the date out of words and returns
// them with the remaining words in order ("" when absent). Unambiguous
// words are taken first: a word with a money unit is the amount and a date
// that is not a bare number is the date. Then a bare number that is not a
// date ("51") is the amount. Last, bare numbers that may be either ("3.15")
// are taken in order, the amount first: ["3.5", "11.30"] gives amount
// "3.5" and date "11.30"; ["3.15"] alone is the amount when wantMoney,
// else the date. A time of day alone ("下午", "14:30") is the date (today)
// only when there is no other date; otherwise it is dropped with the date.
// A word with an amount prefix (约, 计划投资) is taken as it stands, and so
// is a prefix typed apart ("计划投资 10亿"), which is dropped. Callers take
// the name (the first word) out beforehand.
func TakeMoneyDate(words []string, wantMoney, wantDate bool) (money, date string, rest []string) {
	taken := make([]bool, len(words))
	for tier := range 4 {
		for i, w := range words {
			if taken[i] {
				continue
			}
			m, d := tiers(w)
			switch {
			case wantMoney && money == "" && m == tier:
				money, taken[i] = w, true
				if i > 0 && !taken[i-1] && isMoneyPrefix(Normalize(words[i-1])) {
					taken[i-1] = true
				}
			case wantDate && date == "" && d == tier:
				date, taken[i] = w, true
			}
		}
	}
	for i, w := range words {
		// A time of day beside the date tells nothing more (these records
		// keep the day); one that cannot be (25点) stays, to be refused.
		if !taken[i] && !(wantDate && IsTimeOfDay(w) && validTime(w)) {
			rest = append(rest, w)
		}
	}
	return money, date, rest
}

// tiers ranks w as an amount and as a date for TakeMoneyDate: 0 is
// unambiguous, 1 a bare number that is no date, 2 ambiguous, 3 a time of
// day alone, -1 neither.
func tiers(w string) (money, date int) {
	money, date = -1, -1
	a, isMoney := readMoney(Normalize(w))
	isDate := LooksLikeDate(w)
	switch {
	case isDate && IsTimeOfDay(w):
		return -1, 3
	case isMoney && isDate && a.bare && (a.big || a.wan > int64(zsbot.MaxAmount)):
		date = 0 // 20250315 is no amount
	case isMoney && isDate:
		return 2, 2
	case isMoney && a.bare:
		money = 1
	case isMoney:
		money = 0
	case isDate:
		date = 0
	}
	return money, date
}

// validTime reports whether a time of day can be read (14点, 下午3点半;
// not 25点).
func validTime(w string) bool {
	_, err := ParseDate(w, zsbot.NewDate(2000, 1, 1), Past)
	return err == nil
}
