package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"zsbot"
)

func (h *handlers) parkVerb() *Verb {
	v := &Verb{Name: "园区", Aliases: []string{"park", "parks"}, Access: Admin,
		Usage:   "园区 添加 <名称> [简称…] / 园区 列表 / 园区 改名 <旧名称> <新名称>",
		Example: "园区 添加 双福园区 双福", Brief: "维护园区名单（管理员）"}
	v.Handler = HandlerFunc(func(ctx context.Context, r *Request) (string, error) { return h.park(ctx, r, v) })
	return v
}

func (h *handlers) park(ctx context.Context, r *Request, v *Verb) (string, error) {
	if len(r.Words) == 0 {
		return "", usageError(v, "请写明操作：添加、列表或改名")
	}
	if err := mustAdmin(r, "维护园区名单"); err != nil {
		return "", err
	}
	l, err := loadParks(ctx, r.Tx)
	if err != nil {
		return "", err
	}
	switch op, args := strings.ToLower(r.Words[0]), r.Words[1:]; op {
	case "添加", "add":
		return h.parkAdd(ctx, r, v, l, args)
	case "列表", "list":
		if len(l) == 0 {
			return "还没有园区名单，园区按所写记录。添加：" + v.Example, nil
		}
		return fmt.Sprintf("园区%d个：%s。", len(l), l), nil
	case "改名", "rename":
		if len(args) != 2 {
			return "", usageError(v, "改名要写旧名称和新名称")
		}
		return h.parkRename(ctx, r, v, l, args[0], args[1])
	}
	return "", usageError(v, fmt.Sprintf("不认识的操作「%s」", clip(r.Words[0], 10)))
}

func (h *handlers) parkAdd(ctx context.Context, r *Request, v *Verb, l parkList, args []string) (string, error) {
	if len(args) == 0 {
		return "", usageError(v, "请写明园区名称")
	}
	p := newPark(args[0], args[1:]...)
	for _, w := range append([]string{p.Name}, p.Short...) {
		if err := checkLen("园区名称", w, 20); err != nil {
			return "", err
		}
		if q := l.match(w); len(q) > 0 {
			return "", zsbot.Errorf(zsbot.ECONFLICT, "「%s」与已有的园区 %s 重名。园区有：%s。", w, q[0].Name, l)
		}
	}
	c := r.change("园区 添加 "+p.Name, "")
	c.Add(nil, p)
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已添加园区 %s。园区有：%s。\n%s", (*parkName)(p), append(l, p), undoHint), nil
}

func (h *handlers) parkRename(ctx context.Context, r *Request, v *Verb, l parkList, from, to string) (string, error) {
	old, err := l.resolve(from)
	if err != nil {
		return "", err
	}
	if err := checkLen("园区名称", to, 20); err != nil {
		return "", err
	}
	if q := l.match(to); len(q) > 0 && q[0].Name != old {
		return "", zsbot.Errorf(zsbot.ECONFLICT, "「%s」与已有的园区 %s 重名。", to, q[0].Name)
	}
	var before *zsbot.Park
	for _, p := range l {
		if p.Name == old {
			before = p
		}
	}
	after := newPark(to, append([]string{before.Name}, before.Short...)...)
	c := r.change("园区 改名 "+old+" "+to, "")
	c.Add(before, nil)
	c.Add(nil, after)
	moved, err := renamePark(ctx, r.Tx, c, func(s string) bool {
		m := l.match(s)
		return len(m) == 1 && m[0].Name == old
	}, after.Name)
	if err != nil {
		return "", err
	}
	if _, err := r.Tx.Apply(ctx, c); err != nil {
		return "", err
	}
	return fmt.Sprintf("已将园区 %s 改名为 %s（原名作简称），%d条人员、项目和群的记录随之更新。\n%s", old, (*parkName)(after), moved, undoHint), nil
}

// renamePark adds to c every person, project and group whose park is one
// that match accepts, with its park set to name; it returns how many.
func renamePark(ctx context.Context, st zsbot.Store, c *zsbot.Change, match func(string) bool, name string) (int, error) {
	people, projects, groups, err := parkUsers(ctx, st, func(s string) bool { return s != name && match(s) })
	if err != nil {
		return 0, err
	}
	for _, p := range people {
		after := *p
		after.Park = name
		c.Add(p, &after)
	}
	for _, p := range projects {
		after := *p
		after.Park = name
		c.Add(p, &after)
	}
	for _, g := range groups {
		after := *g
		after.Scope = name
		c.Add(g, &after)
	}
	return len(people) + len(projects) + len(groups), nil
}

