package storage

import (
	"encoding/json"

	"zsbot"
)

// indexEntry is one member of a sorted-set index: the record's ID scored by
// a date. The indexes of a record are derived from its fields alone, so the
// store can compute what to add and remove from the record before and after
// a change (and an undo is just the change reversed).
type indexEntry struct {
	name  string
	score zsbot.Date
}

// The indexes' names (keys.index makes each a key). indexesOf writes the
// entries and the readers range over them, both through these.
func idxCreated() string                         { return "created" }   // projects by creation
func idxSigned() string                          { return "signed" }    // … by signing
func idxStarted() string                         { return "started" }   // … by start
func idxOperating() string                       { return "operating" } // … by operation
func idxDropped() string                         { return "dropped" }   // … by 终止
func idxOwner(userID string) string              { return "owner:" + userID }
func idxActivity() string                        { return "activity" }
func idxProjectActivities(project string) string { return "activity:p:" + project }
func idxCompanyActivities(company string) string { return "activity:c:" + company } // companyindex.go
func idxPayment() string                         { return "payment" }
func idxProjectPayments(project string) string   { return "payment:p:" + project }
func idxIncrease() string                        { return "increase" }
func idxProjectIncreases(project string) string  { return "increase:p:" + project }
func idxProjectTasks(project string) string      { return "task:p:" + project }
func idxOpenTasks() string                       { return "task:open" }        // by due date
func idxAssigneeTasks(userID string) string      { return "task:u:" + userID } // open, by due date
func idxDoneTasks() string                       { return "task:done" }        // by completion
func idxProjectItems(project string) string      { return "item:p:" + project }
func idxOpenItems() string                       { return "item:open" }

// idxTargets holds every target scored by its year: 统计 reads the year's,
// not every year's.
func idxTargets() string { return "target" }

// The indexes of lists (listindex.go): each bounds a list or a count to
// what 我的 and 查 show, not what the officer, project or company ever had.
func idxOwnerStage(userID string, s zsbot.Stage) string { // an officer's projects in a stage, by creation
	return "owner:s:" + stageCode(s) + ":" + userID
}
func idxProjectOpenTasks(project string) string { return "task:po:" + project } // open, by due date
func idxProjectOpenItems(project string) string { return "item:po:" + project } // open, by opening
func idxCompanyContacts(company, code string) string { // visits (v) or receptions (r) naming a company, by date
	return "activity:ck:" + code + ":" + company
}
func idxProjectContacts(project, code string) string { // … of a project
	return "activity:pk:" + code + ":" + project
}
func idxCompanyProjectContacts(company, project, code string) string { // … naming both
	return "activity:cpk:" + code + ":" + company + ":" + project
}

// stageCode names a stage in an index's name.
func stageCode(s zsbot.Stage) string {
	switch s {
	case zsbot.StageTalking:
		return "t"
	case zsbot.StageSigned:
		return "s"
	case zsbot.StageStarted:
		return "b"
	case zsbot.StageOperating:
		return "o"
	case zsbot.StageDropped:
		return "d"
	}
	return "x" + string(s)
}

// contactCode is the code of the activities a company card counts (拜访
// and 接待), "" for the others.
func contactCode(k zsbot.ActivityKind) string {
	switch k {
	case zsbot.KindVisit:
		return "v"
	case zsbot.KindReception:
		return "r"
	}
	return ""
}

// indexesOf lists the index entries of r (nil r has none).
func indexesOf(r zsbot.Record) []indexEntry {
	var out []indexEntry
	add := func(name string, d zsbot.Date) {
		if !d.IsZero() {
			out = append(out, indexEntry{name, d})
		}
	}
	switch r := r.(type) {
	case *zsbot.Project:
		if r == nil {
			return nil
		}
		add(idxCreated(), r.CreatedOn)
		add(idxSigned(), r.SignedOn)
		add(idxStarted(), r.StartedOn)
		add(idxOperating(), r.OperatingOn)
		add(idxDropped(), r.DroppedOn)
		add(idxOwner(r.Owner), r.CreatedOn)
		add(idxOwnerStage(r.Owner, r.Stage), r.CreatedOn)
	case *zsbot.Activity:
		if r == nil {
			return nil
		}
		add(idxActivity(), r.Date)
		if r.Project != "" {
			add(idxProjectActivities(r.Project), r.Date)
		}
		if r.Company != "" {
			add(idxCompanyActivities(r.Company), r.Date)
		}
		if code := contactCode(r.Kind); code != "" {
			if r.Company != "" {
				add(idxCompanyContacts(r.Company, code), r.Date)
			}
			if r.Project != "" {
				add(idxProjectContacts(r.Project, code), r.Date)
			}
			if r.Company != "" && r.Project != "" {
				add(idxCompanyProjectContacts(r.Company, r.Project, code), r.Date)
			}
		}
	case *zsbot.Payment:
		if r == nil {
			return nil
		}
		add(idxPayment(), r.Date)
		add(idxProjectPayments(r.Project), r.Date)
	case *zsbot.Increase:
		if r == nil {
			return nil
		}
		add(idxIncrease(), r.Date)
		add(idxProjectIncreases(r.Project), r.Date)
	case *zsbot.Task:
		if r == nil {
			return nil
		}
		add(idxProjectTasks(r.Project), r.Due)
		if r.DoneOn.IsZero() {
			add(idxOpenTasks(), r.Due)
			add(idxAssigneeTasks(r.Assignee), r.Due)
			add(idxProjectOpenTasks(r.Project), r.Due)
		} else {
			add(idxDoneTasks(), r.DoneOn)
		}
	case *zsbot.Target:
		if r == nil {
			return nil
		}
		add(idxTargets(), zsbot.Date(r.Year)) // scored by the year, not a date
	case *zsbot.Item:
		if r == nil {
			return nil
		}
		add(idxProjectItems(r.Project), r.OpenedOn)
		if r.ResolvedOn.IsZero() {
			add(idxOpenItems(), r.OpenedOn)
			add(idxProjectOpenItems(r.Project), r.OpenedOn)
		}
	}
	return out
}

// nameRefOf returns the compact name entry of a project or company, or nil
// for kinds that are not resolved by name.
func nameRefOf(r zsbot.Record) []byte {
	var ref *nameRef
	switch r := r.(type) {
	case *zsbot.Project:
		if r != nil {
			ref = &nameRef{Name: r.Name, Company: r.Company, Stage: r.Stage}
		}
	case *zsbot.Company:
		if r != nil {
			ref = &nameRef{Name: r.Name, Aliases: r.Aliases}
		}
	}
	if ref == nil {
		return nil
	}
	b, _ := json.Marshal(ref)
	return b
}

// nameRef is the stored form of zsbot.NameRef (the ID is the hash field).
type nameRef struct {
	Name    string      `json:"n"`
	Aliases []string    `json:"a,omitempty"`
	Company string      `json:"c,omitempty"`
	Stage   zsbot.Stage `json:"s,omitempty"`
}

// isNamed reports whether records of kind k have a names hash.
func isNamed(k zsbot.Kind) bool { return k == zsbot.KindProject || k == zsbot.KindCompany }
