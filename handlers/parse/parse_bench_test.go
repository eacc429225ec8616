package parse

import "testing"

// BenchmarkParseCommand is the parsing of a typical command line: the
// normalisation, the verb, the words and options (go test -bench . -benchmem).
func BenchmarkParseCommand(b *testing.B) {
	verbs := []string{"拜访", "接待", "洽谈", "签约", "开工", "到位", "查", "我的", "统计", "任务", "完成", "新项目"}
	lines := []string{"拜访 诺比侃科技 成都 昨天 洽谈机器视觉装备项目", "签约 诺比侃 51亿 12月20日",
		"新项目 中科纳米新材料西南智造基地 企业:京纳清科 30亿 产业:新材料 园区:珞璜", "到位 康硕 3.5亿 11月30日"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		text := Normalize(lines[i%len(lines)])
		_, args := Verb(text, verbs...)
		Split(args)
	}
}
