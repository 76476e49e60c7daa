package app

import "slices"

// The vocabularies case screens offer, in the order forms show them. Each is the list the matching use
// case checks against, so a form never offers a choice the app would refuse.

// PersonRoles lists the roles a person can be added to a case with (AddPerson).
func PersonRoles() []string { return []string{PersonHousehold, PersonGuardian, PersonPerpetrator} }

// Relationships lists the relationships to the primary beneficiary that AddPerson accepts for role;
// none for an unknown role.
func Relationships(role string) []string { return slices.Clone(relationships(role)) }

// ConsentKinds lists the kinds of consent RecordConsent accepts.
func ConsentKinds() []string { return []string{ConsentServices, ConsentSharing, ConsentStatistics} }

// ReferralStatuses lists every status of a referral out, in the order a referral moves through them.
func ReferralStatuses() []string {
	return []string{ReferralSent, ReferralAccepted, ReferralDeclined, ReferralCompleted}
}

// NextReferralStatuses lists the statuses a referral may move to from current (UpdateReferral): a
// partner accepts or declines what was sent, and completes or, after all, declines what it accepted.
// Declined and completed are final.
func NextReferralStatuses(current string) []string {
	switch current {
	case ReferralSent:
		return []string{ReferralAccepted, ReferralDeclined}
	case ReferralAccepted:
		return []string{ReferralCompleted, ReferralDeclined}
	}
	return nil
}
