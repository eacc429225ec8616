package handlers

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"zsbot"
	"zsbot/report"
)

// Workbook encodes the sheets of 导出's Excel file (report.Workbook) as an
// .xlsx file; cmd/zsbot sets xlsx.Encode, so the handlers link no
// spreadsheet library.
type Workbook func(sheets []report.Sheet) ([]byte, error)

// DefaultExportDir is where 导出 writes when Config.ExportDir is empty.
const DefaultExportDir = "zsbot-data/exports"

func (h *handlers) exportVerb() *Verb {
	return &Verb{Name: "导出", Aliases: []string{"export"}, Access: Leader,
		Usage: "导出 [xlsx|json]", Example: "导出", Brief: "导出全部记录和本年统计为Excel（领导、管理员）",
		Handler: HandlerFunc(h.export)}
}

// export writes every record and the year's figures to a file on the
// server and replies with its path.
func (h *handlers) export(ctx context.Context, r *Request) (string, error) {
	format := "xlsx"
	switch {
	case len(r.Words) == 0:
	case len(r.Words) == 1 && strings.EqualFold(r.Words[0], "json"):
		format = "json"
	case len(r.Words) == 1 && (strings.EqualFold(r.Words[0], "xlsx") || strings.EqualFold(r.Words[0], "excel")):
	default:
		return "", zsbot.Errorf(zsbot.EINVALID, "导出格式只有 xlsx 和 json，例如：导出 或 导出 json")
	}
	encode := h.mux.cfg.Workbook
	if format == "xlsx" && encode == nil {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "这里不能导出Excel（未接入表格编码），请发送：导出 json")
	}
	d, err := h.store.Export(ctx)
	if err != nil {
		return "", err
	}
	var data []byte
	if format == "json" {
		var buf bytes.Buffer
		err = d.WriteJSON(&buf)
		data = buf.Bytes()
	} else {
		var sheets []report.Sheet
		if sheets, err = report.YearWorkbook(ctx, h.store, d, r.Today); err == nil {
			data, err = encode(sheets)
		}
	}
	if err != nil {
		return "", err
	}
	dir := h.mux.cfg.ExportDir
	if dir == "" {
		dir = DefaultExportDir
	}
	path := filepath.Join(dir, fmt.Sprintf("zsbot-%s.%s", r.Now.Format("20060102-150405"), format))
	if err := writeFile(path, data); err != nil {
		return "", err
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	h.log.Info("export written", "by", r.From, "path", path, "bytes", len(data))
	return fmt.Sprintf("已导出：%s\n项目%d个、活动%d条、到位%d笔、任务%d项、协调事项%d项。", path,
		len(d.Projects), len(d.Activities), len(d.Payments), len(d.Tasks), len(d.Items)), nil
}

// writeFile writes data to path through a temporary file and a rename, so
// a reader never sees half a file.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o640); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export: %w", err)
	}
	return nil
}
