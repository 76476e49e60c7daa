package app

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/risk"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// Incidents are the events of violence recorded on a case, each classified by the GBVIMS typology.
type Incidents struct {
	Deps
}

// IncidentInput is an incident as typed on the form or posted to the API.
type IncidentInput struct {
	// OccurredOn is the day, YYYY-MM-DD, in Qatar.
	OccurredOn               string
	Place                    string
	Acts                     []string
	PerpetratorRelationships []string
	Harms                    []string
	Narrative                string
}

const incidentTable = "incidents"

// maxNarrative bounds a narrative, in characters: a long account, not a document (those are
// attachments).
const maxNarrative = 50000

// The kinds of coded list an incident keeps in incident_codes.
const (
	codeAct          = "act"
	codeRelationship = "relationship"
	codeContext      = "context"
	codeHarm         = "harm"
)

// normalizeIncident checks in against the vocabularies and returns the incident to store, without the
// facts that need the survivor's age.
func normalizeIncident(in IncidentInput, now time.Time) (aman.Incident, error) {
	var x aman.Incident
	day, err := parseQatarDay("occurred_on", in.OccurredOn)
	if err != nil {
		return x, err
	}
	if day.IsZero() {
		return x, aman.FieldError("occurred_on", aman.ERequired)
	}
	if day.After(qatarDay(now)) {
		return x, aman.FieldError("occurred_on", aman.EDateInFuture)
	}
	x.OccurredOn = day
	x.Place = aman.PlaceType(in.Place)
	if in.Place == "" {
		return x, aman.FieldError("place_type", aman.ERequired)
	}
	if !x.Place.Valid() {
		return x, aman.FieldError("place_type", aman.EInvalidPlace)
	}
	// An act or harm said twice is still one fact; a relationship said twice is two perpetrators.
	x.Acts = uniqueInOrder(in.Acts)
	if x.Type, err = risk.Classify(x.Acts); err != nil {
		return x, err
	}
	for i, rel := range in.PerpetratorRelationships {
		if !risk.IsRelationship(rel) {
			return x, aman.FieldError("perpetrator_relationships["+strconv.Itoa(i)+"]", EInvalidRelationship)
		}
	}
	x.PerpetratorRelationships = append([]string{}, in.PerpetratorRelationships...)
	for i, h := range uniqueInOrder(in.Harms) {
		if !aman.Harm(h).Valid() {
			return x, aman.FieldError("harms["+strconv.Itoa(i)+"]", aman.EInvalidHarm)
		}
		x.Harms = append(x.Harms, aman.Harm(h))
	}
	if x.Narrative, err = boundedText("narrative", in.Narrative, maxNarrative); err != nil {
		return x, err
	}
	return x, nil
}

