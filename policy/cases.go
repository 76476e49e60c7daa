package policy

import (
	"slices"
	"time"

	"aman.qa/aman"
)

// BreakGlassDuration is how long a break-glass grant lasts. The reason, the alert to supervisors and
// the audit entry are the app layer's; this package only honours a grant while it is live.
const BreakGlassDuration = time.Hour

// grantClockSkew is how far the clock of the node that issued a grant may run ahead of the node that
// judges it. A grant that ends later than BreakGlassDuration plus this from now was not issued by the
// rules, so it is ignored rather than honoured for hours.
const grantClockSkew = time.Minute

// EBreakGlassRequired is the code of a refusal that break-glass would lift: the UI offers the reason
// form instead of a plain "forbidden".
const EBreakGlassRequired = "break_glass_required"

// The bases on which a case is open to someone. The app layer writes the basis into the audit entry of
// the read, so a break-glass read stands out.
const (
	BasisAssigned       = "assigned"
	BasisTeam           = "team"
	BasisUnitSupervisor = "unit_supervisor"
	BasisBreakGlass     = "break_glass"
)

// CaseFacts is what the policy needs to know about one case. The app layer loads it; nothing in it is
// sealed.
type CaseFacts struct {
	UnitID           string   // the case's unit
	AssignedWorkerID string   // empty while unassigned
	TeamUserIDs      []string // the case team, besides the assigned worker
	// ReferringOrgID is the partner organisation that referred the case, if any. No rule reads it on
	// purpose: a partner never sees case content, not even of a case it referred; it follows the
	// referral through ViewReferralStatus instead. It is here so callers pass the whole picture and a
	// reader sees the question was considered.
	ReferringOrgID string
	Closed         bool
}

// Grant is a break-glass grant of one user on the case being judged. The app layer passes the grants
// of that case only.
type Grant struct {
	UserID    string
	ExpiresAt time.Time
}

// Active tells whether the grant is live at now: before its end, and not ending later than a grant
// issued now could (see grantClockSkew).
func (g Grant) Active(now time.Time) bool {
	return now.Before(g.ExpiresAt) && !g.ExpiresAt.After(now.Add(BreakGlassDuration+grantClockSkew))
}

// Decision is the answer about one case. The zero Decision is a refusal.
type Decision struct {
	Allowed bool
	// Basis says why access is allowed: one of the Basis constants, or "" when refused.
	Basis string
	// Code says why access is refused: aman.EForbidden or EBreakGlassRequired; "" when allowed.
	Code string
}

// Err is the decision as a coded error: nil when allowed. A refusal without a code is forbidden, so a
// zero Decision never turns into success.
func (d Decision) Err() error {
	if d.Allowed {
		return nil
	}
	code := d.Code
	if code == "" {
		code = aman.EForbidden
	}
	return &aman.Error{Code: code}
}

func allow(basis string) Decision { return Decision{Allowed: true, Basis: basis} }
func deny(code string) Decision   { return Decision{Code: code} }

// ViewCase decides whether actor may read a case. A case is open to its assigned worker, its team, and
// the supervisors of its unit. Anyone else whose role may view cases needs a live break-glass grant, and
// is told so with EBreakGlassRequired. Roles that may not view cases (admin, auditor, analyst, partner,
// awareness officer, hotline operator) are forbidden even if a grant exists, because a grant cannot
// widen a role: it may predate a change of role.
//
// A closed case stays readable on the same terms.
func ViewCase(actor aman.Actor, c CaseFacts, grants []Grant, now time.Time) Decision {
	if !identified(actor) || !Allows(actor.Role, CaseView) {
		return deny(aman.EForbidden)
	}
	if basis := standingBasis(actor, c); basis != "" {
		return allow(basis)
	}
	if !CanBreakGlass(actor) {
		return deny(aman.EForbidden)
	}
	if hasActiveGrant(actor, grants, now) {
		return allow(BasisBreakGlass)
	}
	return deny(EBreakGlassRequired)
}

// EditCase decides whether actor may change a case. The terms are ViewCase's, for the roles that may
// edit cases. Break-glass opens editing too: it exists for emergencies, where the person who broke the
// glass may have to record the danger or change the plan at once, and the audit marks every such write.
//
// A closed case is read-only, except to those who approve closures (supervisors): they may reopen it,
// and only on a case they could view.
func EditCase(actor aman.Actor, c CaseFacts, grants []Grant, now time.Time) Decision {
	if !identified(actor) || !Allows(actor.Role, CaseEdit) {
		return deny(aman.EForbidden)
	}
	if c.Closed && !Allows(actor.Role, CaseApprove) {
		// Break-glass would not help, so the UI must not offer it.
		return deny(aman.EForbidden)
	}
	return ViewCase(actor, c, grants, now)
}

// CanBreakGlass tells whether actor may ask for break-glass access: an identified person whose role has
// case.break_glass.
func CanBreakGlass(actor aman.Actor) bool {
	return identified(actor) && Allows(actor.Role, CaseBreakGlass)
}

// standingBasis is the basis on which a case is open to actor without break-glass, or "". The first
// basis that applies wins, most personal first, so the audit records the closest tie.
func standingBasis(actor aman.Actor, c CaseFacts) string {
	switch {
	case actor.UserID == c.AssignedWorkerID:
		return BasisAssigned
	case slices.Contains(c.TeamUserIDs, actor.UserID):
		return BasisTeam
	// A supervisor with no unit, or a case with no unit, matches nothing: two empty strings are not
	// the same unit.
	case actor.Role == aman.RoleSupervisor && actor.UnitID != "" && actor.UnitID == c.UnitID:
		return BasisUnitSupervisor
	}
	return ""
}

func hasActiveGrant(actor aman.Actor, grants []Grant, now time.Time) bool {
	return slices.ContainsFunc(grants, func(g Grant) bool {
		return g.UserID == actor.UserID && g.Active(now)
	})
}