// parkUsers returns the people, projects and park-scoped groups whose park
// match accepts.
func parkUsers(ctx context.Context, st zsbot.Store, match func(string) bool) ([]*zsbot.Person, []*zsbot.Project, []*zsbot.Group, error) {
	all, err := st.People(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var people []*zsbot.Person
	for _, p := range all {
		if match(p.Park) {
			people = append(people, p)
		}
	}
	refs, _, err := st.Names(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	ids := make([]string, len(refs))
	for i, ref := range refs {
		ids[i] = ref.ID
	}
	ps, err := st.Projects(ctx, ids)
	if err != nil {
		return nil, nil, nil, err
	}
	var projects []*zsbot.Project
	for _, p := range ps {
		if p.Park != "" && match(p.Park) {
			projects = append(projects, p)
		}
	}
	gs, err := st.Groups(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var groups []*zsbot.Group
	for _, g := range gs {
		if g.Scope != zsbot.ScopeAll && match(g.Scope) {
			groups = append(groups, g)
		}
	}
	return people, projects, groups, nil
}

// newPark is a park named name with the given short names, or, when none
// is given, its name without 园区 ("双福园区" → "双福").
func newPark(name string, short ...string) *zsbot.Park {
	p := &zsbot.Park{Name: name}
	if len(short) == 0 {
		if k := parkKey(name); k != name {
			short = []string{k}
		}
	}
	for _, s := range short {
		if s != name && !containsString(p.Short, s) {
			p.Short = append(p.Short, s)
		}
	}
	return p
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// parkList is the bureau's closed list of parks; empty when none is kept,
// and then parks are free text as typed.
type parkList []*zsbot.Park

func loadParks(ctx context.Context, st zsbot.Store) (parkList, error) {
	ps, err := st.Parks(ctx)
	return parkList(ps), err
}

// String is the list as replies show it: "双福园区（双福）、德感园区（德感）".
func (l parkList) String() string {
	names := make([]string, len(l))
	for i, p := range l {
		names[i] = (*parkName)(p).String()
	}
	return strings.Join(names, "、")
}

type parkName zsbot.Park

func (p *parkName) String() string {
	if len(p.Short) == 0 {
		return p.Name
	}
	return p.Name + "（" + strings.Join(p.Short, "、") + "）"
}

// match returns the listed parks a word names: by name or short name
// exactly, else by name or short name without 园区 ("珞璜园区" for 珞璜,
// "珞璜工业园区").
func (l parkList) match(word string) []*zsbot.Park {
	word = strings.TrimSpace(word)
	var loose []*zsbot.Park
	for _, p := range l {
		if strings.EqualFold(p.Name, word) || containsString(p.Short, word) {
			return []*zsbot.Park{p}
		}
		for _, s := range append([]string{p.Name}, p.Short...) {
			if parkKey(s) == parkKey(word) {
				loose = append(loose, p)
				break
			}
		}
	}
	return loose
}

// resolve returns the listed park a word names, or refuses with the list;
// with no list it returns the word as typed.
func (l parkList) resolve(word string) (string, error) {
	if len(l) == 0 {
		return word, nil
	}
	switch m := l.match(word); len(m) {
	case 1:
		return m[0].Name, nil
	case 0:
		return "", zsbot.Errorf(zsbot.EINVALID, "没有「%s」这个园区。园区有：%s。", clip(word, 20), l)
	default:
		return "", zsbot.Errorf(zsbot.EINVALID, "「%s」可指%s，请写全称。", clip(word, 20), parkList(m))
	}
}

// MigrateParks brings the store to a closed list of parks, once at start:
// when it keeps no list, seed (ZSBOT_PARKS) becomes it; then every person,
// project and group whose park names a listed park by a short name is
// rewritten to the park's name, as one audited change, each logged. A park
// that names none is left as it is and logged. With no list and no seed it
// does nothing.
func MigrateParks(ctx context.Context, st zsbot.Store, seed []string, now time.Time, log *slog.Logger) error {
	l, err := loadParks(ctx, st)
	if err != nil {
		return err
	}
	c := &zsbot.Change{Audit: zsbot.Audit{Who: "zsbot", When: now, Raw: "ZSBOT_PARKS", Summary: "园区 迁移"}}
	if len(l) == 0 {
		for _, name := range seed {
			p := newPark(name)
			l = append(l, p)
			c.Add(nil, p)
			log.Info("parks: seeded from ZSBOT_PARKS", "park", p.Name, "short", strings.Join(p.Short, ","))
		}
	}
	if len(l) == 0 {
		return nil
	}
	for _, p := range l {
		n, err := renamePark(ctx, st, c, func(s string) bool {
			m := l.match(s)
			return len(m) == 1 && m[0] == p
		}, p.Name)
		if err != nil {
			return err
		}
		if n > 0 {
			log.Info("parks: migrated records to the listed name", "park", p.Name, "records", n)
		}
	}
	if err := logUnlisted(ctx, st, l, log); err != nil {
		return err
	}
	if len(c.Puts) == 0 {
		return nil
	}
	_, err = st.Apply(ctx, c)
	return err
}

// logUnlisted logs every park of a person that names no listed park.
func logUnlisted(ctx context.Context, st zsbot.Store, l parkList, log *slog.Logger) error {
	people, err := st.People(ctx)
	if err != nil {
		return err
	}
	for _, p := range people {
		if p.Park != "" && len(l.match(p.Park)) != 1 {
			log.Warn("parks: a person's park or section is not on the list", "userid", p.UserID, "park", p.Park)
		}
	}
	return nil
}
