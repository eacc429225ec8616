// Package config reads zsbot's configuration from environment variables
// into plain values. A bad value stops start-up with an error that names
// the variable. It imports nothing of zsbot: what only another package can
// judge (a Redis URL, the AES key, a notice's schedule) that package checks,
// when cmd/zsbot wires it.
package config

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is the whole configuration of one zsbot process.
type Config struct {
	RedisURL string // ZSBOT_REDIS_URL; empty = the embedded store
	// Redis holds the URL's companion variables (RedisVars); storage
	// checks the URL with them when it dials.
	Redis   Redis
	DataDir string   // ZSBOT_DATA_DIR: where the embedded store keeps its file
	Bureau  string   // ZSBOT_BUREAU: the tenant's name, part of every key
	Admins  []string // ZSBOT_ADMINS: bootstrap admins' WeCom userids
	// Parks is ZSBOT_PARKS: the parks that seed the closed list when the
	// store keeps none.
	Parks    []string
	HTTPAddr string // ZSBOT_HTTP_ADDR: the callback and /healthz
	// AdminAddr is ZSBOT_ADMIN_ADDR: /metrics and /readyz; "" = off.
	AdminAddr string
	MaxConns  int // ZSBOT_MAX_CONNS: open connections on HTTPAddr at most
	Location  *time.Location

	WeCom WeCom

	CallbackPath string // ZSBOT_CALLBACK_PATH
	ReplyTimeout time.Duration

	AIBot AIBot // the 智能机器人 callback (ZSBOT_AIBOT_*)

	// Schedules holds every ZSBOT_SCHEDULE_* variable that is set, by
	// its name, as written: the notices' registry (jobs) checks the names
	// and the cron specs.
	Schedules map[string]string
	Holidays  string // ZSBOT_HOLIDAYS: path of a holiday calendar file; "" = built in

	// AuditKeep is how long audit entries stay in Redis before they are
	// archived to files (ZSBOT_AUDIT_KEEP); 0 keeps them forever.
	AuditKeep time.Duration

	// Outbox is how the outbox gives up and how it shows notices
	// (outbox.go).
	Outbox Outbox
}

// WeCom is the self-built app's settings.
type WeCom struct {
	CorpID  string        // ZSBOT_WECOM_CORP_ID
	AgentID string        // ZSBOT_WECOM_AGENT_ID, an integer (Load checks it)
	Secret  string        // ZSBOT_WECOM_SECRET
	Token   string        // ZSBOT_WECOM_TOKEN
	AESKey  string        // ZSBOT_WECOM_AES_KEY (43 characters)
	APIBase string        // ZSBOT_WECOM_API_BASE
	MaxSkew time.Duration // ZSBOT_WECOM_MAX_SKEW; 0 = off
}

// AIBot is the 智能机器人's callback: its own path and secrets. Its
// crypto is the app's with an empty receive id, so it needs no corp id.
type AIBot struct {
	Path   string // ZSBOT_AIBOT_PATH, default /wecom/aibot
	Token  string // ZSBOT_AIBOT_TOKEN
	AESKey string // ZSBOT_AIBOT_AES_KEY (43 characters)
	// Name is the bot's display name (ZSBOT_AIBOT_NAME, default 招商助手):
	// its @mention is stripped wherever it stands in a message.
	Name string
}

// Configured reports whether the 智能机器人 callback is served: its token
// and AES key are both set.
func (a AIBot) Configured() bool { return a.Token != "" && a.AESKey != "" }

// Configured reports whether the callback can be served (token and key set).
func (w WeCom) Configured() bool { return w.Token != "" && w.AESKey != "" && w.CorpID != "" }

// CanSend reports whether app messages can be sent (corp id, agent, secret).
func (w WeCom) CanSend() bool { return w.CorpID != "" && w.AgentID != "" && w.Secret != "" }

// SchedulePrefix begins the name of every schedule variable:
// ZSBOT_SCHEDULE_HALF_MONTHLY.
const SchedulePrefix = "ZSBOT_SCHEDULE_"

