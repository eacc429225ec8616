package report_test

import (
	"testing"

	"zsbot/report"
)

func TestPlain(t *testing.T) {
	for _, c := range []struct{ md, want string }{
		{"**半月通报**　2024年12月16日至31日", "【半月通报】　2024年12月16日至31日"},
		{"> 签约项目121个，协议引资966亿元", "签约项目121个，协议引资966亿元"},
		{">无空格引用", "无空格引用"},
		{`- 签约项目 50/120（41.7%） <font color="warning">滞后</font>`, "· 签约项目 50/120（41.7%） 【滞后】"},
		{"双福园区 **82.5分**：拜访3次", "双福园区 82.5分：拜访3次"},
		{"**逾期任务2项**（截至12月16日）", "【逾期任务2项】（截至12月16日）"},
		{"诺比侃［点我］＊＊粗＊＊ 3 > 2", "诺比侃［点我］＊＊粗＊＊ 3 > 2"},
		{"一\n\n> 二\n- 三", "一\n\n二\n· 三"},
	} {
		if got := report.Plain(c.md); got != c.want {
			t.Errorf("Plain(%q) = %q, want %q", c.md, got, c.want)
		}
	}
}
