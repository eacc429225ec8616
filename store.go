package zsbot

import (
	"context"
	"errors"
	"reflect"
	"time"
)

// Kind names a kind of record; it is also the ID prefix where there is one.
type Kind string

// The kinds of record.
const (
	KindProject  Kind = "project"  // P12
	KindCompany  Kind = "company"  // E3
	KindActivity Kind = "activity" // A7
	KindPayment  Kind = "payment"  // F4
	KindIncrease Kind = "increase" // Z2
	KindTask     Kind = "task"     // T12
	KindItem     Kind = "item"     // C7
	KindTarget   Kind = "target"   // 2025/签约项目
	KindPerson   Kind = "person"   // userid
	KindGroup    Kind = "group"    // group name
	KindPark     Kind = "park"     // park name
)

// IDPrefix returns the letter that starts IDs of kind k ("" for kinds keyed
// by name).
func (k Kind) IDPrefix() string {
	switch k {
	case KindProject:
		return "P"
	case KindCompany:
		return "E"
	case KindActivity:
		return "A"
	case KindPayment:
		return "F"
	case KindIncrease:
		return "Z"
	case KindTask:
		return "T"
	case KindItem:
		return "C"
	}
	return ""
}

// Record is anything the store keeps: *Project, *Company, *Activity,
// *Payment, *Increase, *Task, *Item, *Target, *Person, *Group, *Park.
type Record interface {
	RecordKind() Kind
	RecordID() string
}

func (*Project) RecordKind() Kind  { return KindProject }
func (*Company) RecordKind() Kind  { return KindCompany }
func (*Activity) RecordKind() Kind { return KindActivity }
func (*Payment) RecordKind() Kind  { return KindPayment }
func (*Increase) RecordKind() Kind { return KindIncrease }
func (*Task) RecordKind() Kind     { return KindTask }
func (*Item) RecordKind() Kind     { return KindItem }
func (*Target) RecordKind() Kind   { return KindTarget }
func (*Person) RecordKind() Kind   { return KindPerson }
func (*Group) RecordKind() Kind    { return KindGroup }
func (*Park) RecordKind() Kind     { return KindPark }

func (p *Project) RecordID() string  { return p.ID }
func (c *Company) RecordID() string  { return c.ID }
func (a *Activity) RecordID() string { return a.ID }
func (p *Payment) RecordID() string  { return p.ID }
func (z *Increase) RecordID() string { return z.ID }
func (t *Task) RecordID() string     { return t.ID }
func (i *Item) RecordID() string     { return i.ID }
func (t *Target) RecordID() string   { return TargetID(t.Year, t.Metric) }
func (p *Person) RecordID() string   { return p.UserID }
func (g *Group) RecordID() string    { return g.Name }
func (p *Park) RecordID() string     { return p.Name }

// NewRecord returns an empty record of kind, ready to decode into, or nil
// for an unknown kind.
func NewRecord(kind Kind) Record {
	switch kind {
	case KindProject:
		return &Project{}
	case KindCompany:
		return &Company{}
	case KindActivity:
		return &Activity{}
	case KindPayment:
		return &Payment{}
	case KindIncrease:
		return &Increase{}
	case KindTask:
		return &Task{}
	case KindItem:
		return &Item{}
	case KindTarget:
		return &Target{}
	case KindPerson:
		return &Person{}
	case KindGroup:
		return &Group{}
	case KindPark:
		return &Park{}
	}
	return nil
}

// TargetID is the record ID of a year's target for a metric.
func TargetID(year int, metric string) string {
	return itoa(year) + "/" + metric
}

// Change is everything one command writes. Storage applies it atomically:
// either every record and index and the audit entry are written, or nothing.
type Change struct {
	// Puts are the records to create or replace. Before is the record as the
	// handler read it (nil for a new record); storage refuses the change with
	// ECONFLICT if the stored record is no longer equal to Before.
	Puts []Put
	// Audit is the audit entry; its Changes are filled in by storage.
	Audit Audit
	// UndoOf, when set, is the ID of the audit entry this change reverts; it
	// is taken off its author's undo stack in the same transaction.
	UndoOf string
}

// Put is one record before and after the change. A nil After removes it.
type Put struct {
	Before Record
	After  Record
}

// Add appends a put of after over before (nil for a new record).
// A typed nil record ((*Project)(nil)) counts as none.
func (c *Change) Add(before, after Record) {
	c.Puts = append(c.Puts, Put{Before: orNil(before), After: orNil(after)})
}

func orNil(r Record) Record {
	if r == nil {
		return nil
	}
	if v := reflect.ValueOf(r); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil
	}
	return r
}

