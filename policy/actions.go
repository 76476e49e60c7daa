package policy

import (
	"slices"

	"aman.qa/aman"
)

// Action is something a route lets a person do. Routes name exactly one Action; the router asks Allows
// before the handler runs. The string is stable: it appears in audit entries and in tests.
type Action string

const (
	// SessionSelf is the signed-in person's own profile, password, second factor and sign-out.
	SessionSelf Action = "session.self"
	// UsersManage creates, disables and enables accounts, resets second factors, and assigns roles and
	// units.
	UsersManage    Action = "users.manage"
	SettingsManage Action = "settings.manage"
	KeysRotate     Action = "keys.rotate"
	AuditRead      Action = "audit.read"
	AuditExport    Action = "audit.export"
	// StatsView is aggregates only: counts that identify no one.
	StatsView Action = "stats.view"

	BeneficiarySearch Action = "beneficiary.search"
	BeneficiaryCreate Action = "beneficiary.create"
	BeneficiaryView   Action = "beneficiary.view"
	BeneficiaryMerge  Action = "beneficiary.merge"

	CaseCreate Action = "case.create"
	CaseView   Action = "case.view"
	CaseEdit   Action = "case.edit"
	CaseAssign Action = "case.assign"
	// CaseApprove covers a supervisor's decisions on a case: care-plan and closure approvals, reopening
	// a closed case, and setting its priority.
	CaseApprove    Action = "case.approve"
	CaseBreakGlass Action = "case.break_glass"

	NoteWrite Action = "note.write"
	// AssessmentScore runs a risk instrument or the incident classifier on answers the caller supplies;
	// it reads and stores nothing.
	AssessmentScore  Action = "assessment.score"
	DocumentUpload   Action = "document.upload"
	DocumentDownload Action = "document.download"

	// CallLog, CallView, CallList and CallbackList are the hotline desk. CallView opens one call (the
	// record-level rule is ViewCall); CallList is the shift view of the line.
	CallLog      Action = "call.log"
	CallView     Action = "call.view"
	CallList     Action = "call.list"
	CallbackList Action = "callback.list"

	TriageView         Action = "triage.view"
	TriageAct          Action = "triage.act"
	ConsultationAnswer Action = "consultation.answer"

	// ReferralCreate is the partner desk sending a case in; ReferralViewOwn is that desk following its
	// own referrals; ReferralOut is the centre sending a case to a partner.
	ReferralCreate  Action = "referral.create"
	ReferralViewOwn Action = "referral.view_own"
	ReferralOut     Action = "referral.out"

	ShelterManage  Action = "shelter.manage"
	LegalManage    Action = "legal.manage"
	ProgramManage  Action = "program.manage"
	CampaignManage Action = "campaign.manage"
	PartnerManage  Action = "partner.manage"

	// DashboardView is the home page. What it shows is filtered by the other actions, so every role
	// has one.
	DashboardView Action = "dashboard.view"
)

// Actions lists every action, grouped as screens group them. A new action must be added here and given
// to at least one role in Allows; the tests fail until both are done.
func Actions() []Action {
	return []Action{
		SessionSelf, DashboardView,
		UsersManage, SettingsManage, KeysRotate,
		AuditRead, AuditExport, StatsView,
		BeneficiarySearch, BeneficiaryCreate, BeneficiaryView, BeneficiaryMerge,
		CaseCreate, CaseView, CaseEdit, CaseAssign, CaseApprove, CaseBreakGlass,
		NoteWrite, AssessmentScore, DocumentUpload, DocumentDownload,
		CallLog, CallView, CallList, CallbackList,
		TriageView, TriageAct, ConsultationAnswer,
		ReferralCreate, ReferralViewOwn, ReferralOut,
		ShelterManage, LegalManage, ProgramManage, CampaignManage, PartnerManage,
	}
}

