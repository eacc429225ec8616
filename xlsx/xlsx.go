// Package xlsx encodes the sheets of the Excel export (report.Workbook) as
// an .xlsx file with excelize. It is the one place that links excelize:
// cmd/zsbot hands Encode to the handlers, which do not.
package xlsx

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"

	"zsbot"
	"zsbot/report"
)

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

// sheet writes one sheet: header row (bold, frozen), then rows.
func (b *book) sheet(s report.Sheet) error {
	name, cols, rows := s.Name, s.Columns, s.Rows
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
		if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
			return err
		}
		head[i] = excelize.Cell{StyleID: b.bold, Value: c.Head}
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

// Encode returns the workbook of sheets (report.Workbook): a bold, frozen
// header row per sheet, amounts in 亿元 with two decimals, percentages as
// 0.0% and dates as YYYY-MM-DD.
func Encode(sheets []report.Sheet) ([]byte, error) {
	b, err := newBook()
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	defer b.f.Close()
	for _, s := range sheets {
		if err := b.sheet(s); err != nil {
			return nil, fmt.Errorf("xlsx: %s: %w", s.Name, err)
		}
	}
	b.f.SetActiveSheet(0)
	var buf bytes.Buffer
	if err := b.f.Write(&buf); err != nil {
		return nil, fmt.Errorf("xlsx: write: %w", err)
	}
	return buf.Bytes(), nil
}
