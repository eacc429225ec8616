package report

import (
	"context"
	"fmt"

	"zsbot"
)

// Sheet is one sheet of the Excel export, as rows of values: strings and
// integers as they are, money as zsbot.Money (shown in 亿元), percentages
// as zsbot.Ratio and dates as zsbot.Date, for the encoder (package xlsx)
// to format.
type Sheet struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// Column is one column of a sheet: its Chinese header and its width in
// characters.
type Column struct {
	Head  string
	Width float64
}

// YearWorkbook is the export of 导出 and `zsbot export --format xlsx`:
// every record of d, and the figures of the year to today as 统计 shows
// them.
func YearWorkbook(ctx context.Context, s zsbot.Store, d *zsbot.Dump, today zsbot.Date) ([]Sheet, error) {
	r, err := LoadReport(ctx, s, zsbot.YearStart(today), today)
	if err != nil {
		return nil, err
	}
	return Workbook(d, r), nil
}

// Workbook returns the export's sheets: 项目, 活动, 到位, 任务, 协调事项
// (every record of d, names for IDs, tasks' state as of r.To) and 统计
// (the figures of r, its targets and its parks).
func Workbook(d *zsbot.Dump, r *Report) []Sheet {
	x := newExportNames(d)
	return []Sheet{x.projects(), x.activities(), x.payments(), x.tasks(r.To), x.items(), statsSheet(r)}
}

// exportNames resolves the IDs of a dump to names for the sheets.
type exportNames struct {
	d         *zsbot.Dump
	companies map[string]string
	projName  map[string]string
	people    map[string]string
}

func newExportNames(d *zsbot.Dump) *exportNames {
	x := &exportNames{d: d, companies: map[string]string{}, projName: map[string]string{}, people: map[string]string{}}
	for _, c := range d.Companies {
		x.companies[c.ID] = c.Name
	}
	for _, p := range d.Projects {
		x.projName[p.ID] = p.Name
	}
	for _, p := range d.People {
		x.people[p.UserID] = p.Name
	}
	return x
}

