package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"zsbot"
	"zsbot/storage"
)

// errBuried says a message became a dead letter: its destination is not
// blocked by it.
var errBuried = errors.New("outbox: message moved to the dead letters")

// deadCause returns why it, which failed with se at now, is given up
// ("" to keep trying): WeCom refused the message or its destination, or
// answered an errcode zsbot does not know, at least GiveUpAttempts times
// over at least GiveUpAfter. It notes the first such failure in it.
func (w *Worker) deadCause(it *storage.OutboxItem, se *SendError, now time.Time) string {
	switch se.Kind {
	case KindRejected:
		return zsbot.DeadRejected
	case KindDestination:
		return zsbot.DeadDestination
	case KindRetry:
		if se.Code == 0 || se.Code == -1 { // no answer, or WeCom busy: retried for ever
			return ""
		}
		if it.FirstFailed.IsZero() {
			it.FirstFailed = now
		}
		if it.Attempts+1 >= w.opt.GiveUpAttempts && now.Sub(it.FirstFailed) >= w.opt.GiveUpAfter {
			return zsbot.DeadGaveUp
		}
	}
	return ""
}

// bury moves it to the dead letters for cause and, the first time for its
// destination and cause since a send there succeeded, queues an alert to
// the admins. It returns errBuried, or the error of Redis.
func (w *Worker) bury(ctx context.Context, it *storage.OutboxItem, dest, cause string, se *SendError, now time.Time) error {
	it.Attempts++
	it.LastError = se.Error()
	d := &storage.DeadItem{Item: it, Key: dest, Dest: ShowDestination(it.Msg), Cause: cause, Error: se.Error(), At: now}
	w.opt.Metrics.dead.Inc()
	w.opt.Metrics.buried.WithLabelValues(cause).Inc()
	w.opt.Logger.Error("outbox: WeCom refuses the message for good; moved to the dead letters",
		"id", it.ID, "dest", dest, "tag", it.Msg.Tag, "cause", cause, "attempts", it.Attempts, "err", se.Error())
	var alert func() []*zsbot.Outgoing
	if w.opt.Admins != nil {
		alert = func() []*zsbot.Outgoing {
			admins, err := w.opt.Admins(ctx)
			if err != nil {
				w.opt.Logger.Warn("outbox: admins to alert of a dead letter", "err", err)
				return nil
			}
			var msgs []*zsbot.Outgoing
			for _, a := range admins {
				msgs = append(msgs, &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{a}, Format: zsbot.FormatText,
					Text: AlertText(d.Letter()), Tag: "dead-letter-alert"})
			}
			return msgs
		}
	}
	alerted, err := w.ob.Bury(ctx, d, alert)
	if err != nil {
		return err
	}
	if alerted {
		w.Notify()
	}
	return errBuried
}

// AlertText is the app message that tells an admin of dead letter d.
func AlertText(d *zsbot.DeadLetter) string {
	return fmt.Sprintf("【消息发送失败】发往%s的消息（编号%d）已移入失败列表：%s。\n首行：%s\n"+
		"发往同一目标的其他消息照常发送；发送成功之前不再就此提醒。发送「通报 失败」查看全部，"+
		"服务器上 zsbot outbox retry %d 重发、zsbot outbox drop %d 删除。",
		d.Dest, d.ID, zsbot.DeadCauseText(d.Cause), FirstLine(d.Msg.Text, 60), d.ID, d.ID)
}

// FirstLine returns the first non-blank line of text, cut to max runes.
func FirstLine(text string, max int) string {
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			if r := []rune(line); len(r) > max {
				return string(r[:max]) + "…"
			}
			return line
		}
	}
	return ""
}

// ShowDestination names where m goes, fit to show to officers: a robot
// by its masked key, never the key.
func ShowDestination(m *zsbot.Outgoing) string {
	switch m.Channel {
	case zsbot.ChannelRobot:
		return "机器人 " + zsbot.MaskKey(m.To[0])
	case zsbot.ChannelAppChat:
		return "应用群聊 " + m.To[0]
	}
	return "个人 " + strings.Join(m.To, "、")
}
