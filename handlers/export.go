package handlers

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/report"
)

// Workbook encodes the sheets of 导出's Excel file (report.Workbook) as an
// .xlsx file; cmd/zsbot sets xlsx.Encode, so the handlers link no
// spreadsheet library.
type Workbook func(sheets []report.Sheet) ([]byte, error)

// SaveFile keeps the bytes of an export under name and returns where it
// is (a path the reply shows). cmd/zsbot sets storage.SaveIn: the handlers
// write no files themselves.
type SaveFile func(name string, data []byte) (string, error)

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
	d, err := r.Tx.Export(ctx)
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
		if sheets, err = report.YearWorkbook(ctx, r.Tx, d, r.Today); err == nil {
			data, err = encode(sheets)
		}
	}
	if err != nil {
		return "", err
	}
	save := h.mux.cfg.SaveExport
	if save == nil {
		return "", zsbot.Errorf(zsbot.EINVALID, "这里不能保存导出文件，请管理员在服务器上运行 zsbot export。")
	}
	path, err := save(fmt.Sprintf("zsbot-%s.%s", r.Now.Format("20060102-150405"), format), data)
	if err != nil {
		return "", fmt.Errorf("export: %w", err)
	}
	h.log.Info("export written", "by", r.From, "path", path, "bytes", len(data))
	return fmt.Sprintf("已导出：%s\n项目%d个、活动%d条、到位%d笔、任务%d项、协调事项%d项。", path,
		len(d.Projects), len(d.Activities), len(d.Payments), len(d.Tasks), len(d.Items)), nil
}
