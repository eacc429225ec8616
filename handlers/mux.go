// Package handlers turns the officers' one-line commands into changes of the
// bureau's record and replies. One verb, one handler; the Mux routes a
// message to its verb (net/http style), checks who may use it, and maps
// errors to short Chinese replies in one place. Handlers never send: they
// return the reply, and the transport (console or WeCom) delivers it.
package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
	"time"

	"zsbot"
	"zsbot/handlers/parse"
)

// Access is who may use a verb.
type Access int

// The access levels, each including the ones above it.
const (
	Anyone  Access = iota // unregistered senders too (帮助)
	Member                // any active registered person: reads, and writes nothing (Mux.Writes)
	Officer               // writes: every active registered person
	Leader                // 领导 and 管理员
	Admin                 // 管理员
)

// Request is one parsed command.
type Request struct {
	*zsbot.Message
	// Tx is the message's unit of work: the store and outbox the command
	// reads and writes through (zsbot.Tx states when its writes are seen).
	Tx     zsbot.Tx
	Sender *zsbot.Person // nil for an unregistered sender
	Verb   string        // the verb's canonical Chinese name
	Args   string        // the normalised text after the verb
	Words  []string      // Args split into words, options removed
	Opts   map[string]string
	Today  zsbot.Date // Message.At in the bureau's zone
	Now    time.Time  // Message.At in the bureau's zone
	// Confirmed is set when the sender confirmed this command after the
	// handler asked (askConfirm): it is then written without asking again.
	Confirmed bool
	named     *nameAnswer // the answer to a near-match question (nearmatch.go)
}

// Handler answers one parsed command.
type Handler interface {
	Serve(ctx context.Context, r *Request) (string, error)
}

// HandlerFunc adapts a function to a Handler.
type HandlerFunc func(ctx context.Context, r *Request) (string, error)

// Serve calls f.
func (f HandlerFunc) Serve(ctx context.Context, r *Request) (string, error) { return f(ctx, r) }

// Verb describes one command of the language.
type Verb struct {
	Name    string   // 签约
	Aliases []string // sign
	Access  Access
	Usage   string // 签约 <项目> <金额> [日期]
	Example string // 签约 诺比侃 51亿 12月20日
	Brief   string // one line for the command list
	Handler Handler
	// Creates is the kind of record whose ID the command allocates (the
	// one every run allocates, when it allocates several); "" when none. Transports reserve that ID
	// in the round trip that claims the message (Mux.Plan).
	Creates zsbot.Kind
	// Subject is the kind of record the command's first word names (a
	// project, a task, a coordination item); "" for none. Transports read
	// that record in the round trip that claims the message (Mux.Plan).
	Subject zsbot.Kind
}

// Config is what the handlers need for every message; the store and
// outbox come with each message (Request.Tx).
type Config struct {
	Admins []string // bootstrap admins' userids (ZSBOT_ADMINS)
	Loc    *time.Location
	Log    *slog.Logger
	// NoSend refuses 通报 发送, for a transport whose outbox no one drains.
	NoSend bool
	// SaveExport keeps 导出's files (storage.SaveIn of
	// ZSBOT_DATA_DIR/exports); nil refuses 导出.
	SaveExport SaveFile
	// Notices are the scheduled notices that 通报 renders and 群 names
	// (jobs.Notices), in schedule order; none leaves 通报 with nothing to
	// show.
	Notices []Notice
	// Workbook encodes the sheets of 导出's Excel file (xlsx.Encode); nil
	// refuses 导出 xlsx, which then suggests 导出 json.
	Workbook Workbook
	// WeCom is the WeCom app (a *wecomapi.Client) for 群 创建, 群 成员 and
	// 导出 to a phone; nil when there is none (the console).
	WeCom WeComApp
	// DeadLetters lists the messages WeCom refused for good, for 通报 失败
	// (storage.Outbox); nil answers that nothing is sent here.
	DeadLetters zsbot.DeadLetters
}

// Mux routes messages to verbs. It implements zsbot.Responder.
type Mux struct {
	cfg    Config
	verbs  []*Verb
	byName map[string]*Verb
	known  []string // every name and alias, lower-cased, for parse.Verb
	// Observe, when set, is told the outcome of every command (for metrics).
	Observe func(verb, outcome string, d time.Duration)
	names   nameCache // the index of the store's names (nameindex.go)
}

var (
	_ zsbot.Responder = (*Mux)(nil)
	_ zsbot.Planner   = (*Mux)(nil)
)

