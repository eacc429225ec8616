package handlers

import (
	"strconv"

	"zsbot"
)

// slipFactor is how many times a project's usual size an amount must be
// to be asked about before it is written: a slip of one zero (2亿 typed
// as 20亿) is exactly ten times.
const slipFactor = 10

// The checks below ask (askConfirm) before an amount that is probably a
// slip enters the figures. A project's usual size is its planned
// investment (计划投资) until it is signed, its agreed amount (协议引资)
// after. A 签约 or 增资 of slipFactor times the usual size or more is asked
// about, and so is a 到位 that takes the project's funds above its agreed
// amount (which any payment of slipFactor times the usual size does). A
// project with no planned investment is not asked about at signing. A
// confirmed command (Request.Confirmed) is not asked again.

// checkSign asks before a signing of slipFactor times the planned
// investment or more.
func checkSign(r *Request, p *zsbot.Project, amount zsbot.Money) error {
	if r.Confirmed || p.Planned <= 0 || amount < slipFactor*p.Planned {
		return nil
	}
	return askConfirm("%s %s 签约%s，是计划投资%s的%s倍", p.ID, p.Name, amount, p.Planned, times(amount, p.Planned))
}

// checkIncrease asks before an 增资 of slipFactor times the agreed amount
// so far or more.
func checkIncrease(r *Request, p *zsbot.Project, amount zsbot.Money) error {
	if r.Confirmed || p.Amount <= 0 || amount < slipFactor*p.Amount {
		return nil
	}
	return askConfirm("%s %s 增资%s，是现有协议引资%s的%s倍", p.ID, p.Name, amount, p.Amount, times(amount, p.Amount))
}

// checkFund asks before a payment that takes the project's funds above its
// agreed amount.
func checkFund(r *Request, p *zsbot.Project, amount zsbot.Money) error {
	if total := p.Funds + amount; !r.Confirmed && total > p.Amount {
		return askConfirm("%s %s 到位%s后累计到位%s，超过协议引资%s", p.ID, p.Name, amount, total, p.Amount)
	}
	return nil
}

// times says how many times of base amount is, in whole numbers.
func times(amount, base zsbot.Money) string {
	return strconv.FormatInt(int64(amount/base), 10)
}
