package aman

import (
	"slices"
	"time"
)

// CallerType is who is on the line, as the operator judges it.
type CallerType string

const (
	CallerVictim       CallerType = "victim"
	CallerChildSelf    CallerType = "child_self"
	CallerRelative     CallerType = "relative"
	CallerNeighbour    CallerType = "neighbour"
	CallerProfessional CallerType = "professional"
	CallerAnonymous    CallerType = "anonymous"
)

// CallerTypes lists the caller types in the order the console offers them: the most frequent first.
func CallerTypes() []CallerType {
	return []CallerType{CallerVictim, CallerChildSelf, CallerRelative, CallerNeighbour, CallerProfessional, CallerAnonymous}
}

// Valid tells whether c is a caller type.
func (c CallerType) Valid() bool { return slices.Contains(CallerTypes(), c) }

// ContactKind splits the calls the centre counts: a counselling call is a conversation about a need; a
// non-counselling call is everything else the line receives (silence, hang-ups, pranks…), counted apart
// so that the yearly figure of calls answered is not inflated by them.
type ContactKind string

const (
	ContactCounselling    ContactKind = "counselling"
	ContactNonCounselling ContactKind = "non_counselling"
)

// ContactKinds lists both kinds.
func ContactKinds() []ContactKind { return []ContactKind{ContactCounselling, ContactNonCounselling} }

// Valid tells whether k is a contact kind.
func (k ContactKind) Valid() bool { return slices.Contains(ContactKinds(), k) }

// NonCounsellingKind says what a non-counselling call was.
type NonCounsellingKind string

const (
	NonCounsellingSilent      NonCounsellingKind = "silent"
	NonCounsellingHangUp      NonCounsellingKind = "hang_up"
	NonCounsellingWrongNumber NonCounsellingKind = "wrong_number"
	NonCounsellingPrank       NonCounsellingKind = "prank"
	NonCounsellingAbusive     NonCounsellingKind = "abusive"
	NonCounsellingTest        NonCounsellingKind = "test"
)

// NonCounsellingKinds lists the sub-kinds of a non-counselling call.
func NonCounsellingKinds() []NonCounsellingKind {
	return []NonCounsellingKind{NonCounsellingSilent, NonCounsellingHangUp, NonCounsellingWrongNumber, NonCounsellingPrank,
		NonCounsellingAbusive, NonCounsellingTest}
}

// Valid tells whether k is a non-counselling sub-kind.
func (k NonCounsellingKind) Valid() bool { return slices.Contains(NonCounsellingKinds(), k) }

// CallReason is one reason a person called; a counselling call has one or more.
type CallReason string

const (
	ReasonViolencePhysical      CallReason = "violence_physical"
	ReasonViolencePsychological CallReason = "violence_psychological"
	ReasonViolenceSexual        CallReason = "violence_sexual"
	ReasonNeglect               CallReason = "neglect"
	ReasonDeprivationOfLiberty  CallReason = "deprivation_of_liberty"
	ReasonFamilyBreakdown       CallReason = "family_breakdown"
	ReasonCustody               CallReason = "custody"
	ReasonLegalQuestion         CallReason = "legal_question"
	ReasonMentalHealth          CallReason = "mental_health"
	ReasonOther                 CallReason = "other"
)

// CallReasons lists the reasons in the order the console offers them.
func CallReasons() []CallReason {
	return []CallReason{ReasonViolencePhysical, ReasonViolencePsychological, ReasonViolenceSexual, ReasonNeglect,
		ReasonDeprivationOfLiberty, ReasonFamilyBreakdown, ReasonCustody, ReasonLegalQuestion, ReasonMentalHealth, ReasonOther}
}

// Valid tells whether r is a call reason.
func (r CallReason) Valid() bool { return slices.Contains(CallReasons(), r) }

// Harm tells whether the reason is harm done to the caller or someone they speak for (violence,
// neglect, being locked in), as opposed to a question or a family matter.
func (r CallReason) Harm() bool {
	switch r {
	case ReasonViolencePhysical, ReasonViolencePsychological, ReasonViolenceSexual, ReasonNeglect, ReasonDeprivationOfLiberty:
		return true
	}
	return false
}

// CallOutcome is what the operator did with the call.
type CallOutcome string

const (
	OutcomeInformationGiven    CallOutcome = "information_given"
	OutcomeCounselling         CallOutcome = "counselling"
	OutcomeAppointment         CallOutcome = "appointment"
	OutcomeReferral            CallOutcome = "referral"
	OutcomeIntakeToTriage      CallOutcome = "intake_to_triage"
	OutcomeLinkedToCase        CallOutcome = "linked_to_case"
	OutcomeEmergencyEscalation CallOutcome = "emergency_escalation"
)

// CallOutcomes lists the outcomes in the order the console offers them.
func CallOutcomes() []CallOutcome {
	return []CallOutcome{OutcomeInformationGiven, OutcomeCounselling, OutcomeAppointment, OutcomeReferral,
		OutcomeIntakeToTriage, OutcomeLinkedToCase, OutcomeEmergencyEscalation}
}

// Valid tells whether o is an outcome.
func (o CallOutcome) Valid() bool { return slices.Contains(CallOutcomes(), o) }