// NameRef is the compact form of a project or company used to resolve the
// names officers type.
type NameRef struct {
	ID      string
	Name    string
	Aliases []string // short names (companies)
	Company string   // the company's ID (projects)
	Stage   Stage    // projects only
}

// Pick is a pending numbered choice: the message whose Word matched several
// records, and their IDs in the order they were listed. With Confirm it is
// a held command instead: Raw, to be run once as it stands when the sender
// confirms it. Prompt is the question or list the sender was shown, shown
// again when a reply picks nothing it offered.
type Pick struct {
	Raw     string   `json:"raw"`
	Word    string   `json:"word"`
	IDs     []string `json:"ids"`
	Confirm bool     `json:"confirm,omitempty"`
	Prompt  string   `json:"prompt,omitempty"`
	// New, when set, makes the choice a near-match question: Word is a new
	// company's name close to the records of IDs, and the answer 新建 runs
	// Raw creating it.
	New string `json:"new,omitempty"`
}

// PickTTL is how long a numbered choice stays open.
const PickTTL = 10 * time.Minute

// Store is the bureau's record. Implementations must be safe for concurrent
// use. Reads of a missing record return an *Error with code ENOTFOUND.
type Store interface {
	// NextID allocates the next ID of kind ("P13").
	NextID(ctx context.Context, kind Kind) (string, error)
	// Apply writes c atomically and appends its audit entry, returning the
	// entry's ID. ECONFLICT when a Before no longer matches what is stored.
	Apply(ctx context.Context, c *Change) (string, error)

	// Session returns the sender (nil when not registered) and takes their
	// pending numbered choice (nil when none), in one round trip.
	Session(ctx context.Context, userID string) (*Person, *Pick, error)
	// SavePick keeps a pending numbered choice for ten minutes.
	SavePick(ctx context.Context, userID string, p *Pick) error

	Person(ctx context.Context, userID string) (*Person, error)
	People(ctx context.Context) ([]*Person, error)
	Project(ctx context.Context, id string) (*Project, error)
	// Projects returns the projects with the given IDs, skipping missing ones.
	Projects(ctx context.Context, ids []string) ([]*Project, error)
	Company(ctx context.Context, id string) (*Company, error)
	Task(ctx context.Context, id string) (*Task, error)
	Item(ctx context.Context, id string) (*Item, error)
	// Activity, Payment and Increase return a record by ID (ENOTFOUND when
	// there is none).
	Activity(ctx context.Context, id string) (*Activity, error)
	Payment(ctx context.Context, id string) (*Payment, error)
	Increase(ctx context.Context, id string) (*Increase, error)
	Group(ctx context.Context, name string) (*Group, error)
	Groups(ctx context.Context) ([]*Group, error)
	// Parks returns the bureau's list of parks (empty when none is kept).
	Parks(ctx context.Context) ([]*Park, error)
	Targets(ctx context.Context, year int) ([]*Target, error)

	// Names returns every project and company in the compact form used to
	// resolve names, in one round trip.
	Names(ctx context.Context) (projects, companies []NameRef, err error)

	// ProjectActivities returns a project's latest n activities, newest first.
	ProjectActivities(ctx context.Context, project string, n int) ([]*Activity, error)
	// ProjectTasks and ProjectItems return a project's tasks and items.
	ProjectTasks(ctx context.Context, project string) ([]*Task, error)
	// ProjectPayments returns a project's payments by date.
	ProjectPayments(ctx context.Context, project string) ([]*Payment, error)
	// ProjectIncreases returns a project's 增资 by date.
	ProjectIncreases(ctx context.Context, project string) ([]*Increase, error)
	ProjectItems(ctx context.Context, project string) ([]*Item, error)
	// CompanyActivities returns a company's activities by date.
	CompanyActivities(ctx context.Context, company string) ([]*Activity, error)
	// OwnedProjects returns the projects whose owner is userID.
	OwnedProjects(ctx context.Context, userID string) ([]*Project, error)
	// OwnedPage counts userID's projects, in all and in each of stages,
	// and returns those at positions [from, to) of them listed stage by
	// stage in the order of stages, oldest first within a stage. It reads
	// the records it returns and counts the others.
	OwnedPage(ctx context.Context, userID string, stages []Stage, from, to int) (*Owned, error)
	// ProjectOpenTasks returns a project's open tasks by due date, and
	// ProjectOpenItems its open coordination items by opening date: what a
	// project's card lists, whatever it closed before.
	ProjectOpenTasks(ctx context.Context, project string) ([]*Task, error)
	ProjectOpenItems(ctx context.Context, project string) ([]*Item, error)
	// CompanyContacts counts the visits and receptions that name company
	// or one of projects (each once) and finds the latest date of any
	// activity among them, without reading them.
	CompanyContacts(ctx context.Context, company string, projects []string) (*Contacts, error)
	// OpenTasks returns open tasks due on or before until, by due date; an
	// empty assignee means everyone's.
	OpenTasks(ctx context.Context, assignee string, until Date) ([]*Task, error)
	// OpenTasksPage counts assignee's open tasks due on or before until,
	// and those of them due before today, and returns those at positions
	// [from, to) of them by due date. It reads the tasks it returns only.
	OpenTasksPage(ctx context.Context, assignee string, until, today Date, from, to int) (*TaskPage, error)
	// OpenItems returns every open coordination item.
	OpenItems(ctx context.Context) ([]*Item, error)

	// Ledger returns the records whose dates fall in [from, to] by the date
	// indexes; its cost grows with the records in the period, not the history.
	Ledger(ctx context.Context, from, to Date) (*Ledger, error)

	// History returns a project's newest audit entries, at most n, with
	// the number kept in all.
	History(ctx context.Context, project string, n int) (*HistoryPage, error)
	// LastUndoable returns the sender's most recent write that is not yet
	// undone, or ENOTFOUND.
	LastUndoable(ctx context.Context, userID string) (*Audit, error)

	// Export returns every record of the bureau.
	Export(ctx context.Context) (*Dump, error)
}

