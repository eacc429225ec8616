package storage

import (
	"context"

	"zsbot"
)

// settled runs read after writing u's held change, so that a command reads
// its own writes.
func settled[T any](ctx context.Context, u *Unit, read func() (T, error)) (T, error) {
	if err := u.settle(ctx); err != nil {
		var zero T
		return zero, err
	}
	return read()
}

// Projects returns the projects with the given IDs, skipping missing ones.
func (u *Unit) Projects(ctx context.Context, ids []string) ([]*zsbot.Project, error) {
	return settled(ctx, u, func() ([]*zsbot.Project, error) { return u.db.Projects(ctx, ids) })
}

// Groups returns every notice group.
func (u *Unit) Groups(ctx context.Context) ([]*zsbot.Group, error) {
	return settled(ctx, u, func() ([]*zsbot.Group, error) { return u.db.Groups(ctx) })
}

// Parks returns the bureau's list of parks.
func (u *Unit) Parks(ctx context.Context) ([]*zsbot.Park, error) {
	return settled(ctx, u, func() ([]*zsbot.Park, error) { return u.db.Parks(ctx) })
}

// Targets returns the targets of year.
func (u *Unit) Targets(ctx context.Context, year int) ([]*zsbot.Target, error) {
	return settled(ctx, u, func() ([]*zsbot.Target, error) { return u.db.Targets(ctx, year) })
}

// ProjectActivities returns a project's latest n activities, newest first.
func (u *Unit) ProjectActivities(ctx context.Context, project string, n int) ([]*zsbot.Activity, error) {
	return settled(ctx, u, func() ([]*zsbot.Activity, error) { return u.db.ProjectActivities(ctx, project, n) })
}

// ProjectTasks returns a project's tasks by due date.
func (u *Unit) ProjectTasks(ctx context.Context, project string) ([]*zsbot.Task, error) {
	return settled(ctx, u, func() ([]*zsbot.Task, error) { return u.db.ProjectTasks(ctx, project) })
}

// ProjectPayments returns a project's payments by date.
func (u *Unit) ProjectPayments(ctx context.Context, project string) ([]*zsbot.Payment, error) {
	return settled(ctx, u, func() ([]*zsbot.Payment, error) { return u.db.ProjectPayments(ctx, project) })
}

// ProjectItems returns a project's coordination items by opening date.
func (u *Unit) ProjectItems(ctx context.Context, project string) ([]*zsbot.Item, error) {
	return settled(ctx, u, func() ([]*zsbot.Item, error) { return u.db.ProjectItems(ctx, project) })
}

// CompanyActivities returns a company's activities by date.
func (u *Unit) CompanyActivities(ctx context.Context, company string) ([]*zsbot.Activity, error) {
	return settled(ctx, u, func() ([]*zsbot.Activity, error) { return u.db.CompanyActivities(ctx, company) })
}

// OwnedProjects returns the projects owned by userID, oldest first.
func (u *Unit) OwnedProjects(ctx context.Context, userID string) ([]*zsbot.Project, error) {
	return settled(ctx, u, func() ([]*zsbot.Project, error) { return u.db.OwnedProjects(ctx, userID) })
}

// OpenTasks returns open tasks due on or before until, by due date; an
// empty assignee means everyone's.
func (u *Unit) OpenTasks(ctx context.Context, assignee string, until zsbot.Date) ([]*zsbot.Task, error) {
	return settled(ctx, u, func() ([]*zsbot.Task, error) { return u.db.OpenTasks(ctx, assignee, until) })
}

// OpenItems returns every open coordination item, oldest first.
func (u *Unit) OpenItems(ctx context.Context) ([]*zsbot.Item, error) {
	return settled(ctx, u, func() ([]*zsbot.Item, error) { return u.db.OpenItems(ctx) })
}

// Ledger returns the records dated in [from, to], as DB.Ledger does.
func (u *Unit) Ledger(ctx context.Context, from, to zsbot.Date) (*zsbot.Ledger, error) {
	return settled(ctx, u, func() (*zsbot.Ledger, error) { return u.db.Ledger(ctx, from, to) })
}

// History returns a page of a project's audit entries, as DB.History
// does, once the unit's held change is written.
func (u *Unit) History(ctx context.Context, project string, n int) (*zsbot.HistoryPage, error) {
	return settled(ctx, u, func() (*zsbot.HistoryPage, error) { return u.db.History(ctx, project, n) })
}

// LastUndoable returns userID's most recent write not yet undone, or
// ENOTFOUND when there is none.
func (u *Unit) LastUndoable(ctx context.Context, userID string) (*zsbot.Audit, error) {
	return settled(ctx, u, func() (*zsbot.Audit, error) { return u.db.LastUndoable(ctx, userID) })
}

// Export returns every record of the bureau.
func (u *Unit) Export(ctx context.Context) (*zsbot.Dump, error) {
	return settled(ctx, u, func() (*zsbot.Dump, error) { return u.db.Export(ctx) })
}

// Aggregates reads the figures' aggregates of the periods (DB.Aggregates).
func (u *Unit) Aggregates(ctx context.Context, units bool, periods ...[2]zsbot.Date) (*zsbot.AggData, error) {
	return settled(ctx, u, func() (*zsbot.AggData, error) { return u.db.Aggregates(ctx, units, periods...) })
}

// ProjectIncreases returns a project's 增资 by date.
func (u *Unit) ProjectIncreases(ctx context.Context, project string) ([]*zsbot.Increase, error) {
	return settled(ctx, u, func() ([]*zsbot.Increase, error) { return u.db.ProjectIncreases(ctx, project) })
}

// OwnedPage counts userID's projects and reads a page of them by stage,
// as DB.OwnedPage does.
func (u *Unit) OwnedPage(ctx context.Context, userID string, stages []zsbot.Stage, from, to int) (*zsbot.Owned, error) {
	return settled(ctx, u, func() (*zsbot.Owned, error) { return u.db.OwnedPage(ctx, userID, stages, from, to) })
}

// ProjectOpenTasks returns a project's open tasks by due date.
func (u *Unit) ProjectOpenTasks(ctx context.Context, project string) ([]*zsbot.Task, error) {
	return settled(ctx, u, func() ([]*zsbot.Task, error) { return u.db.ProjectOpenTasks(ctx, project) })
}

// ProjectOpenItems returns a project's open coordination items by opening
// date.
func (u *Unit) ProjectOpenItems(ctx context.Context, project string) ([]*zsbot.Item, error) {
	return settled(ctx, u, func() ([]*zsbot.Item, error) { return u.db.ProjectOpenItems(ctx, project) })
}

// CompanyContacts counts a company's visits and receptions, as
// DB.CompanyContacts does.
func (u *Unit) CompanyContacts(ctx context.Context, company string, projects []string) (*zsbot.Contacts, error) {
	return settled(ctx, u, func() (*zsbot.Contacts, error) { return u.db.CompanyContacts(ctx, company, projects) })
}

// OpenTasksPage counts assignee's open tasks and reads a page of them, as
// DB.OpenTasksPage does.
func (u *Unit) OpenTasksPage(ctx context.Context, assignee string, until, today zsbot.Date, from, to int) (*zsbot.TaskPage, error) {
	return settled(ctx, u, func() (*zsbot.TaskPage, error) { return u.db.OpenTasksPage(ctx, assignee, until, today, from, to) })
}
