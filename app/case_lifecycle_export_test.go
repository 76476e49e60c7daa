package app

import (
	"context"

	"aman.qa/aman"
	"aman.qa/aman/store"
)

// RaiseRiskPriority lets the external tests drive raiseRiskPriority, which the risk use cases call
// inside their own transactions.
func (c *Cases) RaiseRiskPriority(ctx context.Context, caseID string, p aman.Priority) error {
	return c.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error { return c.raiseRiskPriority(ctx, tx, caseID, p) })
}
