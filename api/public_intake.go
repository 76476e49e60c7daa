package api

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
	"aman.qa/aman/session"
)

// flexString accepts a JSON string or number (an age may come either way).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

type publicRequestIn struct {
	Passphrase   string     `json:"passphrase"`
	Message      string     `json:"message"`
	Harms        []string   `json:"harms"`
	Kind         string     `json:"kind"`
	About        string     `json:"about"`
	Urgency      string     `json:"urgency"`
	Danger       bool       `json:"danger"`
	ContactWay   string     `json:"contact_way"`
	ContactTime  string     `json:"contact_time"`
	Age          flexString `json:"age"`
	School       string     `json:"school"`
	Area         string     `json:"area"`
	Zone         string     `json:"zone"`
	ReporterName string     `json:"reporter_name"`
}

// publicSubmit answers POST /public/api/v1/{help-requests,consultations,reports}, with a JSON body or a
// multipart form whose "attachments" parts carry photos and voice notes.
func (h *Handler) publicSubmit(channel aman.Channel) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in app.PublicRequestInput
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt == "multipart/form-data" {
			form, err := httpx.ReadMultipartForm(w, r, "attachments", app.MaxPublicAttachments, app.MaxPublicAttachmentSize)
			if err != nil {
				h.errors(w, r, err)
				return
			}
			in = app.PublicInputFromFields(channel, form.Fields, form.Files)
		} else {
			var body publicRequestIn
			if !h.decode(w, r, &body) {
				return
			}
			in = app.PublicRequestInput{Channel: channel, Passphrase: body.Passphrase, Message: body.Message, Harms: body.Harms, Kind: body.Kind,
				About: body.About, Urgency: body.Urgency, Danger: body.Danger, ContactWay: body.ContactWay, ContactTime: body.ContactTime,
				Age: string(body.Age), School: body.School, Area: body.Area, Zone: body.Zone, ReporterName: body.ReporterName}
		}
		receipt, err := h.publicIntake.Submit(r.Context(), session.Meta(r), in)
		if err != nil {
			h.errors(w, r, err)
			return
		}
		httpx.WriteJSON(w, http.StatusCreated, map[string]string{"reference": receipt.Reference, "follow_up_code": receipt.FollowUpCode})
	}
}

type followUpIn struct {
	FollowUpCode string `json:"follow_up_code"`
	Passphrase   string `json:"passphrase"`
	Text         string `json:"text,omitempty"`
}

type publicMessageOut struct {
	From string `json:"from"`
	Text string `json:"text"`
	At   string `json:"at"`
}

func publicMessages(in []app.PublicMessage) []publicMessageOut {
	out := make([]publicMessageOut, len(in))
	for i, m := range in {
		out[i] = publicMessageOut{From: m.From, Text: m.Text, At: m.At.Format(timeFormat)}
	}
	return out
}

func threadJSON(th app.PublicThread) map[string]any {
	return map[string]any{"reference": th.Reference, "status": th.Status, "messages": publicMessages(th.Messages)}
}

// publicFollowUp is POST /public/api/v1/follow-up. The code and passphrase travel in the body, never in
// the URL, so no log, history or proxy keeps them.
func (h *Handler) publicFollowUp(w http.ResponseWriter, r *http.Request) {
	var in followUpIn
	if !h.decode(w, r, &in) {
		return
	}
	th, err := h.publicIntake.FollowUp(r.Context(), session.Meta(r), in.FollowUpCode, in.Passphrase)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, threadJSON(th))
}

// publicFollowUpMessage is POST /public/api/v1/follow-up/messages: the sender writes back.
func (h *Handler) publicFollowUpMessage(w http.ResponseWriter, r *http.Request) {
	var in followUpIn
	if !h.decode(w, r, &in) {
		return
	}
	th, err := h.publicIntake.Reply(r.Context(), session.Meta(r), in.FollowUpCode, in.Passphrase, in.Text)
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, threadJSON(th))
}

type publicAttachmentOut struct {
	ID          string `json:"id"`
	ContentType string `json:"content_type"`
	Kind        string `json:"kind"`
	Size        int64  `json:"size"`
}

// getConsultation is GET /api/v1/consultations/{id}: a consultation for the counsellor answering it
// (audited).
func (h *Handler) getConsultation(w http.ResponseWriter, r *http.Request) {
	c, err := h.publicIntake.Consultation(r.Context(), actorOf(r), r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	atts := make([]publicAttachmentOut, len(c.Attachments))
	for i, a := range c.Attachments {
		atts[i] = publicAttachmentOut{ID: a.ID, ContentType: a.ContentType, Kind: string(a.Kind), Size: a.Size}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{
		"id": c.ID, "reference": c.Reference, "channel": string(c.Channel), "kind": c.Kind, "status": c.Status,
		"received_at": c.ReceivedAt.Format(timeFormat), "danger": c.Danger, "message": c.Message,
		"contact_way": c.ContactWay, "contact_time": c.ContactTime,
		"messages": publicMessages(c.Messages), "attachments": atts,
	})
}

// answerConsultation is POST /api/v1/consultations/{id}/replies {"text"}: a counsellor's answer, which
// the sender reads on follow-up; the consultation leaves the triage queue as answered.
func (h *Handler) answerConsultation(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text string `json:"text"`
	}
	if !h.decode(w, r, &in) {
		return
	}
	m, err := h.publicIntake.AnswerConsultation(r.Context(), actorOf(r), r.PathValue("id"), strings.TrimSpace(in.Text))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusCreated, map[string]any{"id": m.ID, "from": m.From, "text": m.Text, "at": m.At.Format(timeFormat)})
}
