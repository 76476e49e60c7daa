package web

import (
	"net/http"
	"net/url"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

// caseWork is the case page's sections on the work of the case: where it stands in its lifecycle and
// what happened to it, its tasks, the people in it, its notes, its documents, and its consents and
// referrals. Each section carries the case id its forms post to, and the confirmation of the last thing
// done in it (?done=…), shown in the section since the page returns there.
type caseWork struct {
	Lifecycle *lifecycleSection
	Timeline  *timelineSection
	Tasks     *tasksSection
	People    *peopleSection
	Notes     *notesSection
	Documents *documentsSection
	Referrals *referralsSection
}

// caseRecords is everything the work sections show, as the app use cases gave it to this reader. Each
// read goes through app, which decides need-to-know and audits it.
type caseRecords struct {
	k         aman.Case
	actor     aman.Actor
	history   []app.CaseEvent
	tasks     []aman.Task
	holders   []app.StaffMember
	people    []app.CasePerson
	notesPage app.NotePage
	notes     app.CaseNotes
	rights    app.NoteRights
	documents []app.Document
	consents  []app.Consent
	referrals []app.Referral
	partners  []app.PartnerOrg
	staff     app.RecordStaff
}

// loadCaseWork reads the work of case k for the signed-in person and builds its sections; nil when the
// UI was built without the case work services.
func (h *Handler) loadCaseWork(r *http.Request, k aman.Case) (*caseWork, error) {
	if !h.workWired() {
		return nil, nil
	}
	ctx := r.Context()
	_, actor, _ := session.From(ctx)
	d := caseRecords{k: k, actor: actor, rights: h.notes.Rights(actor, k), notesPage: notesPage(r)}
	for _, load := range []func() error{
		func() (err error) { d.history, err = h.cases.History(ctx, actor, k.ID); return },
		func() (err error) { d.tasks, err = h.tasks.ForCase(ctx, actor, k.ID); return },
		func() (err error) { d.holders, err = h.tasks.TaskHolders(ctx, actor, k.ID); return },
		func() (err error) { d.people, err = h.cases.People(ctx, actor, k.ID, h.beneficiaries); return },
		func() (err error) { d.notes, err = h.notes.List(ctx, actor, k.ID, d.notesPage); return },
		func() (err error) { d.documents, err = h.documents.List(ctx, actor, k.ID); return },
		func() (err error) { d.consents, err = h.referrals.Consents(ctx, actor, k.ID); return },
		func() (err error) { d.referrals, err = h.referrals.ListReferrals(ctx, actor, k.ID); return },
		func() (err error) { d.partners, err = h.partners.List(ctx, actor); return },
		func() (err error) { d.staff, err = h.cases.RecordStaff(ctx, actor, k.ID, d.mentioned()); return },
	} {
		if err := load(); err != nil {
			return nil, err
		}
	}
	names := h.staffNamer(r, d.staff)
	w := &caseWork{
		Lifecycle: h.newLifecycleSection(r, d, names),
		Timeline:  h.newTimelineSection(r, d, names),
		Tasks:     h.newTasksSection(r, d, names),
		People:    h.newPeopleSection(r, d),
		Notes:     h.newNotesSection(r, d, names),
		Documents: h.newDocumentsSection(r, d, names),
		Referrals: h.newReferralsSection(r, d, names),
	}
	w.confirm(r, h)
	return w, nil
}

// workWired tells whether the UI was built with the case work services.
func (h *Handler) workWired() bool {
	return h.tasks != nil && h.notes != nil && h.documents != nil && h.referrals != nil && h.partners != nil
}

// workOnly answers 404 on the work sections' routes in a UI built without their services.
func (h *Handler) workOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !h.workWired() {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

// mentioned lists the staff ids the records carry, for one query of their names.
func (d caseRecords) mentioned() []string {
	var ids []string
	for _, e := range d.history {
		ids = append(ids, e.ActorID)
	}
	for _, t := range d.tasks {
		ids = append(ids, t.AssigneeID, t.CreatedBy)
	}
	for _, n := range d.notes.Notes {
		ids = append(ids, n.AuthorID)
		for _, a := range n.Amendments {
			ids = append(ids, a.AuthorID)
		}
	}
	for _, doc := range d.documents {
		ids = append(ids, doc.UploadedBy)
	}
	for _, c := range d.consents {
		ids = append(ids, c.ObtainedBy)
	}
	var out []string
	seen := map[string]bool{"": true}
	for _, id := range ids {
		if !seen[id] && !strings.HasPrefix(id, systemActorPrefix) {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// systemActorPrefix starts the ids of aman.System actors: work nobody asked for in person.
const systemActorPrefix = "system:"

// staffNamer names a member of staff by id, in the page's language for the system.
func (h *Handler) staffNamer(r *http.Request, staff app.RecordStaff) func(id string) string {
	system := h.bundle.T(langOf(r), "case.actor.system")
	return func(id string) string {
		if strings.HasPrefix(id, systemActorPrefix) {
			return system
		}
		if m, ok := staff.Names[id]; ok {
			return m.DisplayName
		}
		return id
	}
}

// What a successful post on a work section reports after its redirect, as ?done=…, and the section
// that confirms it. The value names the action only, so the address carries no personal data.
const (
	doneMoved           = "moved"
	doneSubmitted       = "submitted"
	doneReopened        = "reopened"
	doneClosed          = "closed"
	doneApproved        = "approved"
	doneRejected        = "rejected"
	donePriority        = "priority"
	doneTaskAdded       = "task_added"
	doneTaskDone        = "task_done"
	donePersonAdded     = "person_added"
	doneNoteAdded       = "note_added"
	doneNoteEdited      = "note_edited"
	doneNoteAmended     = "note_amended"
	doneDocumentAdded   = "document_added"
	doneConsentRecorded = "consent_recorded"
	doneReferralSent    = "referral_sent"
	doneReferralUpdated = "referral_updated"
)

// confirm puts the confirmation of the request's ?done= in the section it belongs to.
func (w *caseWork) confirm(r *http.Request, h *Handler) {
	done := r.URL.Query().Get("done")
	var notice *string
	switch done {
	case doneMoved, doneSubmitted, doneReopened, doneClosed, doneApproved, doneRejected, donePriority:
		notice = &w.Lifecycle.Notice
	case doneTaskAdded, doneTaskDone:
		notice = &w.Tasks.Notice
	case donePersonAdded:
		notice = &w.People.Notice
	case doneNoteAdded, doneNoteEdited, doneNoteAmended:
		notice = &w.Notes.Notice
	case doneDocumentAdded:
		notice = &w.Documents.Notice
	case doneConsentRecorded, doneReferralSent, doneReferralUpdated:
		notice = &w.Referrals.Notice
	default:
		return
	}
	*notice = h.bundle.T(langOf(r), "case.done."+done)
}

// Anchors of the work sections: forms post to their section's anchor, so both the confirmation after
// the redirect (which keeps the fragment) and a form shown again with its problems open where the
// person was working, not at the top of a long page.
const (
	anchorLifecycle = "case-lifecycle"
	anchorTasks     = "case-tasks"
	anchorPeople    = "case-people"
	anchorNotes     = "case-notes"
	anchorDocuments = "case-documents"
	anchorReferrals = "case-referrals"
)

// casePath is the case page of id.
func casePath(id string) string { return "/cases/" + url.PathEscape(id) }

// redirectToCase ends a successful post on a work section: 303 to the case page with its confirmation.
func redirectToCase(w http.ResponseWriter, r *http.Request, done string) {
	redirectDone(w, r, casePath(r.PathValue("id")), done)
}

// showCaseProblem answers a refused post on a work section. A problem with what was typed (422, 409)
// brings the case page back with the form as it was sent, its problems beside its fields: fill puts the
// form into its section and reports false when the section no longer offers it (the right to use it
// went away meanwhile), in which case, as for any other refusal, the error page answers.
func (h *Handler) showCaseProblem(w http.ResponseWriter, r *http.Request, err error, fill func(work *caseWork, state formState) bool) {
	state, ok := h.formProblem(r, err)
	if !ok {
		h.Errors(w, r, err)
		return
	}
	h.showCaseWith(w, r, statusOf(err), func(work *caseWork) bool { return fill(work, state) }, err)
}

// showCaseWith renders the case page after a post, with change applied to its work sections: a form
// shown again, or search results. The page is answered as the case page itself, so that its language
// switch leads there and not to the address of the post. refusal is the error to show when change
// finds nothing to change.
func (h *Handler) showCaseWith(w http.ResponseWriter, r *http.Request, status int, change func(work *caseWork) bool, refusal error) {
	view, err := h.casePage(r, nil)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if view.Work == nil || !change(view.Work) {
		h.Errors(w, r, refusal)
		return
	}
	page := r.Clone(r.Context())
	page.URL = &url.URL{Path: casePath(view.ID), RawQuery: r.URL.RawQuery}
	h.show(w, page, status, viewCase, "case.title", view)
}