func uniqueInOrder(items []string) []string {
	out := []string{}
	for _, s := range items {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Record adds an incident to a case. Its GBVIMS type comes from its acts and its contexts from the
// perpetrators and the age of the case's beneficiary on the day, opened from the sealed birth date here
// and kept only as a number of years. Child-protection harms are refused for someone who was an adult
// that day; when the age is unknown they are kept, since a report about a child often comes without a
// birth date.
func (s *Incidents) Record(ctx context.Context, actor aman.Actor, caseID string, in IncidentInput) (aman.Incident, error) {
	x, err := normalizeIncident(in, s.DB.Now())
	if err != nil {
		return x, err
	}
	x.ID, x.CaseID, x.CreatedBy = newID(), caseID, actor.UserID
	err = s.onCaseRecords(ctx, actor, caseID, true, "incident.create", func(ctx context.Context, tx *store.Tx, k aman.Case) (map[string]string, error) {
		age, err := s.ageOn(ctx, tx, k.BeneficiaryID, x.OccurredOn)
		if err != nil {
			return nil, err
		}
		x.SurvivorAge = age
		if len(x.Harms) > 0 && x.SurvivorAge >= risk.Adulthood {
			return nil, aman.FieldError("harms", aman.EHarmsChildOnly)
		}
		x.Contexts = risk.Contexts(x.Type, x.SurvivorAge, x.PerpetratorRelationships)
		narrative, err := s.Keys.Row(incidentTable, x.ID).Seal("narrative", x.Narrative)
		if err != nil {
			return nil, err
		}
		x.CreatedAt = tx.Now
		var storedAge any
		if x.SurvivorAge >= 0 {
			storedAge = x.SurvivorAge
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incidents (id, case_id, occurred_on, place_type, gbv_type, survivor_age, narrative_sealed,
			created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			x.ID, caseID, store.Millis(x.OccurredOn), string(x.Place), x.Type, storedAge, narrative, actor.UserID, store.Millis(tx.Now)); err != nil {
			return nil, err
		}
		harms := make([]string, len(x.Harms))
		for i, h := range x.Harms {
			harms[i] = string(h)
		}
		for _, list := range []struct {
			kind  string
			codes []string
		}{{codeAct, x.Acts}, {codeRelationship, x.PerpetratorRelationships}, {codeContext, x.Contexts}, {codeHarm, harms}} {
			for i, code := range list.codes {
				if _, err := tx.ExecContext(ctx, `INSERT INTO incident_codes (incident_id, kind, position, code) VALUES ($1, $2, $3, $4)`,
					x.ID, list.kind, i, code); err != nil {
					return nil, err
				}
			}
		}
		return map[string]string{"incident": x.ID, "type": x.Type}, nil
	})
	return x, err
}

// ageOn is the age in whole years on day of the beneficiary, or -1 when their birth date is not
// recorded. A day before the birth is refused: it is a typing mistake in one of the two dates.
func (s *Incidents) ageOn(ctx context.Context, tx *store.Tx, beneficiaryID string, day time.Time) (int, error) {
	var sealed seal.Sealed
	if err := tx.QueryRowContext(ctx, `SELECT birth_date_sealed FROM beneficiaries WHERE id = $1`, beneficiaryID).Scan(&sealed); err != nil {
		return 0, err
	}
	opened, err := s.Keys.Row(beneficiaryTable, beneficiaryID).Open("birth_date", sealed)
	if err != nil || opened == "" {
		return -1, err
	}
	born, err := time.Parse(time.DateOnly, opened)
	if err != nil {
		return 0, err
	}
	y, m, d := day.In(qatar).Date()
	local := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if local.Before(born) {
		return 0, aman.FieldError("occurred_on", aman.EDateBeforeBirth)
	}
	return aman.AgeOn(born, local), nil
}

// List returns a case's incidents, most recent first, narratives opened. The read is audited.
func (s *Incidents) List(ctx context.Context, actor aman.Actor, caseID string) ([]aman.Incident, error) {
	var out []aman.Incident
	err := s.onCaseRecords(ctx, actor, caseID, false, "incident.list", func(ctx context.Context, tx *store.Tx, _ aman.Case) (map[string]string, error) {
		rows, err := tx.QueryContext(ctx, `SELECT id, occurred_on, place_type, gbv_type, survivor_age, narrative_sealed, created_by, created_at
			FROM incidents WHERE case_id = $1 ORDER BY occurred_on DESC, id DESC`, caseID)
		if err != nil {
			return nil, err
		}
		byID := map[string]*aman.Incident{}
		err = func() error {
			defer rows.Close()
			for rows.Next() {
				x := aman.Incident{CaseID: caseID, Acts: []string{}, PerpetratorRelationships: []string{}, Contexts: []string{}}
				var occurred, created int64
				var place string
				var age sql.NullInt64
				var narrative seal.Sealed
				if err := rows.Scan(&x.ID, &occurred, &place, &x.Type, &age, &narrative, &x.CreatedBy, &created); err != nil {
					return err
				}
				x.OccurredOn, x.CreatedAt, x.Place, x.SurvivorAge = store.Time(occurred).In(qatar), store.Time(created), aman.PlaceType(place), -1
				if age.Valid {
					x.SurvivorAge = int(age.Int64)
				}
				if x.Narrative, err = s.Keys.Row(incidentTable, x.ID).Open("narrative", narrative); err != nil {
					return err
				}
				out = append(out, x)
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
		for i := range out {
			byID[out[i].ID] = &out[i]
		}
		if err := loadIncidentCodes(ctx, tx, caseID, byID); err != nil {
			return nil, err
		}
		return map[string]string{"count": strconv.Itoa(len(out))}, nil
	})
	return out, err
}

// loadIncidentCodes fills the coded lists of a case's incidents in one query.
func loadIncidentCodes(ctx context.Context, tx *store.Tx, caseID string, byID map[string]*aman.Incident) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.incident_id, c.kind, c.code FROM incident_codes c JOIN incidents i ON i.id = c.incident_id
		WHERE i.case_id = $1 ORDER BY c.incident_id, c.kind, c.position`, caseID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, code string
		if err := rows.Scan(&id, &kind, &code); err != nil {
			return err
		}
		x, ok := byID[id]
		if !ok {
			return errors.New("incident code without its incident")
		}
		switch kind {
		case codeAct:
			x.Acts = append(x.Acts, code)
		case codeRelationship:
			x.PerpetratorRelationships = append(x.PerpetratorRelationships, code)
		case codeContext:
			x.Contexts = append(x.Contexts, code)
		case codeHarm:
			x.Harms = append(x.Harms, aman.Harm(code))
		}
	}
	return rows.Err()
}

// incidentsWithin counts a case's incidents dated within the months before today (Qatar), today
// included and the same day months ago excluded: the window of DASH's escalation rule.
func incidentsWithin(ctx context.Context, tx *store.Tx, caseID string, months int) (int, error) {
	today := qatarDay(tx.Now)
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents WHERE case_id = $1 AND occurred_on > $2 AND occurred_on <= $3`,
		caseID, store.Millis(today.AddDate(0, -months, 0)), store.Millis(today)).Scan(&n)
	return n, err
}
