package storage

import (
	"context"

	"zsbot"
)

// Export returns every record of the bureau, each kind in ID order.
func (db *DB) Export(ctx context.Context) (*zsbot.Dump, error) {
	d := &zsbot.Dump{}
	var err error
	if d.Projects, err = all[zsbot.Project](ctx, db, zsbot.KindProject); err != nil {
		return nil, err
	}
	if d.Companies, err = all[zsbot.Company](ctx, db, zsbot.KindCompany); err != nil {
		return nil, err
	}
	if d.Activities, err = all[zsbot.Activity](ctx, db, zsbot.KindActivity); err != nil {
		return nil, err
	}
	if d.Payments, err = all[zsbot.Payment](ctx, db, zsbot.KindPayment); err != nil {
		return nil, err
	}
	if d.Increases, err = all[zsbot.Increase](ctx, db, zsbot.KindIncrease); err != nil {
		return nil, err
	}
	if d.Tasks, err = all[zsbot.Task](ctx, db, zsbot.KindTask); err != nil {
		return nil, err
	}
	if d.Items, err = all[zsbot.Item](ctx, db, zsbot.KindItem); err != nil {
		return nil, err
	}
	if d.Targets, err = all[zsbot.Target](ctx, db, zsbot.KindTarget); err != nil {
		return nil, err
	}
	if d.People, err = all[zsbot.Person](ctx, db, zsbot.KindPerson); err != nil {
		return nil, err
	}
	if d.Groups, err = all[zsbot.Group](ctx, db, zsbot.KindGroup); err != nil {
		return nil, err
	}
	return d, nil
}