// Load reads the configuration from environ, a list of "NAME=value" as
// os.Environ returns it.
func Load(environ []string) (*Config, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	getenv := func(name string) string { return vars[name] }
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := &Config{
		RedisURL:     get("ZSBOT_REDIS_URL", ""),
		DataDir:      get("ZSBOT_DATA_DIR", "./zsbot-data"),
		Bureau:       get("ZSBOT_BUREAU", "default"),
		HTTPAddr:     get("ZSBOT_HTTP_ADDR", ":8080"),
		CallbackPath: get("ZSBOT_CALLBACK_PATH", "/wecom/callback"),
		AIBot: AIBot{
			Path:   get("ZSBOT_AIBOT_PATH", "/wecom/aibot"),
			Token:  get("ZSBOT_AIBOT_TOKEN", ""),
			AESKey: get("ZSBOT_AIBOT_AES_KEY", ""),
			Name:   get("ZSBOT_AIBOT_NAME", "招商助手"),
		},
		Holidays:  get("ZSBOT_HOLIDAYS", ""),
		Schedules: map[string]string{},
		WeCom: WeCom{
			CorpID:  get("ZSBOT_WECOM_CORP_ID", ""),
			AgentID: get("ZSBOT_WECOM_AGENT_ID", ""),
			Secret:  get("ZSBOT_WECOM_SECRET", ""),
			Token:   get("ZSBOT_WECOM_TOKEN", ""),
			AESKey:  get("ZSBOT_WECOM_AES_KEY", ""),
			APIBase: strings.TrimRight(get("ZSBOT_WECOM_API_BASE", "https://qyapi.weixin.qq.com"), "/"),
		},
	}
	for _, a := range strings.Split(get("ZSBOT_ADMINS", ""), ",") {
		if a = strings.TrimSpace(a); a != "" {
			c.Admins = append(c.Admins, a)
		}
	}
	for _, p := range strings.FieldsFunc(get("ZSBOT_PARKS", ""), func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		p = strings.TrimSpace(p)
		switch {
		case p == "":
		case len([]rune(p)) > 20:
			return nil, fmt.Errorf("ZSBOT_PARKS: the park %q is longer than 20 characters", p)
		case slices.Contains(c.Parks, p):
			return nil, fmt.Errorf("ZSBOT_PARKS: %q is listed twice", p)
		default:
			c.Parks = append(c.Parks, p)
		}
	}
	var err error
	if c.Location, err = time.LoadLocation(get("ZSBOT_TZ", "Asia/Shanghai")); err != nil {
		return nil, fmt.Errorf("ZSBOT_TZ: %w", err)
	}
	if err := c.loadRedis(get); err != nil {
		return nil, err
	}
	if err := c.loadListen(get); err != nil {
		return nil, err
	}
	if err := checkBureau(c.Bureau); err != nil {
		return nil, fmt.Errorf("ZSBOT_BUREAU: %w", err)
	}
	if c.WeCom.MaxSkew, err = duration(get("ZSBOT_WECOM_MAX_SKEW", "5m")); err != nil {
		return nil, fmt.Errorf("ZSBOT_WECOM_MAX_SKEW: %w", err)
	}
	if c.ReplyTimeout, err = duration(get("ZSBOT_REPLY_TIMEOUT", "3s")); err != nil || c.ReplyTimeout <= 0 {
		return nil, fmt.Errorf("ZSBOT_REPLY_TIMEOUT: %q is not a positive duration such as 3s", get("ZSBOT_REPLY_TIMEOUT", ""))
	}
	if u, err := url.Parse(c.WeCom.APIBase); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ZSBOT_WECOM_API_BASE: %q is not an http(s) URL", c.WeCom.APIBase)
	}
	if a := c.WeCom.AgentID; a != "" {
		// WeCom's message/send takes agentid as an integer (int32 is ample).
		if _, err := strconv.ParseInt(a, 10, 32); err != nil || strings.Trim(a, "0123456789") != "" {
			return nil, fmt.Errorf("ZSBOT_WECOM_AGENT_ID: %q is not an integer such as 1000002 (the app's AgentId)", a)
		}
	}
	if err := c.checkAIBot(); err != nil {
		return nil, err
	}
	if c.AuditKeep, err = keep(get("ZSBOT_AUDIT_KEEP", "400d")); err != nil {
		return nil, fmt.Errorf("ZSBOT_AUDIT_KEEP: %w", err)
	}
	if err := c.loadOutbox(get); err != nil {
		return nil, err
	}
	for name := range vars {
		if strings.HasPrefix(name, SchedulePrefix) {
			c.Schedules[name] = get(name, "")
		}
	}
	return c, nil
}

func duration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 5m, 30s or 0", s)
	}
	return d, nil
}

// keep reads a retention: "400d" (days), a Go duration such as "720h", or
// "0" or "off" for forever (0).
func keep(s string) (time.Duration, error) {
	if s == "0" || strings.EqualFold(s, "off") {
		return 0, nil
	}
	bad := fmt.Errorf("%q is not a retention such as 400d, 720h, or off", s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 100*366 {
			return 0, bad
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, bad
	}
	return d, nil
}

// checkAIBot checks the 智能机器人's settings: both secrets or neither,
// and a path of its own that begins with "/".
func (c *Config) checkAIBot() error {
	a := c.AIBot
	if (a.Token == "") != (a.AESKey == "") {
		return fmt.Errorf("ZSBOT_AIBOT_TOKEN and ZSBOT_AIBOT_AES_KEY: set both for the 智能机器人, or neither")
	}
	if !strings.HasPrefix(a.Path, "/") || strings.ContainsAny(a.Path, " ?#") {
		return fmt.Errorf("ZSBOT_AIBOT_PATH: %q is not a path such as /wecom/aibot", a.Path)
	}
	if a.Configured() && a.Path == c.CallbackPath {
		return fmt.Errorf("ZSBOT_AIBOT_PATH: %q is ZSBOT_CALLBACK_PATH too; the 智能机器人 needs a path of its own", a.Path)
	}
	return nil
}
