package bot

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/silenceper/wechat/v2/work"
	"github.com/silenceper/wechat/v2/work/appchat"
	wcfg "github.com/silenceper/wechat/v2/work/config"
	"github.com/silenceper/wechat/v2/work/message"
	"github.com/silenceper/wechat/v2/work/robot"

	"zsbot"
	"zsbot/config"
	"zsbot/storage"
)

// SenderOptions tunes a Sender; zero values take the defaults.
type SenderOptions struct {
	HTTPTimeout time.Duration // bound of one API call; default 10s
	Logger      *slog.Logger
	Metrics     *Metrics
}

// Sender delivers one message part through WeCom: app messages to people
// (message/send), app group chats (appchat/send) and group robots
// (webhook/send), with silenceper/wechat v2. The access token is shared by
// all instances through Redis.
type Sender struct {
	agentID string
	canSend bool
	msg     *message.Client
	chat    *appchat.Client
	robot   *robot.Client
	tokens  *storage.TokenCache
	log     *slog.Logger
	metrics *Metrics

	mu  sync.Mutex
	bad map[string]string // channel → last configuration error
}

// NewSender returns the sender of the app w, caching its token in tokens.
// Every call goes to w.APIBase (see useAPI: the base is process-wide).
func NewSender(w config.WeCom, tokens *storage.TokenCache, o SenderOptions) *Sender {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	useAPI(w.APIBase, orDefault(o.HTTPTimeout, 10*time.Second))
	wk := work.NewWork(&wcfg.Config{CorpID: w.CorpID, CorpSecret: w.Secret, AgentID: w.AgentID, Cache: tokens})
	return &Sender{
		agentID: w.AgentID, canSend: w.CanSend(),
		msg: wk.GetMessage(), chat: wk.GetAppChat(), robot: wk.GetRobot(),
		tokens: tokens, log: o.Logger, metrics: o.Metrics, bad: map[string]string{},
	}
}

// Send delivers m as one message; m.Text must be within WeCom's limit for
// its format (Parts splits longer texts). It returns nil when WeCom answers
// errcode 0, else a *SendError that says whether to retry, wait or stop.
// An invalid token (40014, 42001) is dropped and the call made once more.
func (s *Sender) Send(ctx context.Context, m *zsbot.Outgoing) error {
	if err := ctx.Err(); err != nil {
		return &SendError{Kind: KindRetry, Msg: err.Error()}
	}
	if m.Channel != zsbot.ChannelRobot && !s.canSend {
		return s.outcome(m.Channel, &SendError{Kind: KindConfig, Msg: "ZSBOT_WECOM_CORP_ID, ZSBOT_WECOM_AGENT_ID and ZSBOT_WECOM_SECRET are required to send app messages"})
	}
	err := classify(s.call(m))
	if err != nil && err.Kind == kindToken {
		s.metrics.sends.WithLabelValues(m.Channel, "token_refresh").Inc()
		if ferr := s.tokens.Forget(); ferr != nil {
			s.log.Warn("wecom: drop access token", "err", ferr)
		}
		if err = classify(s.call(m)); err != nil && err.Kind == kindToken {
			err.Kind = KindRetry
		}
	}
	return s.outcome(m.Channel, err)
}

// dupCheckSeconds is the window of WeCom's duplicate check on app
// messages (its default; at most 4 hours): longer than the worker's retries
// of one message take to get past a short outage.
const dupCheckSeconds = 1800

// call makes one API call for m.
func (s *Sender) call(m *zsbot.Outgoing) error {
	switch m.Channel {
	case zsbot.ChannelApp:
		// WeCom drops a copy of the same text to the same users within
		// the interval: a send that timed out after WeCom accepted it is
		// retried, and the retry must not show twice. Genuinely identical
		// app messages within half an hour are rare (replies and reminders
		// carry IDs and dates), and merging two would lose nothing.
		common := &message.SendRequestCommon{ToUser: strings.Join(m.To, "|"), AgentID: s.agentID,
			EnableDuplicateCheck: 1, DuplicateCheckInterval: dupCheckSeconds}
		var res *message.SendResponse
		var err error
		if m.Format == zsbot.FormatMarkdown {
			common.MsgType = "markdown"
			res, err = s.msg.Send("MessageSendMarkdown", appMarkdown{common, markdown{m.Text}})
		} else {
			res, err = s.msg.SendText(message.SendTextRequest{SendRequestCommon: common, Text: message.TextField{Content: m.Text}})
		}
		if err == nil && res != nil && res.InvalidUser != "" {
			s.log.Warn("wecom: app message partly undelivered", "invalid_users", res.InvalidUser)
		}
		return err
	case zsbot.ChannelAppChat:
		common := &appchat.SendRequestCommon{ChatID: m.To[0]}
		if m.Format == zsbot.FormatMarkdown {
			common.MsgType = "markdown"
			_, err := s.chat.Send("AppChatSendMarkdown", chatMarkdown{common, markdown{m.Text}})
			return err
		}
		_, err := s.chat.SendText(appchat.SendTextRequest{SendRequestCommon: common, Text: appchat.TextField{Content: m.Text}})
		return err
	case zsbot.ChannelRobot:
		var opt any
		if m.Format == zsbot.FormatMarkdown {
			o := robot.WebhookSendMarkdownOption{MsgType: "markdown"}
			o.Markdown.Content = m.Text
			opt = o
		} else {
			o := robot.WebhookSendTextOption{MsgType: "text"}
			o.Text.Content, o.Text.MentionedList = m.Text, m.Mentions
			opt = o
		}
		// RobotBroadcast returns a nil error with a non-zero errcode: check it.
		info, err := s.robot.RobotBroadcast(m.To[0], opt)
		if err == nil && info.ErrCode != 0 {
			return &apiError{code: info.ErrCode, msg: info.ErrMsg}
		}
		return err
	}
	return errors.New("unknown channel " + m.Channel)
}

// outcome counts err, keeps the channel's configuration state and returns
// err (nil when it is nil).
func (s *Sender) outcome(channel string, err *SendError) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.metrics.sends.WithLabelValues(channel, "ok").Inc()
		delete(s.bad, channel)
		s.metrics.misconf.WithLabelValues(channel).Set(0)
		return nil
	}
	s.metrics.sends.WithLabelValues(channel, string(err.Kind)).Inc()
	if err.Kind == KindConfig {
		s.bad[channel] = err.Error()
		s.metrics.misconf.WithLabelValues(channel).Set(1)
	}
	return err
}

// Misconfigured returns, by channel, the last configuration error WeCom
// gave since that channel last sent successfully.
func (s *Sender) Misconfigured() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.bad))
	for k, v := range s.bad {
		out[k] = v
	}
	return out
}

// Request bodies silenceper has no type for.
type (
	markdown struct {
		Content string `json:"content"`
	}
	appMarkdown struct {
		*message.SendRequestCommon
		Markdown markdown `json:"markdown"`
	}
	chatMarkdown struct {
		*appchat.SendRequestCommon
		Markdown markdown `json:"markdown"`
	}
)
