package zsbot

import (
	"strings"
	"time"
)

// Stage is where a project is in the pipeline 在谈 → 签约 → 开工 → 投产, or 终止.
type Stage string

// The stages of a project.
const (
	StageTalking   Stage = "在谈"
	StageSigned    Stage = "签约"
	StageStarted   Stage = "开工"
	StageOperating Stage = "投产"
	StageDropped   Stage = "终止"
)

// Project is one investment project followed by the bureau.
type Project struct {
	ID          string `json:"id"` // "P12"
	Name        string `json:"name"`
	Company     string `json:"company"` // the company's ID ("E3"), "" when unknown
	Industry    string `json:"industry,omitempty"`
	Park        string `json:"park,omitempty"`
	Owner       string `json:"owner"` // userid of the responsible officer
	OutOfCity   bool   `json:"out_of_city"`
	Source      string `json:"source,omitempty"` // 驻点/产业链/以商招商/基金招商
	Planned     Money  `json:"planned_wan"`
	Signed      Money  `json:"signed_wan"` // agreed amount at the first signing
	Amount      Money  `json:"amount_wan"` // agreed amount: Signed plus every 增资
	Funds       Money  `json:"funds_wan"`  // sum of payments
	Stage       Stage  `json:"stage"`
	CreatedOn   Date   `json:"created_on"`
	SignedOn    Date   `json:"signed_on"`
	StartedOn   Date   `json:"started_on"`
	OperatingOn Date   `json:"operating_on"`
	DroppedOn   Date   `json:"dropped_on"`
	DropReason  string `json:"drop_reason,omitempty"`
	FollowedOn  Date   `json:"followed_on"` // last follow-up (any activity or note)
}

// Company is an enterprise (企业/客商) the bureau deals with.
type Company struct {
	ID      string   `json:"id"` // "E3"
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"` // 简称
	Region  string   `json:"region,omitempty"`  // 长三角/珠三角/京津冀/成渝/…
	Tags    []string `json:"tags,omitempty"`    // 500强, 跨国公司, 上市企业, 行业龙头, 隐形冠军
}

// ActivityKind is the kind of an activity.
type ActivityKind string

// The kinds of activity.
const (
	KindVisit     ActivityKind = "拜访"
	KindReception ActivityKind = "接待"
	KindPromotion ActivityKind = "推介"
	KindTalk      ActivityKind = "洽谈"
	KindReview    ActivityKind = "研判"
)

// Activity is a visit, reception, promotion event, negotiation note or joint
// assessment.
type Activity struct {
	ID        string       `json:"id"` // "A12"
	Kind      ActivityKind `json:"kind"`
	Date      Date         `json:"date"`
	Company   string       `json:"company,omitempty"` // company ID
	Project   string       `json:"project,omitempty"` // project ID
	City      string       `json:"city,omitempty"`
	Headcount int          `json:"headcount,omitempty"`
	Note      string       `json:"note,omitempty"`
	By        string       `json:"by"`             // userid of the officer who recorded it
	Chat      string       `json:"chat,omitempty"` // the group chat it was typed in (chatid); "" one-to-one
}

// Payment is funds put in place (资金到位) for a project on a date.
type Payment struct {
	ID      string `json:"id"` // "F12"
	Project string `json:"project"`
	Date    Date   `json:"date"`
	Amount  Money  `json:"amount_wan"`
	By      string `json:"by"`
}

// Increase is an 增资: an addition to a signed project's agreed amount.
type Increase struct {
	ID      string `json:"id"` // "Z3"
	Project string `json:"project"`
	Date    Date   `json:"date"`
	Amount  Money  `json:"amount_wan"`
	By      string `json:"by"`
}

// Task is one line of a project's 任务书: text, due date, responsible officer.
type Task struct {
	ID        string `json:"id"` // "T12"
	Project   string `json:"project"`
	Text      string `json:"text"`
	Due       Date   `json:"due"`
	Assignee  string `json:"assignee"` // userid
	CreatedOn Date   `json:"created_on"`
	DoneOn    Date   `json:"done_on"`
	By        string `json:"by"`
}

// Overdue reports whether t is open and past due on day today.
func (t *Task) Overdue(today Date) bool { return t.DoneOn.IsZero() && t.Due < today }

// Item is a coordination item (协调事项) that needs the district's help.
type Item struct {
	ID         string `json:"id"` // "C7"
	Project    string `json:"project"`
	Text       string `json:"text"`
	OpenedOn   Date   `json:"opened_on"`
	ResolvedOn Date   `json:"resolved_on"`
	Resolution string `json:"resolution,omitempty"`
	By         string `json:"by"`
}