// Handle registers a verb. Registering a name twice panics.
func (m *Mux) Handle(v *Verb) {
	if m.byName == nil {
		m.byName = map[string]*Verb{}
	}
	for _, n := range append([]string{v.Name}, v.Aliases...) {
		k := strings.ToLower(n)
		if m.byName[k] != nil {
			panic("handlers: verb registered twice: " + n)
		}
		m.byName[k] = v
		m.known = append(m.known, k)
	}
	m.verbs = append(m.verbs, v)
}

// Lookup returns the verb named name (or an alias of it), or nil.
func (m *Mux) Lookup(name string) *Verb { return m.byName[strings.ToLower(name)] }

// Verbs returns the registered verbs in registration order.
func (m *Mux) Verbs() []*Verb { return m.verbs }

// Plan returns what the command in text will most likely do, as its verb
// declares and the text alone tells: the kind of ID it allocates
// (Verb.Creates), the record it reads first (reads), and whether it
// writes nothing (Writes). The hints are
// proven against what the handlers do (TestPlan).
func (m *Mux) Plan(text string) zsbot.Plan {
	verb, rest := parse.Verb(parse.Normalize(text), m.known...)
	v := m.Lookup(verb)
	if v == nil {
		return zsbot.Plan{ReadOnly: !m.Writes(text)}
	}
	p := zsbot.Plan{Reserve: v.Creates, ReadOnly: !m.Writes(text)}
	p.Read, p.ReadID = m.reads(v, rest)
	return p
}

// reads returns the record a command of v with arguments rest reads
// first, as far as the text alone and the names last seen tell: the
// record its first word names by ID, or the one project it names exactly
// (by name, by match key, or by its company's name). "" when the verb
// names no record or the word is not that plain: a wrong or stale guess
// costs one field read, and the command reads what it needs.
func (m *Mux) reads(v *Verb, rest string) (zsbot.Kind, string) {
	if v.Subject == "" {
		return "", ""
	}
	words, _ := parse.Split(rest)
	if len(words) == 0 {
		return "", ""
	}
	w := words[0]
	if kind, _, ok := parse.ParseID(w); ok {
		if string(kind) == v.Subject.IDPrefix() {
			return v.Subject, strings.ToUpper(parse.Normalize(w))
		}
		return "", ""
	}
	if v.Subject != zsbot.KindProject {
		return "", ""
	}
	if id := m.names.latest().plainProject(w); id != "" {
		return zsbot.KindProject, id
	}
	return "", ""
}

// VerbOf returns the name of the verb the command in text names, or ""
// for none. A transport routes answers by it (the 智能机器人 sends 我的,
// asked in a group, one-to-one).
func (m *Mux) VerbOf(text string) string {
	verb, _ := parse.Verb(parse.Normalize(text), m.known...)
	if v := m.Lookup(verb); v != nil {
		return v.Name
	}
	return ""
}

// Writes reports whether the command in text may write to the store:
// false only for a verb anyone or any member may use (帮助 查 我的 统计
// 历史), which reads. Text naming no verb — a typo, a number picking from
// a list — counts as a write. A transport asks it when Redis refuses
// writes: a command that writes nothing can run without its once-only
// record, since running it twice changes nothing.
func (m *Mux) Writes(text string) bool {
	text = parse.Normalize(text)
	verb, _ := parse.Verb(text, m.known...)
	v := m.Lookup(verb)
	if v == nil && text == "?" {
		v = m.Lookup("帮助")
	}
	return v == nil || v.Access > Member
}

