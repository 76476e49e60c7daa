package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/session"
)

const viewHotlineCallbacks = "hotline_callbacks"

// hotlineCallbacksView is the callback list: missed calls, newest first, numbers hidden. MayReveal is
// the operators' "call back" button; the number it reveals appears on that row of this one response.
type hotlineCallbacksView struct {
	Calls     []hotlineCallRow
	MayReveal bool
	Notice    string
	Error     string
}

// doneCallbackClosed is the ?done= of the list after a missed call was taken off it.
const doneCallbackClosed = "closed"

func (h *Handler) callbacksView(r *http.Request, actor aman.Actor) (hotlineCallbacksView, error) {
	calls, err := h.calls.Callbacks(r.Context(), actor)
	if err != nil {
		return hotlineCallbacksView{}, err
	}
	v := hotlineCallbacksView{MayReveal: policy.Allows(actor.Role, policy.CallLog)}
	for _, c := range calls {
		v.Calls = append(v.Calls, h.newHotlineCallRow(langOf(r), c))
	}
	return v, nil
}

// showCallbacks lists the missed calls to call back.
func (h *Handler) showCallbacks(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	v, err := h.callbacksView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if r.URL.Query().Get("done") == doneCallbackClosed {
		v.Notice = h.bundle.T(langOf(r), "hotline.callbacks.done.closed")
	}
	h.show(w, r, http.StatusOK, viewHotlineCallbacks, "hotline.callbacks.title", v)
}

// revealCallback shows the operator the number of one missed call, when calling it back is known to be
// safe. The number is in this response only (a POST answer, never cached), next to its row; a refusal
// (safety unknown, number withheld) comes back on the list as a message.
func (h *Handler) revealCallback(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	id := r.PathValue("id")
	number, revealErr := h.calls.RevealNumber(r.Context(), actor, id)
	status := http.StatusOK
	if revealErr != nil {
		if _, ok := h.formProblem(r, revealErr); !ok {
			h.Errors(w, r, revealErr)
			return
		}
		status = statusOf(revealErr)
	}
	v, err := h.callbacksView(r, actor)
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	if revealErr != nil {
		_, v.Error = h.messageFor(r, revealErr)
	}
	for i := range v.Calls {
		if v.Calls[i].ID == id {
			v.Calls[i].Number = number
		}
	}
	h.show(w, r, status, viewHotlineCallbacks, "hotline.callbacks.title", v)
}

// closeCallback takes a missed call off the list.
func (h *Handler) closeCallback(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	if err := h.calls.CloseCallback(r.Context(), actor, r.PathValue("id")); err != nil {
		h.Errors(w, r, err)
		return
	}
	http.Redirect(w, r, "/hotline/callbacks?done="+doneCallbackClosed, http.StatusSeeOther)
}
