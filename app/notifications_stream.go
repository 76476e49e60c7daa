package app

import (
	"context"

	"aman.qa/aman"
	"aman.qa/aman/store"
)

// NotificationCursor is where a live stream of alerts has got to: the last alert sent, by time and id.
type NotificationCursor struct {
	At int64
	ID string
}

// CursorNow is a cursor at the present: a new stream sends only what arrives after it opens.
func (n *Notifications) CursorNow() NotificationCursor {
	return NotificationCursor{At: store.Millis(n.DB.Now())}
}

// CursorAt is the cursor just after one of the actor's alerts (a reconnecting stream's Last-Event-ID),
// or the present when there is no such alert.
func (n *Notifications) CursorAt(ctx context.Context, actor aman.Actor, id string) (NotificationCursor, error) {
	c := n.CursorNow()
	if id == "" {
		return c, nil
	}
	err := n.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var at int64
		err := tx.QueryRowContext(ctx, `SELECT created_at FROM notifications WHERE id = $1 AND user_id = $2`, id, actor.UserID).Scan(&at)
		if err == nil {
			c = NotificationCursor{At: at, ID: id}
		}
		return nil
	})
	return c, err
}

// After lists the actor's unread alerts that arrived after the cursor, oldest first, with the number of
// all their unread alerts. It reads the database, so a stream on any node sees alerts written by any
// other.
func (n *Notifications) After(ctx context.Context, actor aman.Actor, c NotificationCursor) ([]Notification, int, error) {
	var out []Notification
	unread := 0
	err := n.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, kind, entity, entity_id, created_at FROM notifications
			WHERE user_id = $1 AND read_at IS NULL AND (created_at > $2 OR (created_at = $2 AND id > $3))
			ORDER BY created_at, id LIMIT 50`, actor.UserID, c.At, c.ID)
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
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL`, actor.UserID).Scan(&unread)
	})
	return out, unread, err
}
