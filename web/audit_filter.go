package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/session"
)

// auditFilter is the auditor's filter as typed. It travels in the query string (the form is a GET), so
// a search can be bookmarked, paged and exported with the same selection; it holds identifiers and
// dates, never a name from a case.
type auditFilter struct {
	EntityType     string
	EntityID       string
	Actor          string
	Action         string
	From           string
	To             string
	BreakGlassOnly bool
	OpenReasons    bool
}

// Query string names of the filter, shared by the form, its links and the parser.
const (
	paramEntityType = "entity_type"
	paramEntityID   = "entity_id"
	paramActor      = "actor"
	paramAction     = "action"
	paramFrom       = "from"
	paramTo         = "to"
	paramBreakGlass = "break_glass"
	paramReasons    = "reasons"
	paramBefore     = "before"
)

// readAuditFilter reads the filter from r's query string.
func readAuditFilter(r *http.Request) auditFilter {
	q := r.URL.Query()
	return auditFilter{
		EntityType:     q.Get(paramEntityType),
		EntityID:       q.Get(paramEntityID),
		Actor:          q.Get(paramActor),
		Action:         q.Get(paramAction),
		From:           q.Get(paramFrom),
		To:             q.Get(paramTo),
		BreakGlassOnly: q.Get(paramBreakGlass) != "",
		OpenReasons:    q.Get(paramReasons) != "",
	}
}

// values is the filter as a query string, without its empty fields.
func (f auditFilter) values() url.Values {
	v := url.Values{}
	for name, value := range map[string]string{
		paramEntityType: f.EntityType, paramEntityID: f.EntityID, paramActor: f.Actor, paramAction: f.Action,
		paramFrom: f.From, paramTo: f.To,
	} {
		if value != "" {
			v.Set(name, value)
		}
	}
	if f.BreakGlassOnly {
		v.Set(paramBreakGlass, "1")
	}
	if f.OpenReasons {
		v.Set(paramReasons, "1")
	}
	return v
}

// link is path with the filter, and with the extra parameters (name, value pairs) set on top.
func (f auditFilter) link(path string, extra ...string) string {
	v := f.values()
	for i := 0; i+1 < len(extra); i += 2 {
		v.Set(extra[i], extra[i+1])
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// readAuditRequest reads the filter of an audit page or export and the auditor asking. When the filter
// cannot be used it has already answered, with the form and the days that did not parse, and ok is
// false; so it has when cmd did not wire the trail, with a server error (logged with the request id)
// rather than a nil dereference.
func (h *Handler) readAuditRequest(w http.ResponseWriter, r *http.Request) (actor aman.Actor, filter auditFilter, q app.AuditQuery, ok bool) {
	if h.trail == nil {
		h.Errors(w, r, errors.New("web: Config.Trail is not set"))
		return actor, filter, q, false
	}
	_, actor, _ = session.From(r.Context())
	filter = readAuditFilter(r)
	q, problems := h.auditQuery(r, filter)
	if problems != nil {
		view := h.newAuditView(filter)
		view.Errors = problems
		h.show(w, r, http.StatusUnprocessableEntity, viewAuditTrail, "audit.title", view)
		return actor, filter, q, false
	}
	return actor, filter, q, true
}

// auditQuery turns the typed filter into the trail's query. Days are the centre's calendar days: "to"
// includes its whole day, so the bound is the start of the next. Every day that does not parse is
// reported at once, each on its field.
func (h *Handler) auditQuery(r *http.Request, f auditFilter) (app.AuditQuery, fieldErrors) {
	q := app.AuditQuery{Actor: f.Actor, Filter: audit.Filter{
		EntityType: f.EntityType, EntityID: f.EntityID, Action: f.Action,
		BreakGlassOnly: f.BreakGlassOnly, OpenReasons: f.OpenReasons,
	}}
	problems := fieldErrors{}
	var err error
	if q.From, err = parseDay(f.From, h.zone, paramFrom); err != nil {
		problems[paramFrom] = h.bundle.T(langOf(r), aman.ErrorCode(err))
	}
	if q.To, err = parseDay(f.To, h.zone, paramTo); err != nil {
		problems[paramTo] = h.bundle.T(langOf(r), aman.ErrorCode(err))
	} else if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1)
	}
	// A cursor is only ever written by the "older entries" link; one that does not parse starts again
	// from the newest rather than failing a page the auditor did not type.
	if before, err := strconv.ParseInt(r.URL.Query().Get(paramBefore), 10, 64); err == nil && before > 0 {
		q.BeforeSeq = before
	}
	if len(problems) > 0 {
		return q, problems
	}
	return q, nil
}

// knownEntities and knownActions are the suggestions the filter offers; the auditor may type others,
// since every module adds its own.
func knownEntities() []string {
	return []string{audit.EntityCase, audit.EntityBeneficiary, audit.EntityUser, "unit", "audit_log"}
}

func knownActions() []string {
	return []string{
		audit.ActionCaseRead, audit.ActionCaseUpdate, audit.ActionBreakGlass, audit.ActionExportCSV, app.ActionAuditReasonsOpen,
		audit.ActionSignIn, audit.ActionSignInFailed, audit.ActionLocked, "auth.sign_out",
		audit.ActionUserCreate, audit.ActionUserRoleChange, "user.email_change", "user.disable", "user.enable", "user.reset_2fa", "unit.create",
		audit.ActionKeysRotate,
	}
}
