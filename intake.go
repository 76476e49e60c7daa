package aman

import "time"

// Channel is the door an intake came through.
type Channel string

// The channels CONTRACT.md names.
const (
	ChannelHotline      Channel = "hotline"
	ChannelHelpRequest  Channel = "help_request"
	ChannelConsultation Channel = "consultation"
	ChannelReport       Channel = "report"
	ChannelReferral     Channel = "referral"
)

// Channels lists every channel.
func Channels() []Channel {
	return []Channel{ChannelHotline, ChannelHelpRequest, ChannelConsultation, ChannelReport, ChannelReferral}
}

// Urgency of an intake in the triage queue.
type Urgency string

const (
	UrgencyCritical Urgency = "critical"
	UrgencyHigh     Urgency = "high"
	UrgencyNormal   Urgency = "normal"
)

// Rank orders urgencies, most urgent first.
func (u Urgency) Rank() int {
	switch u {
	case UrgencyCritical:
		return 0
	case UrgencyHigh:
		return 1
	}
	return 2
}

// Valid tells whether u is an urgency.
func (u Urgency) Valid() bool { return u == UrgencyCritical || u == UrgencyHigh || u == UrgencyNormal }

// IntakeSignals are what an intake says about danger, whatever its channel: the facts urgency is derived
// from.
type IntakeSignals struct {
	ImmediateDanger bool
	// ChildInDanger is a child reporting harm, or a report about a child marked urgent.
	ChildInDanger bool
	HighRisk      bool
}

// UrgencyOf derives urgency from the content: immediate danger or a child in danger is critical, high
// risk is high, everything else normal.
func UrgencyOf(s IntakeSignals) Urgency {
	switch {
	case s.ImmediateDanger || s.ChildInDanger:
		return UrgencyCritical
	case s.HighRisk:
		return UrgencyHigh
	}
	return UrgencyNormal
}

// ResponseTargets are how soon each urgency must be answered.
type ResponseTargets struct {
	Critical time.Duration
	High     time.Duration
	// NormalWorkingDays counts working days (Sunday to Thursday in Qatar).
	NormalWorkingDays int
}

// DefaultResponseTargets: critical 15 minutes, high 1 hour, normal 1 working day.
func DefaultResponseTargets() ResponseTargets {
	return ResponseTargets{Critical: 15 * time.Minute, High: time.Hour, NormalWorkingDays: 1}
}

// DueBy is when an intake received at received must have been answered. A normal intake is due the same
// time of day after the given number of working days; Friday and Saturday are the weekend, so one
// received on Thursday morning is due on Sunday morning.
func (t ResponseTargets) DueBy(received time.Time, u Urgency, loc *time.Location) time.Time {
	switch u {
	case UrgencyCritical:
		return received.Add(t.Critical)
	case UrgencyHigh:
		return received.Add(t.High)
	}
	local := received.In(loc)
	for days := 0; days < t.NormalWorkingDays; {
		local = local.AddDate(0, 0, 1)
		if wd := local.Weekday(); wd != time.Friday && wd != time.Saturday {
			days++
		}
	}
	return local.UTC()
}

// IntakeStatus is where an intake stands in triage.
type IntakeStatus string

const (
	IntakeOpen       IntakeStatus = "open"
	IntakeLinked     IntakeStatus = "linked"
	IntakeCaseOpened IntakeStatus = "case_opened"
	IntakeAnswered   IntakeStatus = "answered"
	IntakeClosedInfo IntakeStatus = "closed_info"
)

// Intake is one item of the triage queue: a call, an app request, a report or a referral.
type Intake struct {
	ID            string
	Channel       Channel
	SourceID      string
	Urgency       Urgency
	ReceivedAt    time.Time
	DueAt         time.Time
	Status        IntakeStatus
	BeneficiaryID string
	CaseID        string
	PartnerOrgID  string
	ClosedReason  string
	DecidedBy     string
	DecidedAt     time.Time
	// Breached is set when the intake is still open after its due time.
	Breached bool
}
