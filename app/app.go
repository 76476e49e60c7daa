// Package app holds Aman's use cases. Each one authorizes through policy, validates, and then does all
// of its work in one transaction: the change, its audit entry, and any job it schedules commit or roll
// back together. Handlers call app; app never knows about HTTP.
package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Deps are what every service shares.
type Deps struct {
	DB    *store.DB
	Keys  *seal.Keyring
	Audit *audit.Log
}

// newID returns a new entity id. Ids are made here rather than by the database because sealed columns
// bind their row id into the encryption's associated data before the row is written. Version 7 UUIDs
// are time-ordered, which keeps B-tree inserts local.
func newID() string { return uuid.Must(uuid.NewV7()).String() }

// authorize is the role-level gate every use case starts with; the decision is policy's.
func authorize(actor aman.Actor, action policy.Action) error { return policy.Require(actor, action) }

// record appends an audit entry in tx.
func (d Deps) record(ctx context.Context, tx *store.Tx, actor aman.Actor, e audit.Entry) error {
	return d.Audit.Append(ctx, tx, actor, e)
}

// Meta describes the request a use case serves, for the audit trail.
type Meta struct {
	IP        string
	RequestID string
}

func (m Meta) actor(base aman.Actor) aman.Actor {
	base.IP, base.RequestID = m.IP, m.RequestID
	return base
}

// ms is a duration in the stored millisecond form.
func ms(d time.Duration) int64 { return d.Milliseconds() }
