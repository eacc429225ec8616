// Package chart draws the PNG charts that follow the 半月通报 and the 季度考核
// (issue 17): the year's targets against the time elapsed, the cumulative
// signings and funds by month against last year, and the units ranked by
// their assessment score. The numbers behind every bar and line are plain
// values (HalfMonthly, Quarterly), built from the one figures code of the
// domain package, so they are tested apart from the pixels; a Renderer draws
// them with gonum.org/v1/plot and a CJK font found on the system (Find).
// Without such a font there is no Renderer and the notices go without charts.
package chart

import "zsbot/wecom/limits"

// MaxBytes is the largest PNG a group robot's image message may carry
// (群机器人配置说明: "图片（base64编码前）最大不能超过2M，支持JPG,PNG格式").
const MaxBytes = limits.RobotImage

// Bar is one bar of a chart: its label, its length and how it reads.
type Bar struct {
	Label  string  `json:"label"`  // 签约项目
	Value  float64 `json:"value"`  // % of the target done, rounded to 0.1
	Note   string  `json:"note"`   // 121/120个，完成100.8%
	Behind bool    `json:"behind"` // 滞后: drawn in the warning colour and marked
}

// Series is one line of a chart: a value per month, cumulative.
type Series struct {
	Name   string    `json:"name"`   // 2024年
	Values []float64 `json:"values"` // 亿元 at the end of each month (the last month: to the report's day)
}

// HalfMonthly is the data of the 半月通报's chart.
type HalfMonthly struct {
	Title    string   `json:"title"`    // 2024年招商目标进度（截至12月15日）
	Headline []string `json:"headline"` // the year's figures in words, on the chart
	Elapsed  float64  `json:"elapsed"`  // % of the year gone: the vertical line
	Targets  []Bar    `json:"targets"`  // % done per target, in the order of the text
	Months   []string `json:"months"`   // 1月 … the report's month
	Agreed   []Series `json:"agreed"`   // cumulative 协议引资 (亿元): this year, last year
	Funds    []Series `json:"funds"`    // cumulative 资金到位 (亿元): this year, last year
}

// Stack is one unit of the 季度考核's ranking: its score split by part.
type Stack struct {
	Label string    `json:"label"` // 双福园区 or 张三（双福园区）
	Parts []float64 `json:"parts"` // points per scoring part, rounded to 0.1
	Total float64   `json:"total"`
}

// Quarterly is the data of the 季度考核's chart: parks and officers ranked by
// score, each bar stacked by scoring part.
type Quarterly struct {
	Title    string   `json:"title"`    // 2024年第4季度考核得分
	Parts    []string `json:"parts"`    // 签约项目30 …: the stacks' legend
	Parks    []Stack  `json:"parks"`    // best first
	Officers []Stack  `json:"officers"` // best first
}

// round1 rounds to one decimal, as the charts label values.
func round1(v float64) float64 {
	if v < 0 {
		return -round1(-v)
	}
	return float64(int64(v*10+0.5)) / 10
}