func (x *exportNames) person(id string) string {
	if n := x.people[id]; n != "" {
		return n
	}
	return id
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func (x *exportNames) projects() Sheet {
	cols := []Column{{"编号", 8}, {"项目名称", 36}, {"企业", 24}, {"产业", 12}, {"园区", 12},
		{"负责人", 10}, {"市外项目", 9}, {"阶段", 8}, {"计划投资（亿元）", 14}, {"协议引资（亿元）", 14},
		{"签约日期", 12}, {"开工日期", 12}, {"投产日期", 12}, {"终止日期", 12},
		{"到位资金（亿元）", 14}, {"最后跟进", 12}}
	rows := make([][]any, 0, len(x.d.Projects))
	for _, p := range x.d.Projects {
		rows = append(rows, []any{p.ID, p.Name, x.companies[p.Company], p.Industry, p.Park, x.person(p.Owner), yesNo(p.OutOfCity),
			string(p.Stage), p.Planned, p.Amount, p.SignedOn, p.StartedOn, p.OperatingOn, p.DroppedOn, p.Funds, p.FollowedOn})
	}
	return Sheet{Name: "项目", Columns: cols, Rows: rows}
}

func (x *exportNames) activities() Sheet {
	cols := []Column{{"编号", 9}, {"类型", 6}, {"日期", 12}, {"企业", 24}, {"项目", 30},
		{"城市", 8}, {"人数", 6}, {"备注", 40}, {"记录人", 10}}
	rows := make([][]any, 0, len(x.d.Activities))
	for _, a := range x.d.Activities {
		var head any = ""
		if a.Headcount > 0 {
			head = a.Headcount
		}
		rows = append(rows, []any{a.ID, string(a.Kind), a.Date, x.companies[a.Company], x.projName[a.Project], a.City, head, a.Note, x.person(a.By)})
	}
	return Sheet{Name: "活动", Columns: cols, Rows: rows}
}

func (x *exportNames) payments() Sheet {
	cols := []Column{{"编号", 8}, {"项目编号", 9}, {"项目名称", 36}, {"日期", 12}, {"金额（亿元）", 12}, {"记录人", 10}}
	rows := make([][]any, 0, len(x.d.Payments))
	for _, p := range x.d.Payments {
		rows = append(rows, []any{p.ID, p.Project, x.projName[p.Project], p.Date, p.Amount, x.person(p.By)})
	}
	return Sheet{Name: "到位", Columns: cols, Rows: rows}
}

// tasks lists the tasks with their state as of today.
func (x *exportNames) tasks(today zsbot.Date) Sheet {
	cols := []Column{{"编号", 8}, {"项目编号", 9}, {"项目名称", 30}, {"任务", 36}, {"期限", 12},
		{"负责人", 10}, {"完成日期", 12}, {"状态", 8}}
	rows := make([][]any, 0, len(x.d.Tasks))
	for _, t := range x.d.Tasks {
		state := "进行中"
		switch {
		case !t.DoneOn.IsZero() && t.DoneOn <= t.Due:
			state = "按时完成"
		case !t.DoneOn.IsZero():
			state = "逾期完成"
		case t.Overdue(today):
			state = "逾期"
		}
		rows = append(rows, []any{t.ID, t.Project, x.projName[t.Project], t.Text, t.Due, x.person(t.Assignee), t.DoneOn, state})
	}
	return Sheet{Name: "任务", Columns: cols, Rows: rows}
}

func (x *exportNames) items() Sheet {
	cols := []Column{{"编号", 8}, {"项目编号", 9}, {"项目名称", 30}, {"协调事项", 40},
		{"提出日期", 12}, {"解决日期", 12}, {"解决情况", 30}}
	rows := make([][]any, 0, len(x.d.Items))
	for _, it := range x.d.Items {
		rows = append(rows, []any{it.ID, it.Project, x.projName[it.Project], it.Text, it.OpenedOn, it.ResolvedOn, it.Resolution})
	}
	return Sheet{Name: "协调事项", Columns: cols, Rows: rows}
}

// statsSheet lists the report's figures, its targets and its parks.
func statsSheet(r *Report) Sheet {
	f, c := r.Period, r.Conv
	rows := [][]any{
		{"统计时段", zsbot.Span(r.From, r.To), ""},
		{"签约项目", f.Signed(), "个"},
		{"协议引资", f.Agreed, "亿元"},
	}
	for _, t := range zsbot.SizeTiers {
		rows = append(rows, []any{"其中" + t.Label + "项目", f.Count(t), "个"})
	}
	rows = append(rows,
		[]any{"10亿元以上项目", f.Count(zsbot.Tier{Lo: zsbot.Major}), "个"},
		[]any{"开工项目", f.Started, "个"},
		[]any{"新开工市外项目", f.StartedOut, "个"},
		[]any{"签约落地转化率", c.Rate(), fmt.Sprintf("本年签约%d个，截至%s已开工%d个", c.Signed, r.To.Chinese(), c.Started)},
		[]any{"市外项目开工率", c.RateOut(), fmt.Sprintf("本年签约市外项目%d个，已开工%d个", c.SignedOut, c.StartOut)},
		[]any{"资金到位", f.Funds, "亿元"},
		[]any{"市外项目资金到位", f.FundsOut, "亿元"},
		[]any{"拜访", f.Visits, fmt.Sprintf("次（%d家）", f.Visited)},
		[]any{"接待", f.Receptions, "批次"},
		[]any{"推介活动", f.Promotions, "场"},
		[]any{},
		[]any{fmt.Sprintf("%d年目标", r.To.Year()), "进度", fmt.Sprintf("时间进度%s", zsbot.Elapsed(r.To).Percent())})
	for _, p := range r.Progress {
		state := "正常"
		if p.Behind() {
			state = "滞后"
		}
		rows = append(rows, []any{p.Metric.Name, ProgressLine(p, ""), state})
	}
	rows = append(rows, []any{}, []any{"园区", "签约项目/协议引资/开工/到位/拜访/接待", ""})
	for _, u := range r.Parks() {
		rows = append(rows, []any{u.Name, UnitLine(u), ""})
	}
	return Sheet{Name: "统计", Columns: []Column{{"指标", 18}, {"数值", 44}, {"说明", 40}}, Rows: rows}
}
