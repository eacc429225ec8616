package bot_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zsbot"
	"zsbot/bot"
	"zsbot/bot/wecomtest"
	"zsbot/chart"
	"zsbot/chart/charttest"
	"zsbot/handlers"
	"zsbot/jobs"
)

func tinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.Black)
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// TestHalfMonthlyChartToRobot: on the seed-shaped 2024, 通报 发送 半月 on 16
// December, typed by a leader, reaches the group robot through the outbox
// and the fake WeCom as the markdown notice and then one image message,
// whose MD5 matches the PNG it carries. The chart is drawn with the tests'
// own CJK font and its size checked.
func TestHalfMonthlyChartToRobot(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	ctx := context.Background()
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "admin", When: time.Unix(0, 0), Raw: "seed"}}
	for _, rec := range charttest.Seed2024() {
		c.Add(nil, rec)
	}
	c.Add(nil, &zsbot.Group{Name: "领导群", RobotKey: testRobotKey, Scope: zsbot.ScopeAll, Notices: []string{jobs.HalfMonthly}})
	if _, err := r.db.Apply(ctx, c); err != nil {
		t.Fatal(err)
	}
	var charts jobs.Charts = charttest.Renderer(t)
	log := slog.New(slog.DiscardHandler)
	mux := handlers.New(handlers.Config{Loc: time.UTC, Log: log, Notices: handlers.NoticesOf(jobs.WithCharts(charts, log))})
	var out bytes.Buffer
	con := &bot.Console{Units: r.db, Responder: mux, Logger: log, User: "li", Out: &out,
		Clock: func() time.Time { return time.Date(2024, 12, 16, 9, 10, 0, 0, time.UTC) }, In: strings.NewReader("通报 发送 半月\n")}
	if err := con.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "已将半月通报加入发送队列，共2条消息") {
		t.Fatalf("通报 发送 半月: %s", out.String())
	}
	r.drain(t, time.Second)
	var sent []wecomtest.Request
	for _, q := range r.fake.Sent() {
		if q.Path == wecomtest.PathWebhook {
			sent = append(sent, q)
		}
	}
	if len(sent) != 2 || sent[0].Body["msgtype"] != "markdown" || sent[1].Body["msgtype"] != "image" {
		t.Fatalf("the robot got %d messages: %v", len(sent), sent)
	}
	text := sent[0].Body["markdown"].(map[string]any)["content"].(string)
	for _, want := range []string{"**半月通报**", "新开工市外项目37个", "协议引资966亿元"} {
		if !strings.Contains(text, want) {
			t.Errorf("markdown lacks %s:\n%s", want, text)
		}
	}
	img := sent[1].Body["image"].(map[string]any)
	data, err := base64.StdEncoding.DecodeString(img["base64"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if sum := md5.Sum(data); img["md5"] != hex.EncodeToString(sum[:]) {
		t.Fatalf("md5 %v, the PNG's is %x", img["md5"], sum)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	d, err := chart.HalfMonthlyData(ctx, r.db, 20241215)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := chart.HalfMonthlySize(d); cfg.Width != w || cfg.Height != h || len(data) > chart.MaxBytes {
		t.Fatalf("chart %d×%d of %d bytes, want %d×%d within %d", cfg.Width, cfg.Height, len(data), w, h, chart.MaxBytes)
	}
}

// TestChartImageToAppAndChat: an image to a person or an app chat is
// uploaded (media/upload) and sent as an image message with its media_id.
func TestChartImageToAppAndChat(t *testing.T) {
	r := newRig(t, bot.WorkerOptions{}, bot.SenderOptions{})
	png := tinyPNG()
	r.enqueue(t,
		&zsbot.Outgoing{Channel: zsbot.ChannelApp, To: []string{"li"}, Format: zsbot.FormatImage, Text: "［图表］半月通报", Image: png},
		&zsbot.Outgoing{Channel: zsbot.ChannelAppChat, To: []string{"wrLeaders"}, Format: zsbot.FormatImage, Text: "［图表］半月通报", Image: png})
	r.drain(t, time.Second)
	kinds := map[string]int{}
	for _, q := range r.fake.Sent() {
		if q.Path == wecomtest.PathMessage || q.Path == wecomtest.PathAppChat {
			img, _ := q.Body["image"].(map[string]any)
			if q.Body["msgtype"] != "image" || img["media_id"] == "" || img["media_id"] == nil {
				t.Fatalf("%s: %v", q.Path, q.Body)
			}
			kinds[q.Path]++
		}
	}
	if kinds[wecomtest.PathMessage] != 1 || kinds[wecomtest.PathAppChat] != 1 {
		t.Fatalf("image messages sent: %v", kinds)
	}
}
