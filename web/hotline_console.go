package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/session"
)

const viewHotlineConsole = "hotline_console"

// hotlineConsoleView is the one screen a call is logged on: the call's choices in keyboard order, the
// caller search beside them, and the drafts the telephone system opened for this operator.
type hotlineConsoleView struct {
	formState
	Notice string
	// Fresh marks a blank console: static/js/hotline.js stamps the start time at the first key pressed,
	// since the console may have waited a long time since the last call.
	Fresh bool
	// DraftID and Draft are the telephone system's call being completed, if any.
	DraftID string
	Draft   *hotlineCallRow
	Drafts  []hotlineCallRow

	CallerTypes []hotlineChoice
	Contacts    []hotlineChoice
	Reasons     []hotlineChoice
	Risks       []hotlineChoice
	Outcomes    []hotlineChoice
	Safety      []hotlineChoice

	Summary      string
	MaxSummary   int
	CallerNumber string
	StartedAt    string
	EndedAt      string

	// The caller search: what was searched, and the people found, one of whom the call may be linked to.
	Query     string
	SearchedQ string
	Searched  bool
	People    []hotlinePerson
	// LinkedID keeps a person chosen from an earlier search that the present results do not show.
	LinkedID string
	// Chosen is the person the call is linked to so far, "" for nobody.
	Chosen    string
	KeySearch string
}

// hotlinePerson is one person the call may be linked to.
type hotlinePerson struct {
	ID      string
	NameAR  string
	NameEN  string
	Exact   bool
	Checked bool
}

// doneCallLogged is the ?done= of the console after a call is logged.
const doneCallLogged = "logged"

func (h *Handler) newConsole(r *http.Request, typed hotlineTyped) hotlineConsoleView {
	v := hotlineConsoleView{MaxSummary: app.MaxCallSummary, KeySearch: hotlineKeySearch, DraftID: typed.DraftID, Summary: typed.Summary,
		CallerNumber: typed.CallerNumber, StartedAt: typed.StartedAt, EndedAt: typed.EndedAt, Query: typed.Query, SearchedQ: typed.SearchedQ,
		Chosen: typed.Beneficiary}
	h.consoleChoices(langOf(r), typed, &v)
	return v
}

// showConsole opens the console: blank and ready for the next call, or (?draft=) filled with what the
// telephone system knows of a call this operator answered.
func (h *Handler) showConsole(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	typed := hotlineTyped{DraftID: r.URL.Query().Get("draft")}
	v := h.newConsole(r, typed)
	if typed.DraftID == "" {
		v.Fresh, v.StartedAt = true, hotlineLocalValue(h.now(), h.zone)
		v.Notice = h.loggedNotice(r)
	}
	if err := h.fillConsole(r, actor, typed, &v, true); err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewHotlineConsole, "hotline.title", v)
}

// fillConsole adds what the console shows besides the form: the draft being completed (its times
// filling the form when opened), the known people for its number, and the other drafts waiting.
func (h *Handler) fillConsole(r *http.Request, actor aman.Actor, typed hotlineTyped, v *hotlineConsoleView, opening bool) error {
	lang := langOf(r)
	if typed.DraftID != "" {
		draft, known, err := h.calls.Draft(r.Context(), actor, typed.DraftID)
		if err != nil {
			return err
		}
		row := h.newHotlineCallRow(lang, draft)
		v.Draft = &row
		if opening {
			v.StartedAt, v.EndedAt = hotlineLocalValue(draft.StartedAt, h.zone), hotlineLocalValue(draft.EndedAt, h.zone)
		}
		for _, m := range known {
			v.People = append(v.People, hotlinePerson{ID: m.ID, NameAR: m.NameAR, NameEN: m.NameEN, Exact: true, Checked: typed.Beneficiary == m.ID})
		}
		return nil
	}
	drafts, err := h.calls.Drafts(r.Context(), actor)
	if err != nil {
		return err
	}
	for _, d := range drafts {
		v.Drafts = append(v.Drafts, h.newHotlineCallRow(lang, d))
	}
	return nil
}

