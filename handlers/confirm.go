package handlers

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// A command the bot is unsure of is held, not guessed at: a verb slip, a
// bare task number or several matching names wait as a numbered choice
// (zsbot.Pick), and an implausible figure waits for a one-word 确认
// (zsbot.Pick with Confirm). Either is kept for zsbot.PickTTL; the sender's
// next message answers it or drops it (Session takes it, whatever follows).

// confirmation is returned by a handler that will not write what a
// message says until the sender confirms it: the Mux holds the command and
// asks the question.
type confirmation struct{ question string }

func (c *confirmation) Error() string { return "confirm: " + c.question }

// askConfirm returns the confirmation whose question is the reason, then
// 「是否确认？回复「确认」记录」.
func askConfirm(format string, args ...any) error {
	return &confirmation{question: fmt.Sprintf(format, args...) +
		"，是否确认？回复「确认」记录（10分钟内有效；回复其他内容则不记录）。"}
}

// yesWords confirm a held command; a held choice of one item too.
var yesWords = map[string]bool{
	"确认": true, "是": true, "对": true, "确定": true, "1": true,
	"是的": true, "对的": true, "确认记录": true,
}

// noWords cancel a held command or choice.
var noWords = map[string]bool{
	"否": true, "不": true, "不是": true, "不对": true, "取消": true, "算了": true, "不用了": true,
}

// answer is what the Mux does with a message given the sender's pending
// choice or held command (pick, nil when none).
type answer struct {
	msg       *zsbot.Message // the command to run: the held one, resolved, or the message itself
	confirmed bool           // the sender confirmed a held command
	named     *nameAnswer    // the answer to a near-match question (nearmatch.go)
	reply     string         // when not "", the whole reply: nothing runs
}

// answerPick reads text (the message, normalised) as an answer to pick:
// a number or 第N个 within the list runs the held command with that
// choice; 确认 (是 对 确定 1) runs a held confirmation once, confirmed;
// 取消 (否 不 …) drops it; a number outside the list shows the list again
// and keeps it waiting, and so does 确认 to a list of several. Any other
// message drops the choice and runs as itself. With nothing pending, a 确认 or a number says that nothing waits, and 取消 that there is nothing to cancel.
func (m *Mux) answerPick(ctx context.Context, s pickSaver, msg *zsbot.Message, text string, pick *zsbot.Pick) (answer, error) {
	n, isNumber := pickNumber(text)
	text = strings.TrimRight(text, "。.！!？?…~～") // "确认。" as voice input writes it
	switch {
	case pick == nil && (isNumber || yesWords[text]):
		return answer{}, zsbot.Errorf(zsbot.EINVALID, "没有等待确认或选择的指令（提问10分钟内有效）。请重新发送完整指令，例如：%s", m.Lookup("查").Example)
	case pick == nil && (text == "取消" || text == "算了" || text == "不用了"):
		return answer{reply: "没有等待确认或选择的指令，无需取消；未记录任何内容。"}, nil
	case pick == nil:
		return answer{msg: msg}, nil
	case noWords[text]:
		return answer{reply: "已取消，未记录：" + clip(pick.Raw, 40)}, nil
	case pick.Confirm && yesWords[text]:
		return answer{msg: resolved(msg, pick.Raw), confirmed: true}, nil
	case pick.Confirm:
		return answer{msg: msg}, nil
	case pick.New != "" && newWords[text]:
		return nearAnswer(msg, pick, 0), nil // 新建 (nearmatch.go)
	}
	switch {
	case !isNumber && yesWords[text] && len(pick.IDs) == 1:
		n, isNumber = 1, true
	case !isNumber && yesWords[text]:
		n, isNumber = -1, true // 确认 to a list of several: which one?
	}
	switch {
	case !isNumber:
		return answer{msg: msg}, nil
	case n >= 1 && n <= len(pick.IDs) && pick.New != "":
		return nearAnswer(msg, pick, n), nil
	case n >= 1 && n <= len(pick.IDs):
		return answer{msg: resolved(msg, strings.Replace(pick.Raw, pick.Word, pick.IDs[n-1], 1))}, nil
	}
	if err := s.SavePick(ctx, msg.From, pick); err != nil {
		return answer{}, err
	}
	what := fmt.Sprintf("没有第%d个", n)
	if n < 0 {
		what = "请选择是哪一个"
	}
	if pick.Prompt == "" {
		return answer{reply: fmt.Sprintf("%s，请回复 1 到 %d 之间的序号（10分钟内有效）。", what, len(pick.IDs))}, nil
	}
	return answer{reply: fmt.Sprintf("%s，请回复列表中的序号：\n%s", what, pick.Prompt)}, nil
}

// resolved returns msg with text in place of what was typed: the audit
// keeps the command as resolved, not "2" or "确认".
func resolved(msg *zsbot.Message, text string) *zsbot.Message {
	m := *msg
	m.Text = parse.Normalize(text)
	return &m
}

// holdPick keeps p, a numbered choice or a held command, with the prompt
// the sender is shown, and returns the prompt.
func holdPick(ctx context.Context, s pickSaver, from string, p *zsbot.Pick, prompt string) (string, error) {
	p.Prompt = prompt
	if err := s.SavePick(ctx, from, p); err != nil {
		return "", err
	}
	return prompt, nil
}

// pickNumber reads a reply that picks from a numbered list: 2, 第2个, 2号,
// 2., 2、, (2), 第二个, 二号 (full-width forms are normalised before).
func pickNumber(text string) (int, bool) {
	s := strings.TrimSpace(text)
	if t, ok := strings.CutPrefix(s, "("); ok {
		s, ok = strings.CutSuffix(t, ")")
		if !ok {
			return 0, false
		}
	}
	s = strings.TrimRight(s, ".、)")
	ordinal := strings.HasPrefix(s, "第")
	s = strings.TrimPrefix(s, "第")
	for _, suffix := range []string{"个", "号", "项", "条"} {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s, ordinal = t, true
			break
		}
	}
	if n, err := strconv.Atoi(s); err == nil && len(s) <= 3 {
		return n, n >= 0
	}
	if !ordinal {
		return 0, false // a lone 一 is no pick, nor 十
	}
	if n, ok := parse.ParseChineseInt(s); ok && n < 1000 {
		return int(n), true
	}
	return 0, false
}