// CallStatus is where a call record stands. A call the operator logs is logged at once; the telephone
// system opens drafts (ringing, answered, ended) that the operator who answered completes, and records
// missed calls, which go to the callback list.
type CallStatus string

const (
	CallDraft  CallStatus = "draft"
	CallLogged CallStatus = "logged"
	CallMissed CallStatus = "missed"
)

// CallbackSafety is whether the caller said it is safe to call them back on the number they called from.
// Unknown is the default and, for a callback, counts as unsafe: an abuser may hold the phone.
type CallbackSafety string

const (
	SafetyUnknown CallbackSafety = ""
	SafetySafe    CallbackSafety = "yes"
	SafetyUnsafe  CallbackSafety = "no"
)

// Valid tells whether s is a safety value, unknown included.
func (s CallbackSafety) Valid() bool {
	return s == SafetyUnknown || s == SafetySafe || s == SafetyUnsafe
}

// CallRisk is the operator's quick risk screen.
type CallRisk struct {
	ImmediateDanger bool
	Weapon          bool
	ChildrenPresent bool
	SuicideRisk     bool
}

// Call is one hotline call. The summary and the caller's number are sealed at rest; the number is
// opened only for a callback, and is never part of a list.
type Call struct {
	ID     string
	Status CallStatus
	// CallRef is the telephone system's reference for a call it reported; empty for a call logged by hand.
	CallRef string
	// RangAt is when the telephone system reported the call ringing; zero for a call logged by hand.
	RangAt    time.Time
	StartedAt time.Time
	// AnsweredAt is when the telephone system reported the call answered; zero otherwise.
	AnsweredAt time.Time
	EndedAt    time.Time
	// Duration is EndedAt − StartedAt, zero while the call has not ended.
	Duration           time.Duration
	CallerType         CallerType
	ContactKind        ContactKind
	NonCounsellingKind NonCounsellingKind
	Reasons            []CallReason
	Risk               CallRisk
	Outcome            CallOutcome
	Summary            string
	// HasCallerNumber tells that a number is on record (sealed), without opening it.
	HasCallerNumber bool
	// SafeToCallBack is the answer recorded on this call; KnownSafety is the latest answer recorded for
	// the same number on any call, which is what a callback goes by.
	SafeToCallBack CallbackSafety
	KnownSafety    CallbackSafety
	OperatorID     string
	// OperatorName is the operator's display name (or username), for the supervisors' view of the line.
	OperatorName  string
	BeneficiaryID string
	CaseID        string
	// RepeatCalls counts the earlier calls from the same number, found through its blind index.
	RepeatCalls int
	// IntakeID and Urgency are set when the call went to triage.
	IntakeID string
	Urgency  Urgency
	LoggedAt time.Time
	// CallbackDoneAt is when a missed call was called back (or closed) from the callback list.
	CallbackDoneAt time.Time
	// AccessBasis says on what ground the reader may see the call (see policy.ViewCall).
	AccessBasis string
}

// Call error codes. Codes beginning invalid_ are bad values of one field; the others are rules across
// fields.
const (
	EInvalidCallerType         = "invalid_caller_type"
	EInvalidContactKind        = "invalid_contact_kind"
	EInvalidNonCounsellingKind = "invalid_non_counselling_kind"
	EInvalidCallReason         = "invalid_call_reason"
	EInvalidCallOutcome        = "invalid_call_outcome"
	EInvalidCallbackSafety     = "invalid_callback_safety"
	EInvalidCallTime           = "invalid_call_time"
	// ECallEndsBeforeStart: the end time is before the start time.
	ECallEndsBeforeStart = "call_ends_before_start"
	// ECallInFuture: the call starts later than now.
	ECallInFuture = "call_in_future"
	// ECallTooLong: start and end are further apart than any real call (MaxCallDuration).
	ECallTooLong = "call_too_long"
	// ECallReasonsRequired: a counselling call needs at least one reason.
	ECallReasonsRequired = "call_reasons_required"
	// ECallReasonsNotCounselling: reasons are counted for counselling calls only.
	ECallReasonsNotCounselling = "call_reasons_not_counselling"
	// ENonCounsellingKindRequired: a non-counselling call must say what it was.
	ENonCounsellingKindRequired = "non_counselling_kind_required"
	// ECallOutcomeRequired: a counselling call must say what was done.
	ECallOutcomeRequired = "call_outcome_required"
	// ECallLinkRequired: the outcome "linked to a case" needs the person or case it was linked to.
	ECallLinkRequired = "call_link_required"
	// ECallNotDraft: the call was already logged (or missed), so it cannot be completed again.
	ECallNotDraft = "call_not_draft"
	// ECallbackNotSafe: nobody recorded that calling this number back is safe.
	ECallbackNotSafe = "callback_not_safe"
	// ENoCallerNumber: the caller's number was withheld, so there is nothing to call back.
	ENoCallerNumber = "no_caller_number"
	// ECallbackClosed: the missed call was already called back or closed.
	ECallbackClosed = "callback_closed"
)

// MaxCallDuration is the longest call the line accepts as real; anything longer is a typing mistake.
const MaxCallDuration = 12 * time.Hour
