package app_test

import (
	"testing"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
)

func TestPublicRequestReadForTriage(t *testing.T) {
	env := apptest.New(t)
	s := newStaff(t, env)
	p := &app.PublicIntake{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Triage: env.Triage}
	report, err := p.Submit(ctx, app.Meta{IP: "10.0.0.1"}, app.PublicRequestInput{Channel: aman.ChannelReport, Passphrase: "secret words",
		Message: "A neighbour's child is left alone", About: "child", Urgency: "normal"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Request(ctx, s.workerA, report.ID)
	if err != nil || r.Channel != aman.ChannelReport || len(r.Messages) != 1 || r.Messages[0].Text != "A neighbour's child is left alone" {
		t.Fatalf("request %+v %v", r, err)
	}
	if entries, err := env.Audit.Query(ctx, env.DB, audit.Filter{Action: "public_request.view"}); err != nil || len(entries) != 1 {
		t.Fatalf("audit: %d %v", len(entries), err)
	}
	if _, err := p.Request(ctx, s.partner, report.ID); aman.ErrorCode(err) != aman.EForbidden {
		t.Fatalf("partner read: %v", err)
	}
	consult, err := p.Submit(ctx, app.Meta{IP: "10.0.0.2"}, app.PublicRequestInput{Channel: aman.ChannelConsultation, Passphrase: "secret words",
		Message: "I need advice", Kind: "legal"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Request(ctx, s.workerA, consult.ID); aman.ErrorCode(err) != aman.ENotFound {
		t.Fatalf("a consultation read as a request: %v", err)
	}
}
