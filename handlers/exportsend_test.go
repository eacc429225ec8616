package handlers_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"zsbot/bot/wecomtest"
	"zsbot/handlers"
	"zsbot/storage"
)

// sentFile returns the workbook the fake took in its last upload, and
// checks that a file message with its media_id went to to.
func sentFile(t *testing.T, fake *wecomtest.Server, name, to string) *excelize.File {
	t.Helper()
	var up *wecomtest.Upload
	for _, u := range fake.Uploads() {
		if u.Filename == name {
			up = &u
		}
	}
	if up == nil {
		t.Fatalf("no upload named %s: %+v", name, fake.Uploads())
	}
	found := false
	for _, q := range fake.Sent() {
		if q.Path == wecomtest.PathMessage && q.Body["msgtype"] == "file" && q.Body["touser"] == to &&
			q.Body["file"].(map[string]any)["media_id"] == up.MediaID {
			found = true
		}
	}
	if !found {
		t.Fatalf("no file message of %s to %s", up.MediaID, to)
	}
	if !strings.HasSuffix(name, ".xlsx") {
		return nil
	}
	f, err := excelize.OpenReader(bytes.NewReader(up.Data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func cell(t *testing.T, f *excelize.File, sheet, axis string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, axis)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExportSendsFile(t *testing.T) {
	b := registered(t)
	b.now = time.Date(2024, 11, 20, 10, 0, 0, 0, shanghai)
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 产业:智能装备", "P1")
	b.expect("zhangsan", "签约 诺比侃 51亿 11月18日", "已记录签约")
	dir := t.TempDir() // the console's export directory: a phone's export must leave nothing in it
	fake, _ := b.withApp(handlers.Config{SaveExport: storage.SaveIn(dir)}, "li", "admin")
	b.now = time.Date(2025, 1, 10, 9, 30, 0, 0, shanghai) // January: last year's figures are wanted

	b.expect("li", "导出 2024", "已发送：招商统计-2024年.xlsx", "项目1个")
	f := sentFile(t, fake, "招商统计-2024年.xlsx", "li")
	if got := cell(t, f, "统计", "B2"); !strings.Contains(got, "2024年1月1日") || !strings.Contains(got, "12月31日") {
		t.Errorf("统计时段 %q, want the year 2024", got)
	}
	if got := cell(t, f, "统计", "B3"); got != "1" {
		t.Errorf("签约项目 %q, want 1 (the 2024 signing)", got)
	}
	b.expect("li", "导出 本月", "已发送：招商统计-2025年1月1日至10日.xlsx")
	f = sentFile(t, fake, "招商统计-2025年1月1日至10日.xlsx", "li")
	if got := cell(t, f, "统计", "B3"); got != "0" {
		t.Errorf("签约项目 of January 2025 %q, want 0", got)
	}
	b.expect("li", "导出 2025年3月", "导出时段", "还没开始", "例如：导出 本月")
	b.expect("li", "导出 下个世纪", "导出时段", "看不懂")
	b.expect("li", "导出 pdf", "只有 xlsx 和 json")
	b.expect("admin", "导出 json", "已发送：招商数据-20250110.json")
	sentFile(t, fake, "招商数据-20250110.json", "admin")
	b.expect("zhangsan", "导出", "只限领导和管理员")

	b.now = time.Date(2025, 4, 2, 9, 0, 0, 0, shanghai)
	b.expect("li", "导出 2025年3月", "已发送：招商统计-2025年3月.xlsx")
	b.expect("li", "导出", "已发送：招商统计-2025年1月1日至4月2日.xlsx")

	t.Run("Failures", func(t *testing.T) {
		uploads := len(fake.Uploads())
		fake.Inject(wecomtest.PathUpload, 1, wecomtest.Fault{Status: 502})
		r := b.expect("li", "导出 2025年3月", "文件未发送", "暂时连不上企业微信")
		fake.Inject(wecomtest.PathMessage, 1, wecomtest.Fault{Errcode: 60020})
		r += b.expect("li", "导出 2025年3月", "文件未发送", "企业可信IP")
		fake.Inject(wecomtest.PathUpload, 1, wecomtest.Fault{Errcode: 45009})
		r += b.expect("li", "导出 2025年3月", "文件未发送", "接口繁忙")
		if strings.Contains(r, "/") || strings.Contains(r, dir) {
			t.Errorf("a reply shows a path: %s", r)
		}
		if len(fake.Uploads()) != uploads+1 { // the upload before the refused message
			t.Errorf("%d uploads", len(fake.Uploads())-uploads)
		}
	})
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("exports to the phone left files on disk: %v", left)
	}
}

func TestExportNoApp(t *testing.T) {
	b := registered(t)
	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai})
	b.expect("li", "导出", "要通过企业微信应用发送", "zsbot export")
}