// Valid tells whether a is one of the actions.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// Allows tells whether a role may perform an action at all. It is the route-level check; record-level
// need-to-know (which case, which note) is decided by ViewCase, EditCase and ReadNote on top of it.
//
// The switch is written per action ("who may do this?") while the test spells the matrix per role
// ("what may this role do?"), so one mistake cannot hide in both. Any action not named here, and any
// role that is not valid, is refused.
func Allows(role aman.Role, a Action) bool {
	if !role.Valid() {
		return false
	}
	switch a {
	case SessionSelf, DashboardView:
		return true

	// Separation of duties: the administrator runs the system and reads no case content, so these three
	// are the admin's alone and the admin holds nothing below them.
	case UsersManage, SettingsManage, KeysRotate:
		return role == aman.RoleAdmin

	// Who saw what is itself sensitive (it names cases and people), so only the auditor reads or exports
	// it. Supervisors get alerts about break-glass from the app, not the log.
	case AuditRead, AuditExport:
		return role == aman.RoleAuditor

	// Aggregates identify no one. Supervisors need caseloads and overdue counts; awareness officers
	// need reach figures for campaigns.
	case StatsView:
		return oneOf(role, aman.RoleAnalyst, aman.RoleSupervisor, aman.RoleAwarenessOfficer)

	// The hotline searches so that it knows at once whether a caller is already known, and creates so
	// that a new caller is recorded once; it does not open the beneficiary's profile. The shelter
	// looks residents up and reads their profile but admits them through a case, never creates them.
	case BeneficiarySearch:
		return oneOf(role, aman.RoleHotlineOperator, aman.RoleShelterOfficer) || caseStaffOrSupervisor(role)
	case BeneficiaryCreate:
		return role == aman.RoleHotlineOperator || caseStaffOrSupervisor(role)
	case BeneficiaryView:
		return role == aman.RoleShelterOfficer || caseStaffOrSupervisor(role)
	// Merging two beneficiaries joins two histories, and can show one person's file to the other's
	// team; it is supervisors' work, not case staff's, although case staff otherwise hold beneficiary.*.
	case BeneficiaryMerge:
		return role == aman.RoleSupervisor

	case CaseCreate, CaseEdit:
		return caseStaffOrSupervisor(role)
	// The shelter reads the case of a resident (risk, plan) and writes notes and documents on it, but
	// does not change the case itself. Every role that may view a case may also ask for break-glass:
	// anyone whose work touches cases can meet an emergency on a case not theirs.
	// The hotline's quick risk screen uses the same instruments as case staff; scoring stores nothing.
	case AssessmentScore:
		return oneOf(role, aman.RoleHotlineOperator, aman.RoleShelterOfficer) || caseStaffOrSupervisor(role)
	case CaseView, CaseBreakGlass, NoteWrite, DocumentUpload, DocumentDownload:
		return role == aman.RoleShelterOfficer || caseStaffOrSupervisor(role)
	case CaseAssign, CaseApprove:
		return role == aman.RoleSupervisor

	// Calls are logged by the operator who took them, so the hotline figures count operators' work.
	// Supervisors oversee the line (escalations, overdue callbacks) but do not log calls: a supervisor
	// who takes calls does so with a hotline account.
	case CallLog:
		return role == aman.RoleHotlineOperator
	case CallList, CallbackList:
		return oneOf(role, aman.RoleHotlineOperator, aman.RoleSupervisor)
	// Case staff open a call only when it is linked to a case they may see (ViewCall decides); they have
	// no list of calls.
	case CallView:
		return role == aman.RoleHotlineOperator || caseStaffOrSupervisor(role)

	// The hotline sees the queue, because it escalates into it, but does not take items from it: taking
	// an item means taking the case work that follows.
	case TriageView:
		return role == aman.RoleHotlineOperator || caseStaffOrSupervisor(role)
	// Consultations (Shawirni) are psychological, social, legal or family questions; triage routes each
	// to the right discipline, so all case staff and supervisors may answer.
	case TriageAct, ConsultationAnswer, ReferralOut:
		return caseStaffOrSupervisor(role)

	// Partners refer in and follow their own referrals, and nothing else. Centre staff record an
	// incoming referral through triage, so referral.create stays the partner desk's.
	case ReferralCreate, ReferralViewOwn:
		return role == aman.RolePartner

	case ShelterManage:
		return oneOf(role, aman.RoleShelterOfficer, aman.RoleSupervisor)
	case LegalManage:
		return oneOf(role, aman.RoleLegalOfficer, aman.RoleSupervisor)
	case ProgramManage:
		return role == aman.RoleSupervisor
	// Campaigns are the prevention pillar and belong to awareness officers; supervisors run the case
	// side and are not given them.
	case CampaignManage:
		return role == aman.RoleAwarenessOfficer
	// Partners and agreements serve both referrals (supervisors) and joint awareness work.
	case PartnerManage:
		return oneOf(role, aman.RoleAwarenessOfficer, aman.RoleSupervisor)
	}
	return false
}

// Require is Allows for callers that return errors: nil, or a coded forbidden error. An actor with no
// user id is refused, because every permitted act must be attributable in the audit.
func Require(actor aman.Actor, a Action) error {
	if identified(actor) && Allows(actor.Role, a) {
		return nil
	}
	// The cause names a role and an action only: no personal data, as aman.Error requires.
	return aman.Errorf(aman.EForbidden, "role %q may not %s", actor.Role, a)
}

// Permitted lists the actions a role may perform, in Actions order: what the UI needs to draw a menu.
func Permitted(role aman.Role) []Action {
	var out []Action
	for _, a := range Actions() {
		if Allows(role, a) {
			out = append(out, a)
		}
	}
	return out
}

// caseStaffOrSupervisor is the case-carrying roles (case workers, psychologists, legal officers) and the
// supervisors above them: the people who do the centre's case work.
func caseStaffOrSupervisor(role aman.Role) bool {
	return oneOf(role, aman.RoleSupervisor, aman.RoleCaseWorker, aman.RolePsychologist, aman.RoleLegalOfficer)
}

func oneOf(role aman.Role, roles ...aman.Role) bool { return slices.Contains(roles, role) }

// identified tells whether an actor is a person the audit can name. An empty id must never match an
// empty field of a record (an unassigned case, say), so every record-level rule checks this first.
func identified(actor aman.Actor) bool { return actor.UserID != "" }
