package bot

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"zsbot"
	"zsbot/bot/wecomapi"
	"zsbot/config"
	"zsbot/storage"
)

// SenderOptions tunes a Sender; zero values take the defaults.
type SenderOptions struct {
	HTTPTimeout time.Duration // bound of one API call of the default HTTPClient; default 10s
	HTTPClient  *http.Client  // default one bounded by HTTPTimeout (see NewHTTPClient)
	Logger      *slog.Logger
	Metrics     *Metrics
}

// Sender delivers one message part through WeCom: app messages to people
// (message/send), app group chats (appchat/send) and group robots
// (webhook/send), with a wecomapi.Client of its own. The access token is
// shared by all instances through Redis.
type Sender struct {
	api     *wecomapi.Client
	noSend  string // why app messages cannot be sent; "" when they can
	tokens  *storage.TokenCache
	log     *slog.Logger
	metrics *Metrics

	mu  sync.Mutex
	bad map[string]string // channel → last configuration error
}

// NewSender returns the sender of the app w, caching its token in tokens.
// Every call goes to w.APIBase through o.HTTPClient.
func NewSender(w config.WeCom, tokens *storage.TokenCache, o SenderOptions) *Sender {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = NewMetrics()
	}
	if o.HTTPClient == nil {
		o.HTTPClient = NewHTTPClient(orDefault(o.HTTPTimeout, 10*time.Second))
	}
	s := &Sender{tokens: tokens, log: o.Logger, metrics: o.Metrics, bad: map[string]string{}}
	agent, err := strconv.Atoi(w.AgentID)
	switch {
	case !w.CanSend():
		s.noSend = "ZSBOT_WECOM_CORP_ID, ZSBOT_WECOM_AGENT_ID and ZSBOT_WECOM_SECRET are required to send app messages"
	case err != nil:
		s.noSend = "ZSBOT_WECOM_AGENT_ID must be an integer"
	}
	s.api = wecomapi.New(o.HTTPClient, w.APIBase, wecomapi.App{CorpID: w.CorpID, Secret: w.Secret, AgentID: agent}, tokens)
	return s
}

// NewHTTPClient returns the client a Sender uses by default: each WeCom API
// call is bounded by timeout, from dial to the last byte read, and its own
// context ends it sooner.
func NewHTTPClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   4,
		},
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
	if m.Channel != zsbot.ChannelRobot && s.noSend != "" {
		return s.outcome(m.Channel, &SendError{Kind: KindConfig, Msg: s.noSend})
	}
	err := classify(s.call(ctx, m))
	if err != nil && err.Kind == kindToken {
		s.metrics.sends.WithLabelValues(m.Channel, "token_refresh").Inc()
		if ferr := s.tokens.Forget(); ferr != nil {
			s.log.Warn("wecom: drop access token", "err", ferr)
		}
		if err = classify(s.call(ctx, m)); err != nil && err.Kind == kindToken {
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
func (s *Sender) call(ctx context.Context, m *zsbot.Outgoing) error {
	if m.Format == zsbot.FormatImage {
		return s.callImage(ctx, m)
	}
	kind, body := "text", &wecomapi.Content{Content: m.Text}
	if m.Format == zsbot.FormatMarkdown {
		kind = "markdown"
	}
	switch m.Channel {
	case zsbot.ChannelApp:
		// WeCom drops a copy of the same text to the same users within
		// the interval: a send that timed out after WeCom accepted it is
		// retried, and the retry must not show twice. Genuinely identical
		// app messages within half an hour are rare (replies and reminders
		// carry IDs and dates), and merging two would lose nothing.
		req := wecomapi.Message{ToUser: strings.Join(m.To, "|"), MsgType: kind,
			EnableDuplicateCheck: 1, DuplicateCheckInterval: dupCheckSeconds}
		req.Text, req.Markdown = pick(kind, body)
		res, err := s.api.SendMessage(ctx, req)
		if err == nil && res.InvalidUser != "" {
			s.log.Warn("wecom: app message partly undelivered", "invalid_users", res.InvalidUser)
		}
		return err
	case zsbot.ChannelAppChat:
		req := wecomapi.AppChat{ChatID: m.To[0], MsgType: kind}
		req.Text, req.Markdown = pick(kind, body)
		return s.api.SendAppChat(ctx, req)
	case zsbot.ChannelRobot:
		req := wecomapi.Webhook{MsgType: kind}
		if kind == "markdown" {
			req.Markdown = body
		} else {
			req.Text = &wecomapi.RobotText{Content: m.Text, MentionedList: m.Mentions}
		}
		return s.api.SendWebhook(ctx, m.To[0], req)
	}
	return errors.New("unknown channel " + m.Channel)
}

// callImage sends m's PNG. A group robot takes it inline (base64 and MD5);
// app messages and app chats take it uploaded first (media/upload), each
// try uploading it again (a medium lives three days; a retry is rare).
func (s *Sender) callImage(ctx context.Context, m *zsbot.Outgoing) error {
	if m.Channel == zsbot.ChannelRobot {
		return s.api.SendWebhook(ctx, m.To[0], wecomapi.Webhook{MsgType: "image", Image: RobotImage(m.Image)})
	}
	up, err := s.api.UploadMedia(ctx, wecomapi.MediaImage, "chart.png", m.Image)
	if err != nil {
		return err
	}
	img := &wecomapi.Media{MediaID: up.MediaID}
	if m.Channel == zsbot.ChannelAppChat {
		return s.api.SendAppChat(ctx, wecomapi.AppChat{ChatID: m.To[0], MsgType: "image", Image: img})
	}
	_, err = s.api.SendMessage(ctx, wecomapi.Message{ToUser: strings.Join(m.To, "|"), MsgType: "image", Image: img})
	return err
}

// RobotImage is the image of a robot's image message of png.
func RobotImage(png []byte) *wecomapi.RobotImage {
	sum := md5.Sum(png)
	return &wecomapi.RobotImage{Base64: base64.StdEncoding.EncodeToString(png), MD5: hex.EncodeToString(sum[:])}
}

// pick returns body as the text or as the markdown of a message of kind.
func pick(kind string, body *wecomapi.Content) (text, markdown *wecomapi.Content) {
	if kind == "markdown" {
		return nil, body
	}
	return body, nil
}

// outcome counts err, keeps the channel's configuration state and returns
// err (nil when it is nil).
func (s *Sender) outcome(channel string, err *SendError) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		s.metrics.sends.WithLabelValues(channel, "ok").Inc()
		delete(s.bad, channel)
		return nil
	}
	s.metrics.sends.WithLabelValues(channel, string(err.Kind)).Inc()
	if err.Kind == KindConfig {
		s.bad[channel] = err.Error()
	}
	return err
}

// Misconfigured returns, by channel, the last error WeCom gave for the
// app's own configuration (KindConfig) since that channel last sent
// successfully. A destination's configuration (KindDestination) is the
// worker's: storage.Outbox.Misconfigured.
func (s *Sender) Misconfigured() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.bad))
	for k, v := range s.bad {
		out[k] = v
	}
	return out
}
