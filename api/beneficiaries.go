package api

import (
	"net/http"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/httpx"
)

// beneficiaryBody is a person as CONTRACT.md spells it.
type beneficiaryBody struct {
	NameAR       string   `json:"name_ar,omitempty"`
	NameEN       string   `json:"name_en,omitempty"`
	Sex          string   `json:"sex,omitempty"`
	BirthDate    string   `json:"birth_date,omitempty"`
	QID          string   `json:"qid,omitempty"`
	Phone        string   `json:"phone,omitempty"`
	Nationality  string   `json:"nationality,omitempty"`
	EstimatedAge int      `json:"estimated_age,omitempty"`
	Passport     string   `json:"passport,omitempty"`
	AltPhone     string   `json:"alt_phone,omitempty"`
	Area         string   `json:"area,omitempty"`
	Zone         string   `json:"zone,omitempty"`
	Languages    []string `json:"languages,omitempty"`
	Disability   string   `json:"disability,omitempty"`
}

func (b beneficiaryBody) input() app.BeneficiaryInput {
	return app.BeneficiaryInput{NameAR: b.NameAR, NameEN: b.NameEN, Sex: b.Sex, BirthDate: b.BirthDate, QID: b.QID, Phone: b.Phone,
		Nationality: b.Nationality, EstimatedAge: b.EstimatedAge, Passport: b.Passport, AltPhone: b.AltPhone, Area: b.Area, Zone: b.Zone,
		Languages: b.Languages, Disability: b.Disability}
}

type beneficiaryOut struct {
	ID string `json:"id"`
	beneficiaryBody
	CreatedAt string   `json:"created_at"`
	UpdatedAt string   `json:"updated_at"`
	Warnings  []string `json:"warnings"`
	// PossibleDuplicates lists existing records that look like this one, on creation only.
	PossibleDuplicates []string `json:"possible_duplicates,omitempty"`
	MergedInto         string   `json:"merged_into,omitempty"`
}

func beneficiaryJSON(b aman.Beneficiary) beneficiaryOut {
	warnings := b.Warnings
	if warnings == nil {
		warnings = []string{}
	}
	return beneficiaryOut{
		ID: b.ID,
		beneficiaryBody: beneficiaryBody{NameAR: b.NameAR, NameEN: b.NameEN, Sex: string(b.Sex), BirthDate: b.BirthDate,
			QID: b.QID, Phone: b.Phone, Nationality: b.Nationality, EstimatedAge: b.EstimatedAge, Passport: b.Passport,
			AltPhone: b.AltPhone, Area: b.Area, Zone: b.Zone, Languages: b.Languages, Disability: b.Disability},
		CreatedAt: b.CreatedAt.Format(timeFormat), UpdatedAt: b.UpdatedAt.Format(timeFormat), Warnings: warnings,
		PossibleDuplicates: b.PossibleDuplicates, MergedInto: b.MergedInto,
	}
}

// createBeneficiary is POST /api/v1/beneficiaries: 201 with the id and the stored (normalized) fields.
func (h *Handler) createBeneficiary(w http.ResponseWriter, r *http.Request) {
	var body beneficiaryBody
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	b, err := h.beneficiaries.Create(r.Context(), actor, body.input())
	if err != nil {
		h.errors(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/beneficiaries/"+b.ID)
	httpx.WriteJSON(w, http.StatusCreated, beneficiaryJSON(b))
}

// getBeneficiary is GET /api/v1/beneficiaries/{id}.
func (h *Handler) getBeneficiary(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	b, err := h.beneficiaries.Get(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	httpx.WriteJSON(w, http.StatusOK, beneficiaryJSON(b))
}

type searchResult struct {
	beneficiaryOut
	ExactIdentifier bool `json:"exact_identifier"`
	NameTokens      int  `json:"name_tokens_matched"`
}

// searchBeneficiaries is GET /api/v1/beneficiaries?q=TEXT, best match first. The query travels in the
// URL because CONTRACT.md fixes it so; it is never logged, and the audit records only the result count.
func (h *Handler) searchBeneficiaries(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	matches, err := h.beneficiaries.Search(r.Context(), actor, r.URL.Query().Get("q"))
	if err != nil {
		h.errors(w, r, err)
		return
	}
	items := make([]searchResult, len(matches))
	for i, m := range matches {
		items[i] = searchResult{beneficiaryOut: beneficiaryJSON(m.Beneficiary), ExactIdentifier: m.ExactIdentifier, NameTokens: m.NameTokens}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

// mergeBeneficiaries is POST /api/v1/beneficiaries/{id}/merge {"duplicate_id"}: folds the duplicate
// into this record, keeping both histories. 204.
func (h *Handler) mergeBeneficiaries(w http.ResponseWriter, r *http.Request) {
	var body struct {
		DuplicateID string `json:"duplicate_id"`
	}
	if !h.decode(w, r, &body) {
		return
	}
	actor := actorOf(r)
	if err := h.beneficiaries.Merge(r.Context(), actor, r.PathValue("id"), body.DuplicateID); err != nil {
		h.errors(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
