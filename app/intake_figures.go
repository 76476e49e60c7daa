package app

import (
	"context"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/policy"
	"aman.qa/aman/store"
)

// IntakeFigures counts what came in through each door, for the centre's statistics: aggregates only,
// with no id, name or text that could point at anyone.
type IntakeFigures struct {
	Deps
}

// Count is one aggregate line.
type Count struct {
	Key   string
	Count int
}

// PartnerCount is the referrals of one partner organisation.
type PartnerCount struct {
	OrgID  string
	NameAR string
	NameEN string
	Count  int
}

// IntakeFiguresReport are the counts for one range of Qatar days, both ends included.
type IntakeFiguresReport struct {
	From, To string
	// CallsByKind counts logged calls by contact kind (counselling, non_counselling); CallsByOutcome by
	// outcome (calls with none, such as silent ones, count under "none").
	CallsByKind    []Count
	CallsByOutcome []Count
	CallsTotal     int
	// RequestsByApp counts what the public apps sent: help_request (Sa'idni), consultation (Shawirni),
	// report (Ballighni).
	RequestsByApp []Count
	// ReferralsByPartner counts partner-desk referrals per organisation.
	ReferralsByPartner []PartnerCount
	ReferralsTotal     int
}

// EInvalidRange refuses a range whose end comes before its start.
const EInvalidRange = "invalid_date_range"

// MaxFiguresDays bounds one query: a few years.
const MaxFiguresDays = 3 * 366

// Intake counts calls, app requests and partner referrals received from the start of day from to the
// end of day to, both in Qatar. A call counts on the day it started, a request or referral on the day it
// was received.
func (f *IntakeFigures) Intake(ctx context.Context, actor aman.Actor, from, to string) (IntakeFiguresReport, error) {
	if err := authorize(actor, policy.StatsView); err != nil {
		return IntakeFiguresReport{}, err
	}
	start, err := parseQatarDay("from", from)
	if err != nil {
		return IntakeFiguresReport{}, err
	}
	end, err := parseQatarDay("to", to)
	if err != nil {
		return IntakeFiguresReport{}, err
	}
	if start.IsZero() {
		return IntakeFiguresReport{}, aman.FieldError("from", aman.ERequired)
	}
	if end.IsZero() {
		return IntakeFiguresReport{}, aman.FieldError("to", aman.ERequired)
	}
	if end.Before(start) || end.Sub(start) > MaxFiguresDays*24*time.Hour {
		return IntakeFiguresReport{}, aman.FieldError("to", EInvalidRange)
	}
	r := IntakeFiguresReport{From: start.Format(time.DateOnly), To: end.Format(time.DateOnly)}
	lo, hi := store.Millis(start), store.Millis(end.AddDate(0, 0, 1))
	err = f.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if r.CallsByKind, err = counts(ctx, tx, `SELECT contact_kind, COUNT(*) FROM calls WHERE status = $1 AND started_at >= $2 AND started_at < $3
			GROUP BY contact_kind ORDER BY contact_kind`, string(aman.CallLogged), lo, hi); err != nil {
			return err
		}
		if r.CallsByOutcome, err = counts(ctx, tx, `SELECT CASE WHEN outcome = '' THEN 'none' ELSE outcome END, COUNT(*) FROM calls
			WHERE status = $1 AND started_at >= $2 AND started_at < $3 GROUP BY outcome ORDER BY outcome`, string(aman.CallLogged), lo, hi); err != nil {
			return err
		}
		for _, c := range r.CallsByKind {
			r.CallsTotal += c.Count
		}
		byApp, err := counts(ctx, tx, `SELECT channel, COUNT(*) FROM intakes WHERE channel IN ($1, $2, $3) AND received_at >= $4 AND received_at < $5
			GROUP BY channel`, string(aman.ChannelHelpRequest), string(aman.ChannelConsultation), string(aman.ChannelReport), lo, hi)
		if err != nil {
			return err
		}
		// Every app is listed, with zero when nothing came, so a report's columns never shift.
		for _, ch := range []aman.Channel{aman.ChannelHelpRequest, aman.ChannelConsultation, aman.ChannelReport} {
			n := 0
			for _, c := range byApp {
				if c.Key == string(ch) {
					n = c.Count
				}
			}
			r.RequestsByApp = append(r.RequestsByApp, Count{Key: string(ch), Count: n})
		}
		rows, err := tx.QueryContext(ctx, `SELECT o.id, o.name_ar, o.name_en, COUNT(*) FROM partner_referrals r JOIN partner_orgs o ON o.id = r.org_id
			WHERE r.created_at >= $1 AND r.created_at < $2 GROUP BY o.id, o.name_ar, o.name_en ORDER BY o.name_ar, o.id`, lo, hi)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p PartnerCount
			if err := rows.Scan(&p.OrgID, &p.NameAR, &p.NameEN, &p.Count); err != nil {
				return err
			}
			r.ReferralsByPartner = append(r.ReferralsByPartner, p)
			r.ReferralsTotal += p.Count
		}
		return rows.Err()
	})
	return r, err
}

func counts(ctx context.Context, tx *store.Tx, query string, args ...any) ([]Count, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Count
	for rows.Next() {
		var c Count
		if err := rows.Scan(&c.Key, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
