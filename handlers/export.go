package handlers

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
	"zsbot/report"
)

// Workbook encodes the sheets of 导出's Excel file (report.Workbook) as an
// .xlsx file; cmd/zsbot sets xlsx.Encode, so the handlers link no
// spreadsheet library.
type Workbook func(sheets []report.Sheet) ([]byte, error)

// SaveFile keeps the bytes of an export under name and returns where it
// is (a path the reply shows). cmd/zsbot sets storage.SaveIn for the
// console: the handlers write no files themselves.
type SaveFile func(name string, data []byte) (string, error)

func (h *handlers) exportVerb() *Verb {
	return &Verb{Name: "导出", Aliases: []string{"export"}, Access: Leader,
		Usage:   "导出 [时段] [xlsx|json]：时段同统计（本年默认、本月、上月、2024、2025年3月、2025年第1季度、3月1日至3月15日）",
		Example: "导出 2025年3月", Brief: "全部记录和所选时段的统计导出为Excel，发到手机（领导、管理员）",
		Handler: HandlerFunc(h.export)}
}

// export encodes every record and the figures of a period (the 统计 sheet)
// and sends the file to the requester's phone through the WeCom app; with
// no app (the console) it saves the file and says where. A failed send
// leaves nothing on disk and no server path in the reply.
func (h *handlers) export(ctx context.Context, r *Request) (string, error) {
	if err := parse.CheckOpts(r.Opts); err != nil {
		return "", err
	}
	format, words := "xlsx", make([]string, 0, len(r.Words))
	for _, w := range r.Words {
		switch strings.ToLower(w) {
		case "json":
			format = "json"
		case "xlsx", "excel":
		default:
			if asciiLetters(w) {
				return "", zsbot.Errorf(zsbot.EINVALID, "导出格式只有 xlsx 和 json，例如：导出 或 导出 json")
			}
			words = append(words, w)
		}
	}
	from, to, label, err := parse.ParsePeriod(words, r.Today)
	if err != nil {
		// ParsePeriod's examples name 统计; the same periods serve 导出.
		return "", zsbot.Errorf(zsbot.ErrorCode(err), "%s", strings.ReplaceAll(zsbot.ErrorMessage(err), "统计", "导出"))
	}
	encode := h.mux.cfg.Workbook
	if format == "xlsx" && encode == nil {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "这里不能导出Excel（未接入表格编码），请发送：导出 json")
	}
	app, save := h.mux.cfg.WeCom, h.mux.cfg.SaveExport
	if app == nil && save == nil {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "导出文件要通过企业微信应用发送（服务器须配置 ZSBOT_WECOM_SECRET），或请管理员在服务器上运行 zsbot export。")
	}
	d, err := r.Tx.Export(ctx)
	if err != nil {
		return "", err
	}
	var data []byte
	name := fmt.Sprintf("招商数据-%d.json", int(r.Today))
	if format == "json" {
		var buf bytes.Buffer
		err = d.WriteJSON(&buf)
		data = buf.Bytes()
	} else {
		name = fileName("招商统计-" + label + ".xlsx")
		var rep *report.Report
		if rep, err = report.LoadReport(ctx, r.Tx, from, to); err == nil {
			data, err = encode(report.Workbook(d, rep))
		}
	}
	if err != nil {
		return "", err
	}
	counts := fmt.Sprintf("项目%d个、活动%d条、到位%d笔、任务%d项、协调事项%d项。",
		len(d.Projects), len(d.Activities), len(d.Payments), len(d.Tasks), len(d.Items))
	if app == nil {
		path, err := save(name, data)
		if err != nil {
			return "", fmt.Errorf("export: %w", err)
		}
		h.log.Info("export written", "by", r.From, "path", path, "bytes", len(data))
		return fmt.Sprintf("已导出：%s\n%s", path, counts), nil
	}
	if err := app.SendFile(ctx, r.From, name, data); err != nil {
		h.log.Warn("wecom: export not sent", "by", r.From, "file", name, "bytes", len(data), "errcode", weComCode(err), "err", err)
		return "", weComRefusal(err, "文件未发送")
	}
	h.log.Info("export sent", "by", r.From, "file", name, "bytes", len(data))
	return fmt.Sprintf("已发送：%s\n%s", name, counts), nil
}

// asciiLetters reports whether w is only Latin letters: a format word
// ("pdf"), never a period ("Q1", "2024").
func asciiLetters(w string) bool {
	for _, c := range w {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return w != ""
}

// fileName makes a label safe as a file name on every phone and disk.
func fileName(s string) string {
	return strings.NewReplacer("/", "-", "\\", "-", ":", "-", " ", "", "*", "", "?", "", `"`, "", "<", "", ">", "", "|", "").Replace(s)
}
