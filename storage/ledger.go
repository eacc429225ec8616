package storage

import (
	"context"
	"strconv"

	"github.com/redis/go-redis/v9"

	"zsbot"
)

// Ledger returns the records dated in [from, to] from the date indexes, and
// every project they refer to. It costs three round trips and grows with the
// records in the period, never with the history.
func (db *DB) Ledger(ctx context.Context, from, to zsbot.Date) (*zsbot.Ledger, error) {
	by := &redis.ZRangeBy{Min: strconv.Itoa(int(from)), Max: strconv.Itoa(int(to))}
	names := []string{idxSigned(), idxStarted(), idxOperating(), idxIncrease(), idxPayment(), idxActivity(), idxDoneTasks()}
	pipe := db.rdb.Pipeline()
	cmds := make([]*redis.StringSliceCmd, len(names))
	for i, n := range names {
		cmds[i] = pipe.ZRangeByScore(ctx, db.k.index(n), by)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, wrap("ledger ranges", err)
	}
	l := &zsbot.Ledger{From: from, To: to, Projects: map[string]*zsbot.Project{},
		Signed: cmds[0].Val(), Started: cmds[1].Val(), Operating: cmds[2].Val()}

	pipe = db.rdb.Pipeline()
	hm := func(kind zsbot.Kind, ids []string) *redis.SliceCmd {
		if len(ids) == 0 {
			return nil
		}
		return pipe.HMGet(ctx, db.k.records(kind), ids...)
	}
	projIDs := dedupe(l.Signed, l.Started, l.Operating)
	cp := hm(zsbot.KindProject, projIDs)
	ci := hm(zsbot.KindIncrease, cmds[3].Val())
	cpay := hm(zsbot.KindPayment, cmds[4].Val())
	ca := hm(zsbot.KindActivity, cmds[5].Val())
	ct := hm(zsbot.KindTask, cmds[6].Val())
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, wrap("ledger records", err)
	}
	var err error
	projects, err := decodeCmd[zsbot.Project](zsbot.KindProject, cp)
	if err == nil {
		l.Increases, err = decodeCmd[zsbot.Increase](zsbot.KindIncrease, ci)
	}
	if err == nil {
		l.Payments, err = decodeCmd[zsbot.Payment](zsbot.KindPayment, cpay)
	}
	if err == nil {
		l.Activities, err = decodeCmd[zsbot.Activity](zsbot.KindActivity, ca)
	}
	if err == nil {
		l.TasksDone, err = decodeCmd[zsbot.Task](zsbot.KindTask, ct)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range projects {
		l.Projects[p.ID] = p
	}
	var missing []string
	seen := map[string]bool{}
	need := func(id string) {
		if id != "" && l.Projects[id] == nil && !seen[id] {
			seen[id] = true
			missing = append(missing, id)
		}
	}
	for _, z := range l.Increases {
		need(z.Project)
	}
	for _, p := range l.Payments {
		need(p.Project)
	}
	for _, a := range l.Activities {
		need(a.Project)
	}
	for _, t := range l.TasksDone {
		need(t.Project)
	}
	more, err := db.Projects(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, p := range more {
		l.Projects[p.ID] = p
	}
	return l, nil
}

func decodeCmd[T any](kind zsbot.Kind, c *redis.SliceCmd) ([]*T, error) {
	if c == nil {
		return nil, nil
	}
	vals, err := c.Result()
	if err != nil {
		return nil, wrap("get "+string(kind), err)
	}
	return decodeAll[T](kind, vals)
}

// dedupe concatenates lists of IDs without repeats, keeping first order.
func dedupe(lists ...[]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range lists {
		for _, id := range l {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}
