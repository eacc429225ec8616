package parse

// TakeMoneyDate picks the amount and/or the date out of words and returns
// them with the remaining words in order ("" when absent). Unambiguous
// words are taken first: a word with a money unit is the amount and a date
// that is not a bare number is the date. Then a bare number that is not a
// date ("51") is the amount. Last, bare numbers that may be either ("3.15")
// are taken in order, the amount first: ["3.5", "11.30"] gives amount
// "3.5" and date "11.30"; ["3.15"] alone is the amount when wantMoney,
// else the date. Callers take the name (the first word) out beforehand.
func TakeMoneyDate(words []string, wantMoney, wantDate bool) (money, date string, rest []string) {
	taken := make([]bool, len(words))
	for tier := range 3 {
		for i, w := range words {
			if taken[i] {
				continue
			}
			m, d := tiers(w)
			switch {
			case wantMoney && money == "" && m == tier:
				money, taken[i] = w, true
			case wantDate && date == "" && d == tier:
				date, taken[i] = w, true
			}
		}
	}
	for i, w := range words {
		if !taken[i] {
			rest = append(rest, w)
		}
	}
	return money, date, rest
}

// tiers ranks w as an amount and as a date for TakeMoneyDate: 0 is
// unambiguous, 1 a bare number that is no date, 2 ambiguous, -1 neither.
func tiers(w string) (money, date int) {
	money, date = -1, -1
	a, isMoney := readMoney(Normalize(w))
	isDate := LooksLikeDate(w)
	switch {
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