// Tx is the unit of work of one inbound message: the store and the outbox
// its command reads and writes through. A transport begins it when it
// claims the message and commits it with the reply; a Store used outside
// a Tx (jobs, exports) writes at once. Inside a Tx:
//   - Apply holds the change and returns "" (handlers do not use the
//     audit ID); a change that undoes another (UndoOf) is written at once
//     and returns its ID, since its handler reads the undo stack after it.
//   - Enqueue holds the messages; nothing held is visible to others yet.
//   - A read after a held Apply first writes the held change, so that the
//     command reads its own writes.
//   - NextID may hand out the ID reserved when the Tx began, and reads of
//     the sender, the names and the record read ahead may be answered from
//     what the claim read; Names then leaves a live project's Stage blank
//     (only 终止 is told apart): read the project for more.
//
// Commit writes the held change, its audit entry (naming the delivery),
// the delivery's once-only record and the queued messages in one script:
// all or nothing. A change that no longer matches the store (ECONFLICT) is
// dropped with its messages, and the transport commits the reply that
// says so.
type Tx interface {
	Store
	Outbox
}

// Aggregator is a Store that keeps the figures' aggregates (aggregate.go):
// Aggregates reads what the figures of the periods need, with units the
// projects' owners and parks too, or returns ErrNoAggregates while they
// are not built (read the records then).
type Aggregator interface {
	Aggregates(ctx context.Context, units bool, periods ...[2]Date) (*AggData, error)
}

// ErrNoAggregates says the aggregates are not built yet.
var ErrNoAggregates = errors.New("zsbot: aggregates not built")

// Ledger is the records of one period, with the projects they refer to.
type Ledger struct {
	From, To   Date
	Projects   map[string]*Project // every project referred to below
	Signed     []string            // IDs of projects first signed in the period
	Started    []string            // IDs of projects started in the period
	Operating  []string            // IDs of projects operating from a day in the period
	Increases  []*Increase
	Payments   []*Payment
	Activities []*Activity
	TasksDone  []*Task // tasks closed in the period
}

// Owned is a page of an officer's projects (Store.OwnedPage).
type Owned struct {
	Total    int        // every project the officer owns
	ByStage  []int      // how many are in each stage asked, in its order
	Projects []*Project // the page
}

// TaskPage is a page of an officer's open tasks (Store.OpenTasksPage).
type TaskPage struct {
	Total int // open tasks due by the date asked
	Late  int // of them, due before today
	Tasks []*Task
}

// Contacts is what a company card says of a company's activities
// (Store.CompanyContacts).
type Contacts struct {
	Visits, Receptions int
	Last               Date // the latest activity's date; zero when none
}

// HistoryPage is a project's newest audit entries, newest first.
type HistoryPage struct {
	Entries []*Audit
	// Total counts the project's entries kept in Redis; archived ones are
	// not counted.
	Total int
	// Archived is how long entries are kept when older ones were archived
	// (ZSBOT_AUDIT_KEEP); 0 when none were.
	Archived time.Duration
}

// Dump is every record of a bureau, as exported.
type Dump struct {
	Projects   []*Project
	Companies  []*Company
	Activities []*Activity
	Payments   []*Payment
	Increases  []*Increase
	Tasks      []*Task
	Items      []*Item
	Targets    []*Target
	People     []*Person
	Groups     []*Group
}

// Clock returns the current time; handlers and jobs take one so that tests
// and `--now` can fix it.
type Clock func() time.Time
