package jobs

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"zsbot/report"
	"zsbot/xlsx"
)

// TestWorkbook checks the export of the notices' fixture end to end: the
// sheets of report.Workbook as xlsx.Encode writes them.
func TestWorkbook(t *testing.T) {
	db := mustStore(t)
	ctx := context.Background()
	d, err := db.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sheets, err := report.YearWorkbook(ctx, db, d, 20241231)
	if err != nil {
		t.Fatal(err)
	}
	data, err := xlsx.Encode(sheets)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"项目", "活动", "到位", "任务", "协调事项", "统计"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for _, tc := range []struct{ sheet, cell, want string }{
		{"项目", "A1", "编号"},
		{"项目", "J1", "协议引资（亿元）"},
		{"项目", "B2", "诺比侃机器视觉智能装备生产总部"},
		{"项目", "J2", "51.00"}, // 510000万元 in 亿元, two decimals
		{"项目", "J6", "0.30"},  // P5: 3000万元
		{"项目", "J5", "20.00"}, // P4: 15亿 + 增资 5亿
		{"到位", "E2", "3.50"},  // F1
		{"任务", "H2", "逾期"},    // T1, open past due at the year's end
		{"任务", "H5", "按时完成"},  // T4
		{"任务", "H6", "逾期完成"},  // T5
		{"协调事项", "D2", "用电指标需区里协调"},
		{"统计", "A2", "统计时段"},
		{"统计", "B3", "6"},      // 签约项目
		{"统计", "B4", "114.30"}, // 协议引资
		{"统计", "B12", "16.7%"}, // 签约落地转化率 1/6
		{"统计", "B14", "6.60"},  // 资金到位
	} {
		got, err := f.GetCellValue(tc.sheet, tc.cell)
		if err != nil || got != tc.want {
			t.Errorf("%s!%s = %q (%v), want %q", tc.sheet, tc.cell, got, err, tc.want)
		}
	}
	panes, err := f.GetPanes("项目")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v, %v", panes, err)
	}
	if w, _ := f.GetColWidth("项目", "B"); w < 30 {
		t.Errorf("project name column is %v wide", w)
	}
}
