package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"zsbot"
)

// currentRecord reads the record a Diff names as it is now: nil when it is
// gone.
func currentRecord(ctx context.Context, st zsbot.Store, d zsbot.Diff) (zsbot.Record, error) {
	var rec zsbot.Record
	var err error
	switch d.Kind {
	case zsbot.KindPerson:
		rec, err = st.Person(ctx, d.ID)
	case zsbot.KindTarget:
		year, metric, _ := strings.Cut(d.ID, "/")
		y, _ := strconv.Atoi(year)
		ts, terr := st.Targets(ctx, y)
		if terr != nil {
			return nil, terr
		}
		for _, t := range ts {
			if t.Metric == metric {
				return t, nil
			}
		}
		return nil, nil
	case zsbot.KindPark:
		ps, perr := st.Parks(ctx)
		if perr != nil {
			return nil, perr
		}
		for _, p := range ps {
			if p.Name == d.ID {
				return p, nil
			}
		}
		return nil, nil
	default:
		if d.ID == "" || kindOfPrefix(d.ID[0]) != d.Kind {
			return nil, fmt.Errorf("handlers: undo: %s %q", d.Kind, d.ID)
		}
		rec, err = readRecord(ctx, st, d.Kind, d.ID)
	}
	if zsbot.ErrorCode(err) == zsbot.ENOTFOUND {
		return nil, nil
	}
	return rec, err
}

// fieldsOfJSON splits a record's JSON into its fields.
func fieldsOfJSON(b []byte) (map[string]json.RawMessage, error) {
	m := map[string]json.RawMessage{}
	if len(b) == 0 {
		return m, nil
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("handlers: undo: decode fields: %w", err)
	}
	return m, nil
}

// changedFields names the fields in which rec now differs from was (its
// JSON as the audit kept it).
func changedFields(was []byte, rec zsbot.Record) []string {
	now, err := json.Marshal(rec)
	if err != nil {
		return []string{"记录"}
	}
	a, err1 := fieldsOfJSON(was)
	b, err2 := fieldsOfJSON(now)
	if err1 != nil || err2 != nil {
		return []string{"记录"}
	}
	var out []string
	for _, k := range unionKeys(a, b) {
		if !bytes.Equal(a[k], b[k]) {
			out = append(out, fieldLabel(k))
		}
	}
	return out
}

// revertFields undoes d on the record as it is now (cur): each field d
// changed goes back to its value before d, if it still holds the value d
// gave it. A field changed again since is a conflict, named in the result,
// except the last follow-up (which stays as it is now) and, when the
// change undone added or moved a payment or an 增资 (additive), a
// project's totals, from which the change's amount is taken back.
func revertFields(d zsbot.Diff, cur zsbot.Record, additive map[string]bool) (zsbot.Record, []string, error) {
	now, err := json.Marshal(cur)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: undo: encode %s: %w", d.ID, err)
	}
	before, err := fieldsOfJSON(d.Before)
	if err != nil {
		return nil, nil, err
	}
	after, err := fieldsOfJSON(d.After)
	if err != nil {
		return nil, nil, err
	}
	next, err := fieldsOfJSON(now)
	if err != nil {
		return nil, nil, err
	}
	var conflicts []string
	for _, k := range unionKeys(before, after) {
		b, a, c := before[k], after[k], next[k]
		switch {
		case bytes.Equal(b, a): // not changed by d
		case bytes.Equal(c, a):
			if b == nil {
				delete(next, k)
			} else {
				next[k] = b
			}
		case d.Kind == zsbot.KindProject && k == "followed_on":
			// a later follow-up stands
		case d.Kind == zsbot.KindProject && additive[k]:
			sum, ok := addInts(c, b, a)
			if !ok {
				conflicts = append(conflicts, fieldLabel(k))
			}
			next[k] = sum
		default:
			conflicts = append(conflicts, fieldLabel(k))
		}
	}
	if len(conflicts) > 0 {
		return nil, conflicts, nil
	}
	merged, err := json.Marshal(next)
	if err != nil {
		return nil, nil, fmt.Errorf("handlers: undo: encode %s: %w", d.ID, err)
	}
	rec, err := decodeRecord(d.Kind, merged)
	return rec, nil, err
}

// addInts returns c + b - a for JSON integers (a missing one is 0).
func addInts(c, b, a json.RawMessage) (json.RawMessage, bool) {
	n := func(x json.RawMessage) (int64, bool) {
		if x == nil {
			return 0, true
		}
		v, err := strconv.ParseInt(string(x), 10, 64)
		return v, err == nil
	}
	cv, ok1 := n(c)
	bv, ok2 := n(b)
	av, ok3 := n(a)
	if !ok1 || !ok2 || !ok3 || cv+bv-av < 0 {
		return nil, false
	}
	return json.RawMessage(strconv.FormatInt(cv+bv-av, 10)), true
}

// unionKeys returns the keys of a and b, sorted.
func unionKeys(a, b map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(a)+len(b))
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// fieldLabels are the records' JSON fields as replies name them.
var fieldLabels = map[string]string{
	"name": "名称", "company": "企业", "industry": "产业", "park": "园区", "owner": "负责人", "out_of_city": "市内外",
	"source": "来源", "planned_wan": "计划金额", "signed_wan": "签约金额", "amount_wan": "协议引资", "funds_wan": "到位资金",
	"stage": "阶段", "created_on": "登记日期", "signed_on": "签约日期", "started_on": "开工日期", "operating_on": "投产日期",
	"dropped_on": "终止日期", "drop_reason": "终止原因", "aliases": "简称", "region": "地区", "tags": "标签",
	"kind": "类别", "date": "日期", "project": "项目", "city": "地点", "headcount": "人数", "note": "内容",
	"text": "内容", "due": "截止日期", "assignee": "负责人", "done_on": "完成日期", "resolved_on": "解决日期",
	"resolution": "解决结果", "role": "角色", "active": "状态", "value": "目标值", "opened_on": "登记日期",
}

func fieldLabel(k string) string { return firstOf(fieldLabels[k], k) }
