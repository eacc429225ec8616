// Package aibot is the transport of WeCom's 智能机器人 (AI bot): the JSON
// callback through which members @ the bot in group chats and talk to it
// one-to-one, answered with stream replies and template cards. It is an
// adapter over bot.Once, as bot.Callback is for the app's XML callback:
// the same crypto (with an empty receive id), replay window, once-only
// claims, registration and permissions.
package aibot

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/config"
)

// Replies of the adapter that do not come from the handlers.
const (
	ReplyNotText = "请发送文字指令，例如：拜访 康硕 重庆 昨天"
	Greeting     = "您好，我是招商助手。在群里@我或在这里直接发指令即可记录拜访、签约、到位等，例如：拜访 康硕 重庆 昨天。发送「帮助」查看全部指令。"
	ReplyWorking = "正在处理，请稍候…"
	ReplyPrivate = "已私信。"
	ReplyLost    = "本条未能处理，请重发。"
)

// maxContent is the longest stream content sent (WeCom allows 20480
// bytes); a longer reply is cut with a note.
const maxContent = 20000

// Options tunes a Handler; zero values take the defaults.
type Options struct {
	ReplyTimeout   time.Duration // passive reply deadline; default 3s
	ClaimTimeout   time.Duration // default 1s
	CommandTimeout time.Duration // default 1m
	OnceTTL        time.Duration // default 24h, always above twice MaxSkew
	MaxSkew        time.Duration // replay window; 0 = off
	Greeting       string        // reply to enter_chat; default Greeting
	Now            zsbot.Clock   // default time.Now
	Location       *time.Location
	Logger         *slog.Logger
	Metrics        *bot.Metrics
	Random         io.Reader // default crypto/rand
	// VerbOf names the verb of a command's text ("" for none), to route
	// answers with private detail (handlers.Mux.VerbOf); nil = none.
	VerbOf func(text string) string
	// Private are the verbs whose answer, asked in a group, goes to the
	// member one-to-one through the app; default 我的.
	Private []string
	// Admins are the bootstrap admins (ZSBOT_ADMINS), greeted as
	// registered before they are.
	Admins []string
}

// Handler is the http.Handler of the 智能机器人's callback URL.
type Handler struct {
	*bot.Once
	units  bot.Units
	crypto *bot.Crypto
	name   string
	opt    Options
}

// New returns the handler of the 智能机器人 a, running commands through r
// in units of work begun in units. It fails when a's token or AES key is
// missing or the key is malformed.
func New(a config.AIBot, units bot.Units, r zsbot.Responder, o Options) (*Handler, error) {
	if !a.Configured() {
		return nil, errors.New("aibot: ZSBOT_AIBOT_TOKEN and ZSBOT_AIBOT_AES_KEY are required")
	}
	c, err := bot.NewCrypto(a.Token, a.AESKey, "") // 企业内部智能机器人: ReceiveId is ""
	if err != nil {
		return nil, err
	}
	if o.OnceTTL <= 0 {
		o.OnceTTL = 24 * time.Hour
	}
	o.OnceTTL = max(o.OnceTTL, 2*o.MaxSkew+time.Hour)
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Random == nil {
		o.Random = rand.Reader
	}
	if o.Greeting == "" {
		o.Greeting = Greeting
	}
	if o.Private == nil {
		o.Private = []string{"我的"}
	}
	run := bot.NewOnce(units, r, bot.RunOptions{ReplyTimeout: o.ReplyTimeout, ClaimTimeout: o.ClaimTimeout,
		CommandTimeout: o.CommandTimeout, OnceTTL: o.OnceTTL, Now: o.Now, Logger: o.Logger, Metrics: o.Metrics})
	return &Handler{Once: run, units: units, crypto: c, name: a.Name, opt: o}, nil
}

