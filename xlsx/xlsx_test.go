package xlsx

import (
	"bytes"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"zsbot"
	"zsbot/report"
)

// TestEncode writes two hand-made sheets and reads them back: sheet order,
// headers, money in 亿元, ratios as percentages, dates, blanks and the
// frozen header row.
func TestEncode(t *testing.T) {
	sheets := []report.Sheet{
		{Name: "项目", Columns: []report.Column{{Head: "编号", Width: 8}, {Head: "金额（亿元）", Width: 14}, {Head: "日期", Width: 12}},
			Rows: [][]any{{"P1", zsbot.Money(510000), zsbot.Date(20241220)}, {"P2", zsbot.Money(3000), zsbot.Date(0)}}},
		{Name: "统计", Columns: []report.Column{{Head: "指标", Width: 18}, {Head: "数值", Width: 44}},
			Rows: [][]any{{"转化率", zsbot.Ratio{N: 1, D: 6}}, {"开工率", zsbot.Ratio{}}, {}, {"签约项目", 6}}},
	}
	data, err := Encode(sheets)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"项目", "统计"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for _, tc := range []struct{ sheet, cell, want string }{
		{"项目", "B1", "金额（亿元）"},
		{"项目", "B2", "51.00"},
		{"项目", "B3", "0.30"},
		{"项目", "C2", "2024-12-20"},
		{"统计", "B2", "16.7%"},
		{"统计", "B3", "—"},
		{"统计", "A4", ""},
		{"统计", "B5", "6"},
	} {
		if got, err := f.GetCellValue(tc.sheet, tc.cell); err != nil || got != tc.want {
			t.Errorf("%s!%s = %q (%v), want %q", tc.sheet, tc.cell, got, err, tc.want)
		}
	}
	if panes, err := f.GetPanes("统计"); err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v, %v", panes, err)
	}
}
