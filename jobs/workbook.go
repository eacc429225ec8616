package jobs

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"zsbot"
)

// column is one column of a sheet: its Chinese header and width.
type column struct {
	head  string
	width float64
}

// cellKind is a number format of the workbook.
type cellKind int

const (
	yi      cellKind = iota // money: 万元 shown as 亿元 with two decimals
	percent                 // a zsbot.Ratio shown as 0.0%
)

// book writes sheets one after the other with excelize's stream writer, so
// a bureau's ten years of records fit in memory.
type book struct {
	f      *excelize.File
	styles map[cellKind]int
	bold   int
}

func newBook() (*book, error) {
	b := &book{f: excelize.NewFile(), styles: map[cellKind]int{}}
	var err error
	if b.bold, err = b.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, err
	}
	for kind, code := range map[cellKind]string{yi: "0.00", percent: "0.0%"} {
		if b.styles[kind], err = b.f.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// sheet writes one sheet: header row (bold, frozen), then rows; each row's
// values follow cols, money as zsbot.Money and percentages as zsbot.Ratio.
func (b *book) sheet(name string, cols []column, rows [][]any) error {
	if b.f.SheetCount == 1 && b.f.GetSheetName(0) == "Sheet1" {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := b.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		head[i] = excelize.Cell{StyleID: b.bold, Value: c.head}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	for i, row := range rows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = b.cell(v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// cell converts a value: money to 亿元 (two decimals), a ratio to a
// percentage, dates to YYYY-MM-DD.
func (b *book) cell(v any) any {
	switch v := v.(type) {
	case zsbot.Money:
		return excelize.Cell{StyleID: b.styles[yi], Value: float64(v) / float64(zsbot.Yi)}
	case zsbot.Ratio:
		if v.D == 0 {
			return "—"
		}
		return excelize.Cell{StyleID: b.styles[percent], Value: float64(v.N) / float64(v.D)}
	case zsbot.Date:
		return v.String()
	}
	return v
}

// WriteWorkbook writes the Excel export: sheets 项目, 活动, 到位, 任务,
// 协调事项 (every record of d) and 统计 (the figures of r), with Chinese
// headers, amounts in 亿元 with two decimals and a frozen header row.
func WriteWorkbook(w io.Writer, d *zsbot.Dump, r *Report) error {
	b, err := newBook()
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	defer b.f.Close()
	x := newExportNames(d)
	for _, s := range []func(*book) error{x.projects, x.activities, x.payments, x.tasks(r.To), x.items, statsSheet(r)} {
		if err := s(b); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	b.f.SetActiveSheet(0)
	if err := b.f.Write(w); err != nil {
		return fmt.Errorf("xlsx: write: %w", err)
	}
	return nil
}
