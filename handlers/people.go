package handlers

import (
	"context"
	"fmt"
	"strings"

	"zsbot"
	"zsbot/handlers/parse"
)

// findPerson resolves "@zhangsan", "@张三" or a bare userid or name to an
// active registered person: a userid (any case) first, then a name.
func (h *handlers) findPerson(ctx context.Context, st zsbot.Store, word string) (*zsbot.Person, error) {
	q := strings.TrimPrefix(parse.Normalize(word), "@")
	if q == "" {
		return nil, zsbot.Errorf(zsbot.EINVALID, "请在 @ 后写人员的姓名或userid，例如：@张三。")
	}
	people, err := st.People(ctx)
	if err != nil {
		return nil, err
	}
	var byName []*zsbot.Person
	for _, p := range people {
		if strings.EqualFold(p.UserID, q) {
			return activePerson(p)
		}
		if p.Name == q {
			byName = append(byName, p)
		}
	}
	switch len(byName) {
	case 1:
		return activePerson(byName[0])
	case 0:
		names := make([]string, 0, len(people))
		for _, p := range people {
			names = append(names, p.Name)
		}
		msg := fmt.Sprintf("未找到人员「%s」，请写登记过的姓名或userid，例如：@张三。", clip(q, 20))
		if close := parse.Closest(q, names, 3); len(close) > 0 {
			msg += "最接近的有：" + strings.Join(close, "、") + "。"
		}
		return nil, zsbot.Errorf(zsbot.ENOTFOUND, "%s", msg)
	}
	ids := make([]string, len(byName))
	for i, p := range byName {
		ids[i] = "@" + p.UserID
	}
	return nil, zsbot.Errorf(zsbot.EINVALID, "有%d位「%s」，请改用userid：%s。", len(byName), q, strings.Join(ids, " 或 "))
}

func activePerson(p *zsbot.Person) (*zsbot.Person, error) {
	if !p.Active {
		return nil, zsbot.Errorf(zsbot.ECONFLICT, "%s（%s）的账号已停用，请另选负责人。", p.Name, p.UserID)
	}
	return p, nil
}

// samePark compares park names the way officers write them: "双福" and
// "双福园区" are the same park.
func samePark(a, b string) bool { return a != "" && parkKey(a) == parkKey(b) }

// parkKey is a park's name without 园区 and the like, as officers shorten
// it: "双福园区" and "双福" are the same park.
func parkKey(s string) string {
	s = strings.TrimSpace(s)
	for _, suf := range []string{"工业园区", "园区", "片区", "工业园", "园"} {
		if t, ok := strings.CutSuffix(s, suf); ok && t != "" {
			return t
		}
	}
	return s
}
