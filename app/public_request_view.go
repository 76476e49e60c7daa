package app

import (
	"context"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// Request is a help request or a report as triage sees it: the message, the conversation and the
// attachment list, never the attachments' bytes. Consultations are read through Consultation. The read
// is audited.
func (p *PublicIntake) Request(ctx context.Context, actor aman.Actor, id string) (PublicRequest, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return PublicRequest{}, err
	}
	var r PublicRequest
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if r, err = p.load(ctx, tx, id); err != nil {
			return err
		}
		if r.Channel != aman.ChannelHelpRequest && r.Channel != aman.ChannelReport {
			return aman.Errorf(aman.ENotFound, "not a help request or a report")
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "public_request.view", Entity: "public_request", EntityID: id})
	})
	if err != nil {
		return PublicRequest{}, err
	}
	return r, nil
}