// loggedNotice confirms the call just logged, with what the operator should know about it: how often
// the number has called before and whether it went to triage. The redirect carries only those counts
// and codes, never anything the caller said.
func (h *Handler) loggedNotice(r *http.Request) string {
	q := r.URL.Query()
	if q.Get("done") != doneCallLogged {
		return ""
	}
	lang := langOf(r)
	notice := h.bundle.T(lang, "hotline.done.logged")
	if n, err := strconv.Atoi(q.Get("repeat")); err == nil && n > 0 {
		notice += " " + h.bundle.N(lang, "hotline.done.repeat", n)
	}
	if u := aman.Urgency(q.Get("urgency")); u.Valid() {
		notice += " " + h.bundle.T(lang, "hotline.done.triage", "urgency", h.bundle.T(lang, "call.urgency."+string(u)))
	}
	return notice
}

// postConsole logs the call, or searches for the caller: the search button says search, the log button
// (or Ctrl+Enter) says log, and Enter pressed anywhere else searches only when the search box holds
// something not yet searched, so a finished form is never held up by a stale search text.
func (h *Handler) postConsole(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	typed := readHotlineForm(r)
	intent := formValue(r, "intent")
	if intent == "search" || (intent != "log" && typed.Query != "" && typed.Query != typed.SearchedQ) {
		h.searchFromConsole(w, r, actor, typed)
		return
	}
	call, err := h.calls.Log(r.Context(), actor, typed.input(h.zone))
	if err != nil {
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		v := h.newConsole(r, typed)
		v.formState = state
		h.rerenderConsole(w, r, actor, typed, &v, statusOf(err))
		return
	}
	done := url.Values{"done": {doneCallLogged}}
	if call.RepeatCalls > 0 {
		done.Set("repeat", strconv.Itoa(call.RepeatCalls))
	}
	if call.Urgency != "" {
		done.Set("urgency", string(call.Urgency))
	}
	http.Redirect(w, r, "/hotline?"+done.Encode(), http.StatusSeeOther)
}

// searchFromConsole runs the caller search and shows the console again with everything typed kept.
func (h *Handler) searchFromConsole(w http.ResponseWriter, r *http.Request, actor aman.Actor, typed hotlineTyped) {
	v := h.newConsole(r, typed)
	v.SearchedQ = typed.Query
	matches, err := h.beneficiaries.Search(r.Context(), actor, typed.Query)
	status := http.StatusOK
	if err != nil {
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		v.formState, v.SearchedQ, status = state, "", statusOf(err)
	}
	v.Searched = err == nil
	h.addPeople(&v, matches, typed.Beneficiary)
	h.rerenderConsole(w, r, actor, typed, &v, status)
}

// rerenderConsole shows a posted console again: with the draft it completes, and the results of the
// search already run (searched again, so the person chosen is still on screen).
func (h *Handler) rerenderConsole(w http.ResponseWriter, r *http.Request, actor aman.Actor, typed hotlineTyped, v *hotlineConsoleView, status int) {
	if err := h.fillConsole(r, actor, typed, v, false); err != nil {
		h.Errors(w, r, err)
		return
	}
	if !v.Searched && v.SearchedQ != "" {
		if matches, err := h.beneficiaries.Search(r.Context(), actor, v.SearchedQ); err == nil {
			v.Searched = true
			h.addPeople(v, matches, typed.Beneficiary)
		}
	}
	if typed.Beneficiary != "" {
		v.LinkedID = typed.Beneficiary
		for _, p := range v.People {
			if p.ID == typed.Beneficiary {
				v.LinkedID = ""
			}
		}
	}
	h.show(w, r, status, viewHotlineConsole, "hotline.title", *v)
}

// now is the clock calls are stamped with, so a blank console's start time and the use case agree.
func (h *Handler) now() time.Time { return h.calls.Now() }

// addPeople adds the people found, once each: a person registered with the caller's number may also be
// among the search results.
func (h *Handler) addPeople(v *hotlineConsoleView, matches []app.Match, chosen string) {
	shown := map[string]bool{}
	for _, p := range v.People {
		shown[p.ID] = true
	}
	for _, m := range matches {
		if shown[m.ID] {
			continue
		}
		v.People = append(v.People, hotlinePerson{ID: m.ID, NameAR: m.NameAR, NameEN: m.NameEN, Exact: m.ExactIdentifier, Checked: chosen == m.ID})
	}
}

// hotlineOnly answers not found when the UI was built without the hotline (some tests build it so).
func (h *Handler) hotlineOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.calls == nil || h.beneficiaries == nil {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}
