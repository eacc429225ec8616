package jobs

import (
	"testing"
)

func TestInert(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"Plain", "诺比侃机器视觉智能装备生产总部（一期）10-20亿", "诺比侃机器视觉智能装备生产总部（一期）10-20亿"},
		{"Link", "[点我](http://evil.example/phish)", "［点我］(http：//evil.example/phish)"},
		{"Image", "![x](https://evil.example/a.png)", "!［x］(https：//evil.example/a.png)"},
		{"Font", `<font color="warning">紧急</font>`, `＜font color="warning"＞紧急＜/font＞`},
		{"Mentions", "<@all> <@zhangsan> @所有人 @all", "＜＠all＞ ＜＠zhangsan＞ ＠所有人 ＠all"},
		{"Emphasis", "**粗** *斜* __下__ ~~删~~", "＊＊粗＊＊ ＊斜＊ ＿＿下＿＿ ～～删～～"},
		{"Heading", "# 标题", "＃ 标题"},
		{"Quote", "> 引用", "＞ 引用"},
		{"Code", "`code` ```", "｀code｀ ｀｀｀"},
		{"Table", "a | b", "a ｜ b"},
		{"EscapesAndEntities", `\*&lt;font&gt;`, `＼＊＆lt;font＆gt;`},
		{"Newlines", "一\n# 二\r\n> 三\t四\u2028五\u0085六", "一 ＃ 二  ＞ 三 四 五 六"},
		{"LeadingList", "- 项", "－ 项"},
		{"LeadingPlus", "  + 项", "  ＋ 项"},
		{"LeadingRule", "===", "＝=="},
		{"LeadingOrdered", "1. 项", "1． 项"},
		{"LeadingOrderedParen", "12) 项", "12） 项"},
		{"InnerMarkersKept", "A-B 1.5亿 (一期) c+d", "A-B 1.5亿 (一期) c+d"},
		{"NumberThenDash", "3-5号楼", "3-5号楼"},
		{"Colon", "时间: 3月", "时间: 3月"},
		{"Empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Inert(tc.in); got != tc.want {
				t.Errorf("Inert(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
