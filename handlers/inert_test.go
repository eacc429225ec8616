package handlers_test

import (
	"strings"
	"testing"
)

// TestPlainRepliesKeepOfficerText: officer text that would be live
// markdown is escaped only in notices; text replies (查, 我的, the
// confirmations) show it exactly as typed.
func TestPlainRepliesKeepOfficerText(t *testing.T) {
	b := registered(t)
	name := "诺比侃[点我](http://evil.example)<@all>**粗**"
	task := "完成`摘牌`<@all>#标题|列"
	item := `用电<font color="warning">紧急</font>@所有人`
	b.expect("zhangsan", "新项目 "+name+" 企业:诺比侃 51亿", "已登记项目 P1 "+name)
	b.expect("zhangsan", "任务 P1 "+task+" 12月24日 @张三", task)
	b.expect("zhangsan", "协调 P1 "+item, item)
	b.expect("zhangsan", "查 P1", "P1 "+name, "T1 "+task)
	b.expect("zhangsan", "我的", "· T1 "+task)

	// 通报 预览 shows the notice as plain text: the officer text inert as
	// sent, the mention by name (issue 15 item 8).
	preview := b.expect("li", "通报 预览 逾期", "诺比侃［点我］(http：//evil.example)＜＠all＞＊＊粗＊＊：完成｀摘牌｀＜＠all＞＃标题｜列", "@张三")
	if strings.Contains(preview, name) || strings.Contains(preview, task) {
		t.Errorf("the preview shows officer text as live markdown:\n%s", preview)
	}
}
