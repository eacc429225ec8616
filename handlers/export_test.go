package handlers_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"testing"
	"zsbot/storage"

	"github.com/xuri/excelize/v2"

	"zsbot/handlers"
)

func TestExportVerb(t *testing.T) {
	b := registered(t)
	b.expect("zhangsan", "新项目 诺比侃机器视觉智能装备生产总部 企业:诺比侃 产业:智能装备", "P1")
	b.expect("zhangsan", "签约 诺比侃 51亿 12月20日", "已记录签约")
	dir := t.TempDir()
	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, SaveExport: storage.SaveIn(dir)})
	b.expect("zhangsan", "导出", "只限领导和管理员")
	path := regexp.MustCompile(`已导出：(\S+)`)
	reply := b.expect("li", "导出", "已导出", dir, "项目1个")
	m := path.FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("no path in %q", reply)
	}
	f, err := excelize.OpenFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !slices.Equal(f.GetSheetList(), []string{"项目", "活动", "到位", "任务", "协调事项", "统计"}) {
		t.Fatalf("sheets %v", f.GetSheetList())
	}
	if v, _ := f.GetCellValue("项目", "J2"); v != "51.00" {
		t.Fatalf("协议引资 cell = %q, want 51.00", v)
	}
	b.now = b.now.Add(1e9)
	m = path.FindStringSubmatch(b.expect("admin", "导出 json", "已导出", ".json"))
	data, err := os.ReadFile(m[1])
	var doc map[string]any
	if err != nil || json.Unmarshal(data, &doc) != nil || len(doc["projects"].([]any)) != 1 {
		t.Fatalf("json export: %v\n%s", err, data)
	}
	b.expect("admin", "导出 pdf", "只有 xlsx 和 json")
	t.Run("NoEncoder", func(t *testing.T) {
		b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, SaveExport: storage.SaveIn(dir)})
		b.expect("admin", "导出", "不能导出Excel", "导出 json")
		b.expect("admin", "导出 json", "已导出", ".json")
	})
}
