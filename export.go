package zsbot

import (
	"encoding/json"
	"io"
)

// The JSON export's shape (SPEC §6): keys in English, values as stored,
// dates YYYY-MM-DD ("" when absent), money as integer 万元, companies by name.
type (
	exportDoc struct {
		Projects   []exportProject  `json:"projects"`
		Companies  []exportCompany  `json:"companies"`
		Activities []exportActivity `json:"activities"`
		Payments   []exportPayment  `json:"payments"`
		Tasks      []exportTask     `json:"tasks"`
		Items      []exportItem     `json:"items"`
		Targets    []*Target        `json:"targets"`
		People     []*Person        `json:"people"`
		Groups     []exportGroup    `json:"groups"`
	}
	exportProject struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Company     string `json:"company"`
		Industry    string `json:"industry"`
		Park        string `json:"park"`
		Owner       string `json:"owner"`
		OutOfCity   bool   `json:"out_of_city"`
		Stage       Stage  `json:"stage"`
		Planned     Money  `json:"planned_wan"`
		Amount      Money  `json:"amount_wan"`
		SignedOn    Date   `json:"signed_on"`
		StartedOn   Date   `json:"started_on"`
		OperatingOn Date   `json:"operating_on"`
		DroppedOn   Date   `json:"dropped_on"`
		Funds       Money  `json:"funds_wan"`
	}
	exportCompany struct {
		ID      string   `json:"id"`
		Name    string   `json:"name"`
		Aliases []string `json:"aliases"`
		Region  string   `json:"region"`
		Tags    []string `json:"tags"`
	}
	exportActivity struct {
		ID        string       `json:"id"`
		Kind      ActivityKind `json:"kind"`
		Date      Date         `json:"date"`
		Company   string       `json:"company"`
		Project   string       `json:"project"`
		City      string       `json:"city"`
		Headcount int          `json:"headcount"`
		Note      string       `json:"note"`
		By        string       `json:"by"`
	}
	exportPayment struct {
		Project string `json:"project"`
		Date    Date   `json:"date"`
		Amount  Money  `json:"amount_wan"`
		By      string `json:"by"`
	}
	exportTask struct {
		ID       string `json:"id"`
		Project  string `json:"project"`
		Text     string `json:"text"`
		Due      Date   `json:"due"`
		Assignee string `json:"assignee"`
		DoneOn   Date   `json:"done_on"`
	}
	exportItem struct {
		ID         string `json:"id"`
		Project    string `json:"project"`
		Text       string `json:"text"`
		OpenedOn   Date   `json:"opened_on"`
		ResolvedOn Date   `json:"resolved_on"`
	}
	exportGroup struct {
		Name    string   `json:"name"`
		Scope   string   `json:"scope"`
		Notices []string `json:"notices"`
	}
)

// WriteJSON writes the dump in the export shape of SPEC §6. Secrets (robot
// keys) are not exported.
func (d *Dump) WriteJSON(w io.Writer) error {
	names := map[string]string{}
	doc := exportDoc{Targets: nonNil(d.Targets), People: nonNil(d.People)}
	doc.Companies = make([]exportCompany, 0, len(d.Companies))
	for _, c := range d.Companies {
		names[c.ID] = c.Name
		doc.Companies = append(doc.Companies, exportCompany{c.ID, c.Name, nonNil(c.Aliases), c.Region, nonNil(c.Tags)})
	}
	doc.Projects = make([]exportProject, 0, len(d.Projects))
	for _, p := range d.Projects {
		doc.Projects = append(doc.Projects, exportProject{p.ID, p.Name, names[p.Company], p.Industry, p.Park, p.Owner,
			p.OutOfCity, p.Stage, p.Planned, p.Amount, p.SignedOn, p.StartedOn, p.OperatingOn, p.DroppedOn, p.Funds})
	}
	doc.Activities = make([]exportActivity, 0, len(d.Activities))
	for _, a := range d.Activities {
		doc.Activities = append(doc.Activities, exportActivity{a.ID, a.Kind, a.Date, names[a.Company], a.Project, a.City, a.Headcount, a.Note, a.By})
	}
	doc.Payments = make([]exportPayment, 0, len(d.Payments))
	for _, p := range d.Payments {
		doc.Payments = append(doc.Payments, exportPayment{p.Project, p.Date, p.Amount, p.By})
	}
	doc.Tasks = make([]exportTask, 0, len(d.Tasks))
	for _, t := range d.Tasks {
		doc.Tasks = append(doc.Tasks, exportTask{t.ID, t.Project, t.Text, t.Due, t.Assignee, t.DoneOn})
	}
	doc.Items = make([]exportItem, 0, len(d.Items))
	for _, i := range d.Items {
		doc.Items = append(doc.Items, exportItem{i.ID, i.Project, i.Text, i.OpenedOn, i.ResolvedOn})
	}
	doc.Groups = make([]exportGroup, 0, len(d.Groups))
	for _, g := range d.Groups {
		doc.Groups = append(doc.Groups, exportGroup{g.Name, g.Scope, nonNil(g.Notices)})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
