package handlers_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/chart"
	"zsbot/handlers"
	"zsbot/jobs"
	"zsbot/storage"
)

// queued returns the messages in the outbox: what 通报 发送 queued, by
// its unit of work's commit.
func (b *bot) queued() []*zsbot.Outgoing {
	b.tb.Helper()
	items, err := b.db.Outbox(time.Now).Head(context.Background(), 100)
	if err != nil {
		b.tb.Fatal(err)
	}
	var msgs []*zsbot.Outgoing
	for _, it := range items {
		msgs = append(msgs, it.Msg)
	}
	return msgs
}

func TestNoticePreviewAndSend(t *testing.T) {
	b := seed2024(t)
	b.expect("admin", "群 添加 领导群 "+robotKey+" 全区", "已登记")
	b.expect("zhangsan", "通报 预览 半月", "只限领导和管理员")
	// A text reply shows the notice as plain text (issue 15 item 8).
	half := b.expect("li", "通报 预览 半月", "【半月通报】　2024年12月16日至31日",
		"\n签约项目121个，协议引资966亿元，其中10-20亿元项目4个、20-50亿元项目6个、50-100亿元项目4个",
		"市外项目开工率70.3%（37个中26个）")
	if strings.Contains(half, "**") || strings.Contains(half, "\n>") || strings.Contains(half, "<font") {
		t.Fatalf("the preview shows markdown:\n%s", half)
	}
	long := b.expect("li", "通报 预览 月度", "【月度协调】", "签约超过90天未开工65个", "预览已截断")
	if len(long) > handlers.MaxReply {
		t.Fatalf("preview is %d bytes", len(long))
	}
	b.expect("li", "通报 预览 个人", "今天没有需要提醒的任务")
	b.expect("li", "通报 预览 周报", "不认识的通报")
	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, NoSend: true})
	b.expect("li", "通报 发送 季度", "不能发送")
	if q := b.queued(); len(q) != 0 {
		t.Fatalf("a refused 通报 发送 queued %d messages", len(q))
	}

	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai})
	b.expect("li", "通报 发送 季度", "已将季度考核加入发送队列，共1条消息（机器人群1个）")
	b.expect("li", "notice send monthly", "已将月度协调加入发送队列，共1条消息")
	b.expect("li", "通报 发送 逾期", "逾期提醒没有可发送的消息")
	if out := b.queued(); len(out) != 2 || out[0].Tag != "quarterly" || out[0].To[0] != robotKey || !strings.HasPrefix(out[0].Text, "**季度考核**") {
		t.Fatalf("queued %d messages: %+v", len(out), out)
	}
}

// TestNoticeTexts checks that the texts naming the notices come from the
// registry in Config.Notices: with the real one they read as before, and
// with none, 通报 names no notice and 群 adds a group that takes none.
func TestNoticeTexts(t *testing.T) {
	b := registered(t)
	b.expect("admin", "帮助 通报", "通报 预览 <半月|月度|季度|逾期|个人> / 通报 发送 <半月|月度|季度|逾期|个人>")
	b.expect("admin", "帮助 群", "通报：半月 月度 季度 逾期；默认全区群收半月、月度、季度、逾期，园区群收逾期")
	b.expect("li", "通报 预览 周报", "可选：半月 月度 季度 逾期 个人")
	b.expect("admin", "群 添加 领导群 "+robotKey+" 全区 个人", "可选：半月 月度 季度 逾期。")
	b.expect("admin", "群 添加 园区群 "+robotKey+" 双福园区", "园区群（双福园区，机器人 693a****5aaa）：逾期提醒")
	b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: shanghai})
	b.expect("li", "通报 预览 半月", "没有接入定时通报")
	b.expect("admin", "群 添加 领导群 "+robotKey+" 全区", "领导群（全区，机器人 693a****5aaa）：")
}

// pngCharts draws a fixed PNG for any chart.
type pngCharts struct{}

func (pngCharts) HalfMonthlyPNG(*chart.HalfMonthly) ([]byte, error) {
	return []byte("\x89PNG\r\n\x1a\nhalf"), nil
}
func (pngCharts) QuarterlyPNG(*chart.Quarterly) ([]byte, error) {
	return []byte("\x89PNG\r\n\x1a\nquarter"), nil
}

func TestNoticeChartPreview(t *testing.T) {
	b := registered(t)
	dir := t.TempDir()
	b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, SaveExport: storage.SaveIn(dir),
		Notices: handlers.NoticesOf(jobs.WithCharts(pngCharts{}, nil))})
	got := b.expect("li", "通报 预览 半月 图", "半月通报图表（PNG，1KB）已保存：", "chart-half-monthly-20241223-100000.png")
	path := strings.TrimSpace(strings.SplitN(strings.SplitN(got, "已保存：", 2)[1], "\n", 2)[0])
	if data, err := os.ReadFile(path); err != nil || string(data) != "\x89PNG\r\n\x1a\nhalf" {
		t.Fatalf("chart file %s: %q, %v", path, data, err)
	}
	b.expect("li", "通报 预览 月度 图", "没有图表")
	b.expect("zhangsan", "通报 预览 半月 图", "只限领导和管理员")
	b.mux = newMux(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, SaveExport: storage.SaveIn(dir)})
	b.expect("li", "通报 预览 季度 图", "未安装中文字体")
	// In WeCom (no SaveExport) the chart goes to the asker as an image.
	b.mux = handlers.New(handlers.Config{Admins: []string{"admin"}, Loc: shanghai, Notices: handlers.NoticesOf(jobs.WithCharts(pngCharts{}, nil))})
	b.expect("li", "通报 预览 季度 图", "季度考核图表（PNG，1KB）将以图片消息发给您")
	q := b.queued()
	if last := q[len(q)-1]; last.Channel != zsbot.ChannelApp || last.To[0] != "li" || last.Format != zsbot.FormatImage || string(last.Image) != "\x89PNG\r\n\x1a\nquarter" {
		t.Fatalf("queued %+v", last)
	}
}
