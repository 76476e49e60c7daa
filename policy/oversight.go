package policy

import "aman.qa/aman"

// ViewReferralStatus decides whether actor may see the status of a referral made by the partner
// organisation referralOrgID. A partner sees only its own organisation's referrals; a partner account
// with no organisation, or a referral with none, matches nothing. Centre staff who triage (supervisors
// and case staff) see every referral's status, since incoming referrals are triage items.
func ViewReferralStatus(actor aman.Actor, referralOrgID string) bool {
	if !identified(actor) {
		return false
	}
	if Allows(actor.Role, ReferralViewOwn) {
		return actor.OrgID != "" && actor.OrgID == referralOrgID
	}
	return Allows(actor.Role, TriageAct)
}

// ViewAuditLog decides whether actor may read the audit log: auditors only (see AuditRead in Allows).
func ViewAuditLog(actor aman.Actor) bool {
	return identified(actor) && Allows(actor.Role, AuditRead)
}

// ViewAggregates decides whether actor may see statistics: counts that identify no one.
func ViewAggregates(actor aman.Actor) bool {
	return identified(actor) && Allows(actor.Role, StatsView)
}
