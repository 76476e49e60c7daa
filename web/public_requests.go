package web

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/session"
)

const viewPublicRequest = "public_request"

// publicMessageRow is one message of a request's conversation.
type publicMessageRow struct {
	FromCentre bool
	Text       string
	At         shownTime
}

// publicAttachmentRow describes one attachment, without its bytes.
type publicAttachmentRow struct {
	Kind        string
	ContentType string
	Size        int64
}

// publicRequestView is a consultation, a help request or a report as staff read it.
type publicRequestView struct {
	ID          string
	Reference   string
	Channel     string
	Kind        string
	Harms       []string
	About       string
	Urgency     string
	Danger      bool
	Status      string
	Received    shownTime
	Messages    []publicMessageRow
	Attachments []publicAttachmentRow
	// MayReply is set for consultations: the counsellor answers them here.
	MayReply bool
	Text     string
	Notice   string
	formState
}

func (h *Handler) publicOnly(f http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h.publicIntake == nil {
			h.NotFound(w, r)
			return
		}
		f(w, r)
	}
}

func (h *Handler) newPublicRequestView(lang i18n.Lang, req app.PublicRequest) publicRequestView {
	v := publicRequestView{ID: req.ID, Reference: req.Reference, Channel: string(req.Channel), Kind: req.Kind, Harms: req.Harms, About: req.About,
		Urgency: req.Urgency, Danger: req.Danger, Status: req.Status, Received: showTime(req.ReceivedAt, h.zone),
		MayReply: req.Channel == aman.ChannelConsultation}
	for _, m := range req.Messages {
		v.Messages = append(v.Messages, publicMessageRow{FromCentre: m.From == "centre", Text: m.Text, At: showTime(m.At, h.zone)})
	}
	for _, a := range req.Attachments {
		v.Attachments = append(v.Attachments, publicAttachmentRow{Kind: string(a.Kind), ContentType: a.ContentType, Size: a.Size})
	}
	return v
}

// showConsultation is a consultation with its thread and the counsellor's reply form.
func (h *Handler) showConsultation(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	req, err := h.publicIntake.Consultation(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	v := h.newPublicRequestView(langOf(r), req)
	if r.URL.Query().Get("done") == "answered" {
		v.Notice = h.bundle.T(langOf(r), "public_request.answered")
	}
	h.show(w, r, http.StatusOK, viewPublicRequest, "public_request.consultation.title", v)
}

// answerConsultation adds the counsellor's reply, which the sender reads on follow-up.
func (h *Handler) answerConsultation(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.Errors(w, r, err)
		return
	}
	_, actor, _ := session.From(r.Context())
	id, text := r.PathValue("id"), formValue(r, "text")
	if _, err := h.publicIntake.AnswerConsultation(r.Context(), actor, id, text); err != nil {
		state, ok := h.formProblem(r, err)
		if !ok {
			h.Errors(w, r, err)
			return
		}
		req, rerr := h.publicIntake.Consultation(r.Context(), actor, id)
		if rerr != nil {
			h.Errors(w, r, rerr)
			return
		}
		v := h.newPublicRequestView(langOf(r), req)
		v.Text, v.formState = text, state
		h.show(w, r, statusOf(err), viewPublicRequest, "public_request.consultation.title", v)
		return
	}
	http.Redirect(w, r, "/consultations/"+id+"?done=answered", http.StatusSeeOther)
}

// showPublicRequest is a help request or a report, read-only, with its attachment list.
func (h *Handler) showPublicRequest(w http.ResponseWriter, r *http.Request) {
	_, actor, _ := session.From(r.Context())
	req, err := h.publicIntake.Request(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.Errors(w, r, err)
		return
	}
	h.show(w, r, http.StatusOK, viewPublicRequest, "public_request.title", h.newPublicRequestView(langOf(r), req))
}
