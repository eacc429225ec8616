package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

func (h *handlers) noticeVerb() *Verb {
	all := h.noticeShorts("|", nil)
	v := &Verb{Name: "通报", Aliases: []string{"notice", "bulletin"}, Access: Leader,
		Usage:   "通报 预览 <" + all + "> / 通报 发送 <" + all + "> / 通报 预览 半月 图（图表） / 通报 失败",
		Example: "通报 预览 半月", Brief: "预览或立即发送定时通报（领导、管理员）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.notice(ctx, r, v) })
	return v
}

func (h *handlers) notice(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) == 1 && isFailedWord(r.Words[0]) {
		return h.noticeFailed(ctx, r)
	}
	if len(h.mux.cfg.Notices) == 0 {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "这里没有接入定时通报，请在企业微信中使用。")
	}
	chart := len(r.Words) == 3 && (r.Words[2] == "图" || r.Words[2] == "图表" || strings.EqualFold(r.Words[2], "chart"))
	if len(r.Words) != 2 && !chart {
		return "", usageError(v, "请写明 预览 或 发送，以及哪一种通报")
	}
	n := h.lookupNotice(r.Words[1])
	if n == nil {
		return "", usageError(v, fmt.Sprintf("不认识的通报「%s」，可选：%s", clip(r.Words[1], 10), h.noticeShorts(" ", nil)))
	}
	switch strings.ToLower(r.Words[0]) {
	case "预览", "preview":
		if chart {
			return h.noticeChart(ctx, r, n)
		}
		return h.noticePreview(ctx, r, n)
	case "发送", "send":
		return h.noticeSend(ctx, r, n)
	}
	return "", usageError(v, fmt.Sprintf("不认识的操作「%s」，可选：预览、发送", clip(r.Words[0], 10)))
}

// previewNote ends a preview cut to fit one reply.
const previewNote = "\n…（预览已截断：全文%d字节，发送时按每条4096字节分条）"

func (h *handlers) noticePreview(ctx context.Context, r *Request, n Notice) (string, error) {
	text, err := n.Preview(ctx, r.Tx, r.Now)
	if err != nil {
		return "", err
	}
	if text == "" {
		return fmt.Sprintf("%s：今天没有需要提醒的任务，不会发送。", noticeTitle(n)), nil
	}
	if len(text) > MaxReply {
		note := fmt.Sprintf(previewNote, len(text))
		cut := clipBytes(text, MaxReply-len(note))
		if i := strings.LastIndexByte(cut, '\n'); i > 0 {
			cut = cut[:i]
		}
		text = cut + note
	}
	return text, nil
}

// noticeChart draws the notice's chart as of now and sends it to the asker
// as an app image message; on the console (SaveExport set) it keeps it as
// a file beside the exports and replies with its path.
func (h *handlers) noticeChart(ctx context.Context, r *Request, n Notice) (string, error) {
	c, ok := n.(charted)
	if !ok {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "%s没有图表。", noticeTitle(n))
	}
	png, err := c.Chart(ctx, r.Tx, r.Now)
	if err != nil {
		return "", err
	}
	save := h.mux.cfg.SaveExport
	if save == nil {
		img := &zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{r.From}, Format: zsbot.FormatImage,
			Text: "［图表］" + noticeTitle(n), Image: png, Tag: "chart"}
		if err := r.Tx.Enqueue(ctx, img); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s图表（PNG，%dKB）将以图片消息发给您。", noticeTitle(n), (len(png)+1023)/1024), nil
	}
	path, err := save(fmt.Sprintf("chart-%s-%s.png", noticeName(n), r.Now.Format("20060102-150405")), png)
	if err != nil {
		return "", fmt.Errorf("notice chart: %w", err)
	}
	h.log.Info("notice chart written", "notice", noticeName(n), "by", r.From, "path", path, "bytes", len(png))
	return fmt.Sprintf("%s图表（PNG，%dKB）已保存：%s\n发送「通报 发送 %s」时，图表随文字发往各群机器人。", noticeTitle(n), (len(png)+1023)/1024, path, shortName(n)), nil
}

// shortName is what officers type for n: 半月.
func shortName(n Notice) string {
	_, short, _ := n.Names()
	return short
}

func (h *handlers) noticeSend(ctx context.Context, r *Request, n Notice) (string, error) {
	name, _, title := n.Names()
	if h.mux.cfg.NoSend {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "这里不能发送通报（未接入发送队列），请在企业微信中发送，或运行 zsbot notice %s。", name)
	}
	msgs, err := n.Messages(ctx, r.Tx, r.Now, false)
	if err != nil {
		return "", err
	}
	if len(msgs) == 0 {
		return fmt.Sprintf("%s没有可发送的消息：没有群接收它，或今天没有需要提醒的内容。发送「群 列表」查看。", title), nil
	}
	if err := r.Tx.Enqueue(ctx, msgs...); err != nil {
		return "", err
	}
	h.log.Info("notice sent by hand", "notice", name, "by", r.From, "messages", len(msgs))
	return fmt.Sprintf("已将%s加入发送队列，共%d条消息（%s）。", title, len(msgs), destinations(msgs)), nil
}

// destinations counts the messages' destinations by channel.
func destinations(msgs []*zsbot.Outgoing) string {
	seen := map[string]bool{}
	count := map[string]int{}
	for _, m := range msgs {
		if k := m.Channel + "/" + strings.Join(m.To, ","); !seen[k] {
			seen[k] = true
			count[m.Channel]++
		}
	}
	var parts []string
	for _, c := range []struct{ ch, label string }{{zsbot.ChannelRobot, "机器人群"}, {zsbot.ChannelAppChat, "应用群聊"}, {zsbot.ChannelApp, "个人"}} {
		if n := count[c.ch]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s%d个", c.label, n))
		}
	}
	return strings.Join(parts, "，")
}