// Target is one of the year's goals. Value is a count, an amount in 万元, or
// a percentage, as the metric says.
type Target struct {
	Year   int    `json:"year"`
	Metric string `json:"metric"`
	Value  int64  `json:"value"`
}

// Role is what a person may do.
type Role string

// The roles.
const (
	RoleOfficer Role = "招商员"
	RoleLeader  Role = "领导"
	RoleAdmin   Role = "管理员"
)

// Person is a registered user, keyed by WeCom userid.
type Person struct {
	UserID string `json:"userid"`
	Name   string `json:"name"`
	Park   string `json:"park"` // park or section
	Role   Role   `json:"role"`
	Active bool   `json:"active"`
}

// ValidUserID reports whether s has the shape of a WeCom userid: 1 to 64
// letters, digits, and _ . - @. Only such an id is written into a
// <@userid> mention.
func ValidUserID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-' || c == '@') {
			return false
		}
	}
	return true
}

// CanWrite reports whether p may record activities and projects.
func (p *Person) CanWrite() bool { return p != nil && p.Active }

// IsAdmin reports whether p is an active admin.
func (p *Person) IsAdmin() bool { return p != nil && p.Active && p.Role == RoleAdmin }

// IsLeader reports whether p is an active leader or admin.
func (p *Person) IsLeader() bool {
	return p != nil && p.Active && (p.Role == RoleLeader || p.Role == RoleAdmin)
}

// Park is one of the bureau's parks (园区), the closed list every park
// typed resolves to, by its name or a short name.
type Park struct {
	Name  string   `json:"name"`            // 双福园区
	Short []string `json:"short,omitempty"` // 双福
}

// Group is a chat that receives notices.
type Group struct {
	Name      string   `json:"name"`
	RobotKey  string   `json:"robot_key,omitempty"` // group robot webhook key
	ChatID    string   `json:"chat_id,omitempty"`   // app group chat id
	BotChat   string   `json:"bot_chat,omitempty"`  // the 智能机器人's chatid of the group, bound by 群 绑定
	Scope     string   `json:"scope"`               // ScopeAll or a park name
	Notices   []string `json:"notices"`             // notice names it takes
	CreatedBy string   `json:"created_by,omitempty"`
}

// Masked returns a copy of g whose robot key is masked (MaskKey): the form
// kept in the audit trail, shown in replies and exported. The group record
// alone holds the key.
func (g *Group) Masked() *Group {
	m := *g
	if m.RobotKey != "" && !IsMaskedKey(m.RobotKey) {
		m.RobotKey = MaskKey(m.RobotKey)
	}
	return &m
}

// MaskKey shows a secret (a robot key) by its first and last four
// characters only: "693a****5aaa".
func MaskKey(k string) string {
	if len(k) <= 8 {
		return "****"
	}
	return k[:4] + "****" + k[len(k)-4:]
}

// IsMaskedKey reports whether k is a masked key: a real robot key has only
// letters, digits and '-', never '*'.
func IsMaskedKey(k string) bool { return strings.Contains(k, "****") }

// ScopeAll is the scope of a group that covers the whole bureau.
const ScopeAll = "全区"

// Audit is one entry of the append-only audit trail: who changed what, when,
// from which message, with every record before and after.
type Audit struct {
	ID      string    `json:"id,omitempty"` // stream id, set by storage
	Who     string    `json:"who"`
	When    time.Time `json:"when"`
	Raw     string    `json:"raw"`
	Summary string    `json:"summary"`
	Project string    `json:"project,omitempty"` // the project it concerns, for 历史
	Undoes  string    `json:"undoes,omitempty"`  // the entry this one reverts
	// Chat and ChatType are the group chat the message came from and its
	// kind (Message.Chat, ChatType); "" one-to-one.
	Chat     string `json:"chat,omitempty"`
	ChatType string `json:"chat_type,omitempty"`
	Changes  []Diff `json:"changes"`
}

// Diff is one record before and after a change, as stored (JSON). An empty
// Before means the record was created; an empty After means it was removed.
type Diff struct {
	Kind   Kind   `json:"kind"`
	ID     string `json:"id"`
	Before []byte `json:"before,omitempty"`
	After  []byte `json:"after,omitempty"`
}

// KeepText shows how long the audit trail is kept as officers read it:
// "400天", or "36h0m0s" when it is not whole days.
func KeepText(keep time.Duration) string {
	if keep%(24*time.Hour) == 0 {
		return itoa(int(keep/(24*time.Hour))) + "天"
	}
	return keep.String()
}
