package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
)

// failedShown is how many dead letters 通报 失败 lists.
const failedShown = 10

// isFailedWord reports whether word asks 通报 for the dead letters.
func isFailedWord(word string) bool {
	switch strings.ToLower(word) {
	case "失败", "failed", "发送失败":
		return true
	}
	return false
}

// noticeFailed lists the newest dead letters: the messages WeCom refused
// for good (通报 失败, leaders and admins).
func (h *handlers) noticeFailed(ctx context.Context, r *Request) (string, error) {
	dl := h.mux.cfg.DeadLetters
	if dl == nil {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "这里没有接入发送队列，没有发送失败的消息可查。")
	}
	letters, total, err := dl.DeadLetters(ctx, failedShown)
	if err != nil {
		return "", err
	}
	if total == 0 {
		return "没有发送失败的消息。", nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "发送失败的消息共%d条", total)
	if total > len(letters) {
		fmt.Fprintf(&b, "（最近%d条）", len(letters))
	}
	b.WriteString("：")
	for _, d := range letters {
		fmt.Fprintf(&b, "\n%d. %s 发往%s\n原因：%s（%s）\n首行：%s", d.ID, d.At.In(h.mux.cfg.Loc).Format("2006-01-02 15:04"),
			d.Dest, zsbot.DeadCauseText(d.Cause), errcodeOf(d.Error), firstLine(d.Msg.Text, 40))
	}
	b.WriteString("\n处理：服务器上 zsbot outbox retry <编号> 重发，zsbot outbox drop <编号> 删除。")
	return b.String(), nil
}

// errcodeOf picks "errcode N" out of a send error's text, else the text.
func errcodeOf(e string) string {
	if i := strings.Index(e, "errcode "); i >= 0 {
		e = e[i:]
		if j := strings.IndexByte(e, ':'); j > 0 {
			return e[:j]
		}
		return e
	}
	return clip(e, 40)
}

// firstLine returns the first non-blank line of text, cut to n runes.
func firstLine(text string, n int) string {
	for line := range strings.SplitSeq(text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return clip(line, n)
		}
	}
	return ""
}
