package zsbot

import (
	"strconv"
	"strings"
)

// Money is an amount in 万元 (ten thousand yuan), stored exactly as an integer.
type Money int64

// Common amounts.
const (
	Wan Money = 1      // 1 万元
	Yi  Money = 10_000 // 1 亿元
)

// MaxAmount is the largest single amount accepted from a user (1000亿元);
// anything larger is almost certainly a typo.
const MaxAmount = 1000 * Yi

// String shows the amount as the bureau writes it: in 亿元 with at most two
// decimals ("51亿元", "3.5亿元", "0.25亿元" is never produced: amounts below
// 1亿 are shown in 万元, "3000万元").
func (m Money) String() string {
	if m < 0 {
		return "-" + (-m).String()
	}
	if m < Yi {
		return strconv.FormatInt(int64(m), 10) + "万元"
	}
	return m.Yi() + "亿元"
}

// Yi returns the amount in 亿 as a decimal string with at most two decimals,
// rounded half up ("51", "3.5", "162.7").
func (m Money) Yi() string {
	neg := m < 0
	if neg {
		m = -m
	}
	hundredths := (int64(m) + 50) / 100 // 1/100 亿 = 100 万元
	s := strconv.FormatInt(hundredths/100, 10)
	if frac := hundredths % 100; frac != 0 {
		f := strings.TrimRight(strconv.FormatInt(100+frac, 10)[1:], "0")
		s += "." + f
	}
	if neg {
		s = "-" + s
	}
	return s
}