// ServeHTTP answers GET (URL verification) and POST (a message, a stream
// refresh or an event).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		h.verifyURL(w, r)
	case http.MethodPost:
		h.post(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// verifyURL answers the URL verification with the decrypted echostr.
func (h *Handler) verifyURL(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	echo := strings.ReplaceAll(q.Get("echostr"), " ", "+")
	if echo == "" {
		h.refuse(w, r, http.StatusBadRequest, "no_echostr", nil)
		return
	}
	if status, reason, err := h.check(q, echo); err != nil {
		h.refuse(w, r, status, reason, err)
		return
	}
	msg, err := h.crypto.Decrypt(echo)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "ciphertext", err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write(msg)
}

// check verifies the signature, then the timestamp's age.
func (h *Handler) check(q map[string][]string, encrypt string) (int, string, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	ts := get("timestamp")
	if err := h.crypto.Verify(get("msg_signature"), ts, get("nonce"), encrypt); err != nil {
		return http.StatusUnauthorized, "signature", err
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return http.StatusBadRequest, "timestamp", errors.New("timestamp is not a number")
	}
	if s := h.opt.MaxSkew; s > 0 {
		if d := h.opt.Now().Sub(time.Unix(sec, 0)); d > s || d < -s {
			return http.StatusUnauthorized, "stale", errors.New("timestamp outside the replay window")
		}
	}
	return 0, "", nil
}

// post handles one POST.
func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, bot.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large", nil)
		} else {
			h.refuse(w, r, http.StatusBadRequest, "body", err)
		}
		return
	}
	env, err := ParseEnvelope(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "json", err)
		return
	}
	if status, reason, err := h.check(r.URL.Query(), env.Encrypt); err != nil {
		h.refuse(w, r, status, reason, err)
		return
	}
	plain, err := h.crypto.Decrypt(env.Encrypt)
	if err != nil {
		status, reason := http.StatusBadRequest, "ciphertext"
		if errors.Is(err, bot.ErrReceiveID) {
			status, reason = http.StatusForbidden, "receive_id"
		}
		h.refuse(w, r, status, reason, err)
		return
	}
	m, err := ParseMessage(plain)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, "message", err)
		return
	}
	var reply *Reply
	switch m.MsgType {
	case "stream":
		reply = h.refresh(r.Context(), m)
	case "event":
		reply, err = h.event(r.Context(), m)
	default:
		reply, err = h.message(r.Context(), m)
	}
	if err != nil {
		h.refuse(w, r, http.StatusServiceUnavailable, "unavailable", err)
		return
	}
	h.write(w, reply)
}

// delivery is the once-only delivery of m from its sender: its id is
// "ai:<userid>:<msgid>", apart from the app's "m:…" ids.
func (h *Handler) delivery(m *Message) *bot.Delivery {
	d := &bot.Delivery{ID: deliveryID(m.From.UserID, m.MsgID), MsgID: m.MsgID, From: m.From.UserID, At: h.opt.Now(),
		Late: func(string) *zsbot.Outgoing { return nil }}
	if m.Group() {
		d.Chat, d.ChatType = m.ChatID, ChatGroup
	}
	return d
}

func deliveryID(from, msgID string) string { return "ai:" + from + ":" + msgID }

// message runs a member's message as a command and answers it with a
// stream: finished when the reply is ready in time, else open, to be
// finished on WeCom's refreshes.
func (h *Handler) message(ctx context.Context, m *Message) (*Reply, error) {
	d := h.delivery(m)
	text := StripMention(m.Content(), h.name)
	private := false
	if text == "" {
		d.Reply = ReplyNotText
	} else {
		d.Command, d.Text = true, text
		if m.Group() && h.private(text) {
			// The answer goes to the member through the app (the Delivery's
			// default Late), never in the group's answer.
			private, d.Late, d.MaxPassive = true, nil, 1
		}
	}
	sid := streamID(m.MsgID, private)
	res := h.Run(ctx, d)
	switch res.Outcome {
	case bot.OutcomeUnavailable:
		return nil, res.Err
	case bot.OutcomePassive:
		reply := h.stream(m, sid, true, res.Reply)
		if d.Command {
			if c := h.offerCard(ctx, m, text); c != nil {
				reply.MsgType, reply.Card = "stream_with_template_card", c
			}
		}
		return reply, nil
	case bot.OutcomeEmpty:
		return nil, nil
	case bot.OutcomeAsync:
		if private {
			return h.stream(m, sid, true, ReplyPrivate), nil
		}
		return h.stream(m, sid, false, ReplyWorking), nil
	}
	// A retry: the stored passive reply, else as a refresh finds it.
	if res.Reply != "" {
		return h.stream(m, sid, true, res.Reply), nil
	}
	return h.fromRecord(ctx, m, sid), nil
}

// private tells whether text's verb answers with private detail.
func (h *Handler) private(text string) bool {
	if h.opt.VerbOf == nil {
		return false
	}
	v := h.opt.VerbOf(text)
	for _, p := range h.opt.Private {
		if v != "" && v == p {
			return true
		}
	}
	return false
}

// refresh answers WeCom's refresh of an open stream from the record of
// the delivery it answers.
func (h *Handler) refresh(ctx context.Context, m *Message) *Reply {
	return h.fromRecord(ctx, m, m.Stream.ID)
}

// fromRecord is the state of stream sid of m's sender: finished with the
// recorded reply once the command is done, else still open.
func (h *Handler) fromRecord(ctx context.Context, m *Message, sid string) *Reply {
	msgID, private, ok := parseStreamID(sid)
	if !ok {
		return h.stream(m, sid, true, ReplyLost)
	}
	rec, err := h.units.GetDelivery(ctx, deliveryID(m.From.UserID, msgID))
	switch {
	case zsbot.ErrorCode(err) == zsbot.ENOTFOUND:
		return h.stream(m, sid, true, ReplyLost) // released: the command failed and wrote nothing
	case err != nil:
		return h.stream(m, sid, false, ReplyWorking) // Redis hiccup: the next refresh asks again
	case !rec.Done:
		return h.stream(m, sid, false, ReplyWorking)
	case private && !rec.Passive:
		return h.stream(m, sid, true, ReplyPrivate)
	}
	return h.stream(m, sid, true, rec.Reply)
}

