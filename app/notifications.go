package app

import (
	"context"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/store"
)

// notify leaves an in-app alert for each user, in the transaction of the event it announces.
func notify(ctx context.Context, tx *store.Tx, userIDs []string, kind, entity, entityID string) error {
	for _, uid := range userIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO notifications (id, user_id, kind, entity, entity_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			newID(), uid, kind, entity, entityID, store.Millis(tx.Now)); err != nil {
			return err
		}
	}
	return nil
}

// Notification is an alert for one user.
type Notification struct {
	ID       string
	Kind     string
	Entity   string
	EntityID string
	At       time.Time
}

// Notifications are the in-app alerts.
type Notifications struct {
	Deps
}

// Unread lists the actor's unread alerts, newest first.
func (n *Notifications) Unread(ctx context.Context, actor aman.Actor) ([]Notification, error) {
	var out []Notification
	err := n.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, entity, entity_id, created_at FROM notifications
			WHERE user_id = $1 AND read_at IS NULL ORDER BY created_at DESC LIMIT 50`, actor.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x Notification
			var at int64
			if err := rows.Scan(&x.ID, &x.Kind, &x.Entity, &x.EntityID, &at); err != nil {
				return err
			}
			x.At = store.Time(at)
			out = append(out, x)
		}
		return rows.Err()
	})
	return out, err
}

// MarkRead marks one of the actor's alerts read.
func (n *Notifications) MarkRead(ctx context.Context, actor aman.Actor, id string) error {
	return n.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3`, store.Millis(tx.Now), id, actor.UserID)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return aman.Errorf(aman.ENotFound, "no such notification")
		}
		return nil
	})
}