// Respond answers one message. It never panics: a panic in a handler becomes
// a generic reply and one log line.
func (m *Mux) Respond(ctx context.Context, tx zsbot.Tx, msg *zsbot.Message) (reply string, err error) {
	start := time.Now()
	verbName, outcome := "", "ok"
	defer func() {
		if p := recover(); p != nil {
			m.cfg.Log.Error("handler panic", "verb", verbName, "from", msg.From, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			reply, err, outcome = zsbot.ErrorMessage(fmt.Errorf("panic")), nil, "panic"
		}
		if m.Observe != nil {
			m.Observe(verbName, outcome, time.Since(start))
		}
	}()
	reply, verbName, err = m.respond(ctx, tx, msg)
	if err != nil {
		code := zsbot.ErrorCode(err)
		outcome = code
		if code == zsbot.EUNAVAILABLE {
			m.cfg.Log.Warn("storage unavailable", "verb", verbName, "err", err)
			return "", err
		}
		if code == zsbot.EINTERNAL {
			m.cfg.Log.Error("command failed", "verb", verbName, "from", msg.From, "err", err)
		}
		return Fit(zsbot.ErrorMessage(err)), nil
	}
	return Fit(reply), nil
}

func (m *Mux) respond(ctx context.Context, tx zsbot.Tx, msg *zsbot.Message) (reply, verbName string, err error) {
	text := parse.Normalize(msg.Text)
	sender, pick, err := tx.Session(ctx, msg.From)
	if err != nil {
		return "", "", err
	}
	sender = m.bootstrap(msg.From, sender)
	ans, err := m.answerPick(ctx, tx, msg, text, pick) // "2", "第2个", "确认" (confirm.go)
	if err != nil || ans.reply != "" {
		return ans.reply, "", err
	}
	msg, text = ans.msg, dropFillers(parse.Normalize(ans.msg.Text))
	text = rephrase(text, m.known) // "今天接待了…", "考察…", "诺比侃签了"
	if text == "" {
		return "", "", zsbot.Errorf(zsbot.EINVALID, "请发送一条指令，例如：查 诺比侃。发送「帮助」查看全部指令。")
	}
	verb, args := parse.Verb(text, m.known...) // "签约诺比侃 51亿", "完成T12" too
	if first, _ := parse.Cut(text); first != verb && !strings.EqualFold(first, verb) {
		args = strings.TrimLeft(args, ":了") // "签约:诺比侃", "拜访了诺比侃"
	}
	v := m.Lookup(verb)
	if v == nil {
		if moved := dateFirst(text, m.known); moved != "" { // "昨天拜访比亚迪"
			verb, args = parse.Verb(moved, m.known...)
			v = m.Lookup(verb)
		}
	}
	if v == nil && text == "?" {
		v = m.Lookup("帮助")
	}
	if v == nil {
		reply, err := m.unknownVerb(ctx, tx, msg.From, text, verb)
		return reply, "", err
	}
	if err := m.allowed(v, sender, msg.From); err != nil {
		return "", v.Name, err
	}
	r := &Request{Message: msg, Tx: tx, Sender: sender, Verb: v.Name, Args: args, Now: msg.At.In(m.cfg.Loc), Confirmed: ans.confirmed, named: ans.named}
	r.Today = zsbot.DateOf(r.Now)
	r.Words, r.Opts = parse.Split(args)
	reply, err = v.Handler.Serve(ctx, r)
	switch e := err.(type) {
	case *ambiguous:
		reply, err = holdPick(ctx, tx, msg.From, &zsbot.Pick{Raw: text, Word: e.word, IDs: e.ids}, e.list())
	case *confirmation:
		reply, err = holdPick(ctx, tx, msg.From, &zsbot.Pick{Raw: text, Confirm: true}, e.question)
	case *nearMatch:
		reply, err = holdPick(ctx, tx, msg.From, e.pick(text), e.question())
	}
	return reply, v.Name, err
}

// bootstrap treats the ZSBOT_ADMINS userids as admins whatever role they
// are registered with (an unregistered one as an active admin); a
// disabled one stays disabled.
func (m *Mux) bootstrap(userID string, p *zsbot.Person) *zsbot.Person {
	if !m.configAdmin(userID) {
		return p
	}
	if p == nil {
		return &zsbot.Person{UserID: userID, Name: userID, Role: zsbot.RoleAdmin, Active: true}
	}
	admin := *p
	admin.Role = zsbot.RoleAdmin
	return &admin
}

// configAdmin reports whether userID is one of ZSBOT_ADMINS.
func (m *Mux) configAdmin(userID string) bool {
	for _, a := range m.cfg.Admins {
		if a == userID {
			return true
		}
	}
	return false
}

func (m *Mux) allowed(v *Verb, p *zsbot.Person, userID string) error {
	switch {
	case v.Access == Anyone:
		return nil
	case p == nil:
		return zsbot.Errorf(zsbot.EFORBIDDEN, "您还不是登记用户（您的userid：%s）。请把这个userid发给管理员登记；现在只能使用「帮助」。", userID)
	case !p.Active:
		return zsbot.Errorf(zsbot.EFORBIDDEN, "您的账号已停用（userid：%s），请联系管理员。", userID)
	case v.Access == Leader && !p.IsLeader():
		return zsbot.Errorf(zsbot.EFORBIDDEN, "「%s」只限领导和管理员使用。", v.Name)
	case v.Access == Admin && !p.IsAdmin():
		return zsbot.Errorf(zsbot.EFORBIDDEN, "「%s」只限管理员使用。", v.Name)
	}
	return nil
}

// change starts the Change of a write command, with its audit entry.
func (r *Request) change(summary, project string) *zsbot.Change {
	return &zsbot.Change{Audit: zsbot.Audit{Who: r.From, When: r.At, Raw: r.Text, Summary: summary, Project: project,
		Chat: r.Chat, ChatType: r.ChatType}}
}