// stream is the stream reply to m: in a group it mentions the sender.
func (h *Handler) stream(m *Message, id string, finish bool, content string) *Reply {
	if len(content) > maxContent {
		cut := strings.ToValidUTF8(content[:maxContent], "")
		if i := strings.LastIndexByte(cut, '\n'); i > 0 {
			cut = cut[:i+1]
		}
		content = cut + "……（内容过长，请用「导出」查看全部）"
	}
	if m.Group() && zsbot.ValidUserID(m.From.UserID) {
		content = "<@" + m.From.UserID + "> " + content
	}
	return &Reply{MsgType: "stream", Stream: &Stream{ID: id, Finish: finish, Content: content}}
}

// streamID names the stream answering message msgID; a refresh carries
// it back. "p." marks an answer sent privately.
func streamID(msgID string, private bool) string {
	p := "s."
	if private {
		p = "p."
	}
	return p + base64.RawURLEncoding.EncodeToString([]byte(msgID))
}

func parseStreamID(id string) (msgID string, private, ok bool) {
	if len(id) < 3 || (id[:2] != "s." && id[:2] != "p.") {
		return "", false, false
	}
	b, err := base64.RawURLEncoding.DecodeString(id[2:])
	if err != nil || len(b) == 0 {
		return "", false, false
	}
	return string(b), id[0] == 'p', true
}

// event answers an event: the greeting on enter_chat, once per member and
// day; a card's update on a click; nothing for others.
func (h *Handler) event(ctx context.Context, m *Message) (*Reply, error) {
	switch m.Event.Type {
	case "enter_chat":
		day := zsbot.DateOf(h.opt.Now().In(h.opt.Location))
		d := h.delivery(m)
		d.ID, d.Reply = "aig:"+m.From.UserID+":"+day.String(), h.greeting(ctx, m.From.UserID)
		res := h.Run(ctx, d)
		switch res.Outcome {
		case bot.OutcomeUnavailable:
			return nil, res.Err
		case bot.OutcomePassive:
			return &Reply{MsgType: "text", Text: &Text{Content: res.Reply}}, nil
		}
		return nil, nil // greeted already today
	case "template_card_event":
		if m.Event.CardEvent == nil {
			return nil, nil
		}
		return h.click(ctx, m)
	}
	return nil, nil
}

// greeting is the greeting of member: what they may do, or for one not
// registered (or no longer active) their userid to give an admin.
func (h *Handler) greeting(ctx context.Context, member string) string {
	if slices.Contains(h.opt.Admins, member) {
		return h.opt.Greeting
	}
	p, err := h.units.Person(ctx, member)
	switch {
	case zsbot.ErrorCode(err) == zsbot.ENOTFOUND || err == nil && p == nil:
		return "您好，我是招商助手。您还不是登记用户，请把您的userid「" + member + "」发给管理员登记；现在只能使用「帮助」。"
	case err == nil && !p.Active:
		return "您好，我是招商助手。您的账号已停用（userid：" + member + "），请联系管理员。"
	}
	return h.opt.Greeting
}

// write writes reply encrypted, or 200 empty for none.
func (h *Handler) write(w http.ResponseWriter, reply *Reply) {
	if reply == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	plain, err := json.Marshal(reply)
	if err == nil {
		var body []byte
		if body, err = h.seal(plain); err == nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write(body)
			return
		}
	}
	h.opt.Logger.Error("aibot: encrypt reply", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// seal encrypts and signs a reply's plaintext into its envelope.
func (h *Handler) seal(plain []byte) ([]byte, error) {
	enc, err := h.crypto.Encrypt(h.opt.Random, plain)
	if err != nil {
		return nil, err
	}
	now := h.opt.Now().Unix()
	var b [8]byte
	io.ReadFull(h.opt.Random, b[:])
	nonce := strconv.FormatUint(1e9+binary.BigEndian.Uint64(b[:])%9e9, 10)
	return json.Marshal(ReplyEnvelope{Encrypt: enc, MsgSignature: h.crypto.Sign(strconv.FormatInt(now, 10), nonce, enc),
		Timestamp: now, Nonce: nonce})
}

// refuse answers a request that will not be processed, logging one line
// without secrets.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, reason string, err error) {
	attrs := []any{"reason", reason, "status", status, "remote", r.RemoteAddr}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	h.opt.Logger.Warn("aibot callback refused", attrs...)
	http.Error(w, http.StatusText(status), status)
}
