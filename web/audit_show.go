package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
)

const viewAuditTrail = "audit_trail"

// auditView is the auditor's page: the filter, and the entries it selects, newest first.
type auditView struct {
	Filter   auditFilter
	Entities []string
	Actions  []string
	formState
	// Shown is false when the filter could not be used, so the page shows the form and its problems only.
	Shown     bool
	Rows      []auditRow
	OlderURL  string
	NewestURL string
	ExportURL string
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	// Seq is the entry's place in the chain, the number `aman audit verify` reports.
	Seq       int64
	At        shownTime
	Actor     string
	ActorURL  string
	RoleKey   string
	Action    string
	Entity    string
	EntityID  string
	EntityURL string
	IP        string
	RequestID string
	Detail    string
	// BreakGlass entries carry a badge so they stand out (DESIGN.md §4).
	BreakGlass bool
	// Reason is the opened break-glass reason; ReasonSealed says one is stored but was not opened.
	Reason       string
	ReasonSealed bool
}

// showAuditTrail answers the filter form. Break-glass reasons stay sealed unless the auditor ticks the
// box that opens them, and the trail records that they did (app.AuditTrail.Search), because a reason
// may name the people in a case.
func (h *Handler) showAuditTrail(w http.ResponseWriter, r *http.Request) {
	actor, filter, q, ok := h.readAuditRequest(w, r)
	if !ok {
		return
	}
	view := h.newAuditView(filter)
	page, err := h.trail.Search(r.Context(), actor, q)
	if err != nil {
		h.showAuditProblem(w, r, view, err)
		return
	}
	view.Shown = true
	if policy.Allows(actor.Role, policy.AuditExport) {
		view.ExportURL = filter.link("/audit/export.csv")
	}
	if page.Older != 0 {
		view.OlderURL = filter.link("/audit", paramBefore, strconv.FormatInt(page.Older, 10))
	}
	if q.BeforeSeq != 0 {
		view.NewestURL = filter.link("/audit")
	}
	for _, e := range page.Entries {
		view.Rows = append(view.Rows, h.newAuditRow(e, page.Usernames))
	}
	h.show(w, r, http.StatusOK, viewAuditTrail, "audit.title", view)
}

func (h *Handler) newAuditView(filter auditFilter) auditView {
	return auditView{Filter: filter, Entities: knownEntities(), Actions: knownActions()}
}

// showAuditProblem shows the filter again with the trail's objection to it (an unknown user, a period
// that ends before it starts), or the error page when the problem is not the filter's.
func (h *Handler) showAuditProblem(w http.ResponseWriter, r *http.Request, view auditView, err error) {
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	view.formState = state
	h.show(w, r, statusOf(err), viewAuditTrail, "audit.title", view)
}

// newAuditRow describes e. The actor is named by username where they have an account, by their id
// otherwise (a system actor such as "system:cli"); links filter the trail by that actor and that record.
func (h *Handler) newAuditRow(e audit.Entry, usernames map[string]string) auditRow {
	row := auditRow{
		Seq: e.Seq, At: showTime(e.At, h.zone), Action: e.Action, Entity: e.Entity, EntityID: e.EntityID, IP: e.IP, RequestID: e.RequestID,
		BreakGlass: e.BreakGlass, Reason: e.Reason, ReasonSealed: e.HasReason && e.Reason == "",
	}
	if e.ActorID != "" {
		row.Actor = e.ActorID
		if name, ok := usernames[e.ActorID]; ok {
			row.Actor = name
		}
		row.ActorURL = auditFilter{Actor: e.ActorID}.link("/audit")
	}
	if e.ActorRole.Valid() {
		row.RoleKey = "role." + string(e.ActorRole)
	}
	if e.Entity != "" && e.EntityID != "" {
		row.EntityURL = auditFilter{EntityType: e.Entity, EntityID: e.EntityID}.link("/audit")
	}
	row.Detail = detailText(e.Detail)
	return row
}

// detailText writes an entry's facts as "key: value" pairs in key order. They are vocabulary and ids
// (role_from: case_worker), so they are shown as stored rather than translated.
func detailText(detail map[string]string) string {
	keys := make([]string, 0, len(detail))
	for k := range detail {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = append(pairs, k+": "+detail[k])
	}
	return strings.Join(pairs, ", ")
}
