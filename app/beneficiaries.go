package app

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// Beneficiaries is the registry of people the centre serves: sealed records found only through blind
// indexes.
type Beneficiaries struct {
	Deps
}

// BeneficiaryInput is a person as typed on a form or posted to the API.
type BeneficiaryInput struct {
	NameAR      string
	NameEN      string
	Sex         string
	BirthDate   string
	QID         string
	Phone       string
	Nationality string
}

const beneficiaryTable = "beneficiaries"

// Blind-index kinds, also the domains of their keyed hashes.
const (
	keyQID   = "qid"
	keyPhone = "phone"
	keyName  = "name"
)

// normalize validates in and returns the beneficiary to store, with its warnings. Digits typed in
// Arabic-Indic forms are accepted everywhere.
func normalizeBeneficiary(in BeneficiaryInput, now time.Time) (aman.Beneficiary, error) {
	b := aman.Beneficiary{
		NameAR:      strings.Join(strings.Fields(in.NameAR), " "),
		NameEN:      strings.Join(strings.Fields(in.NameEN), " "),
		Sex:         aman.Sex(strings.ToLower(strings.TrimSpace(in.Sex))),
		Nationality: strings.ToUpper(strings.TrimSpace(in.Nationality)),
	}
	if b.NameAR == "" && b.NameEN == "" {
		return b, aman.FieldError("name_ar", aman.ERequired)
	}
	if !b.Sex.Valid() {
		return b, aman.FieldError("sex", aman.EInvalidSex)
	}
	if b.Nationality != "" && !aman.KnownNationality(b.Nationality) {
		return b, aman.FieldError("nationality", aman.EInvalidNationality)
	}
	if date := textnorm.FoldDigits(strings.TrimSpace(in.BirthDate)); date != "" {
		born, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return b, aman.FieldError("birth_date", aman.EInvalidDate)
		}
		if born.After(now) {
			return b, aman.FieldError("birth_date", aman.EDateInFuture)
		}
		b.BirthDate = born.Format(time.DateOnly)
	}
	if raw := strings.TrimSpace(in.QID); raw != "" {
		q, err := aman.ParseQID(textnorm.NormalizeQID(raw))
		if err != nil {
			return b, err
		}
		b.QID = q.Number
		b.Warnings = q.Warnings(birthYear(b.BirthDate), b.Nationality)
	}
	if raw := strings.TrimSpace(in.Phone); raw != "" {
		e164, err := textnorm.NormalizePhone(raw)
		if err != nil {
			return b, aman.FieldError("phone", aman.EInvalidPhone)
		}
		b.Phone = e164
	}
	return b, nil
}

func birthYear(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// blindKeys are the index entries of b: one per identifier and one per name token.
func (r *Beneficiaries) blindKeys(b aman.Beneficiary) [][2]any {
	var keys [][2]any
	if b.QID != "" {
		keys = append(keys, [2]any{keyQID, r.Keys.BlindIndex(keyQID, b.QID)})
	}
	if b.Phone != "" {
		keys = append(keys, [2]any{keyPhone, r.Keys.BlindIndex(keyPhone, b.Phone)})
	}
	seen := map[string]bool{}
	for _, name := range []string{b.NameAR, b.NameEN} {
		for _, tok := range textnorm.NameTokens(name) {
			if !seen[tok] {
				seen[tok] = true
				keys = append(keys, [2]any{keyName, r.Keys.BlindIndex(keyName, tok)})
			}
		}
	}
	return keys
}

// Create registers a person. It returns the stored record with any warnings.
func (r *Beneficiaries) Create(ctx context.Context, actor aman.Actor, in BeneficiaryInput) (aman.Beneficiary, error) {
	if err := authorize(actor, policy.BeneficiaryCreate); err != nil {
		return aman.Beneficiary{}, err
	}
	b, err := normalizeBeneficiary(in, r.DB.Now())
	if err != nil {
		return b, err
	}
	b.ID = newID()
	row := r.Keys.Row(beneficiaryTable, b.ID)
	sealed, err := row.Fields("name_ar", b.NameAR, "name_en", b.NameEN, "birth_date", b.BirthDate, "qid", b.QID, "phone", b.Phone)
	if err != nil {
		return b, err
	}
	err = r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		b.CreatedAt, b.UpdatedAt = tx.Now, tx.Now
		var year any
		if y := birthYear(b.BirthDate); y > 0 {
			year = y
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO beneficiaries (id, name_ar_sealed, name_en_sealed, sex, birth_date_sealed,
			birth_year, qid_sealed, phone_sealed, nationality, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
			b.ID, sealed[0], sealed[1], string(b.Sex), sealed[2], year, sealed[3], sealed[4], b.Nationality, actor.UserID, store.Millis(tx.Now)); err != nil {
			return err
		}
		for _, k := range r.blindKeys(b) {
			if _, err := tx.ExecContext(ctx, `INSERT INTO beneficiary_keys (kind, hash, beneficiary_id) VALUES ($1, $2, $3)`, k[0], k[1], b.ID); err != nil {
				return err
			}
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.create", Entity: "beneficiary", EntityID: b.ID})
	})
	return b, err
}

const beneficiaryColumns = `id, name_ar_sealed, name_en_sealed, sex, birth_date_sealed, qid_sealed, phone_sealed, nationality, created_at, updated_at`

func (r *Beneficiaries) scan(row interface{ Scan(...any) error }) (aman.Beneficiary, error) {
	var b aman.Beneficiary
	var nameAR, nameEN, birth, qid, phone seal.Sealed
	var sex string
	var created, updated int64
	if err := row.Scan(&b.ID, &nameAR, &nameEN, &sex, &birth, &qid, &phone, &b.Nationality, &created, &updated); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return b, aman.Errorf(aman.ENotFound, "no such beneficiary")
		}
		return b, err
	}
	b.Sex, b.CreatedAt, b.UpdatedAt = aman.Sex(sex), store.Time(created), store.Time(updated)
	opener := r.Keys.Row(beneficiaryTable, b.ID)
	for _, f := range []struct {
		column string
		sealed seal.Sealed
		into   *string
	}{{"name_ar", nameAR, &b.NameAR}, {"name_en", nameEN, &b.NameEN}, {"birth_date", birth, &b.BirthDate}, {"qid", qid, &b.QID}, {"phone", phone, &b.Phone}} {
		v, err := opener.Open(f.column, f.sealed)
		if err != nil {
			return b, err
		}
		*f.into = v
	}
	return b, nil
}

// Get opens one person's record. The read itself is audited.
func (r *Beneficiaries) Get(ctx context.Context, actor aman.Actor, id string) (aman.Beneficiary, error) {
	if err := authorize(actor, policy.BeneficiaryView); err != nil {
		return aman.Beneficiary{}, err
	}
	var b aman.Beneficiary
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		b, err = r.scan(tx.QueryRowContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE id = $1`, id))
		if err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.read", Entity: "beneficiary", EntityID: b.ID})
	})
	return b, err
}

// Match is one search result.
type Match struct {
	aman.Beneficiary
	// ExactIdentifier is set when the QID or phone matched, which outranks any name.
	ExactIdentifier bool
	// NameTokens is how many of the query's name tokens the record has.
	NameTokens int
}

// MaxSearchResults bounds a search: it is for finding a person, not for listing the registry.
const MaxSearchResults = 20

// Search finds people by any name word, QID or phone, in whatever script, spelling or digit form,
// through the blind indexes only. Exact identifiers rank first, then the most name tokens matched.
func (r *Beneficiaries) Search(ctx context.Context, actor aman.Actor, q string) ([]Match, error) {
	if err := authorize(actor, policy.BeneficiarySearch); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, aman.FieldError("q", aman.ERequired)
	}
	var exact [][]byte
	var identifierKind string
	if textnorm.LooksLikeQID(textnorm.NormalizeQID(q)) {
		identifierKind = keyQID
		exact = append(exact, r.Keys.BlindIndex(keyQID, textnorm.NormalizeQID(q)))
	} else if textnorm.LooksLikePhone(q) {
		if e164, err := textnorm.NormalizePhone(q); err == nil {
			identifierKind = keyPhone
			exact = append(exact, r.Keys.BlindIndex(keyPhone, e164))
		}
	}
	var names [][]byte
	if identifierKind == "" {
		for _, tok := range textnorm.NameTokens(q) {
			names = append(names, r.Keys.BlindIndex(keyName, tok))
		}
	}
	scores := map[string]*Match{}
	var matches []*Match
	err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if len(exact) > 0 {
			rows, err := tx.QueryContext(ctx, `SELECT beneficiary_id FROM beneficiary_keys WHERE kind = $1 AND hash = $2 LIMIT $3`,
				identifierKind, exact[0], MaxSearchResults)
			if err != nil {
				return err
			}
			if err := collect(rows, func(id string, _ int) { scores[id] = &Match{ExactIdentifier: true} }); err != nil {
				return err
			}
		}
		if len(names) > 0 {
			args := []any{keyName}
			holders := make([]string, len(names))
			for i, h := range names {
				args = append(args, h)
				holders[i] = "$" + strconv.Itoa(i+2)
			}
			args = append(args, MaxSearchResults)
			rows, err := tx.QueryContext(ctx, `SELECT beneficiary_id, COUNT(*) AS hits FROM beneficiary_keys
				WHERE kind = $1 AND hash IN (`+strings.Join(holders, ", ")+`)
				GROUP BY beneficiary_id ORDER BY hits DESC, beneficiary_id LIMIT $`+strconv.Itoa(len(args)), args...)
			if err != nil {
				return err
			}
			if err := collect(rows, func(id string, hits int) { scores[id] = &Match{NameTokens: hits} }); err != nil {
				return err
			}
		}
		if len(scores) == 0 {
			return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.search", Detail: map[string]string{"results": "0"}})
		}
		args := make([]any, 0, len(scores))
		holders := make([]string, 0, len(scores))
		for id := range scores {
			args = append(args, id)
			holders = append(holders, "$"+strconv.Itoa(len(args)))
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE id IN (`+strings.Join(holders, ", ")+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			b, err := r.scan(rows)
			if err != nil {
				return err
			}
			m := scores[b.ID]
			m.Beneficiary = b
			matches = append(matches, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		// The audit records that a search happened and how many people it showed, never what was typed.
		return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.search", Detail: map[string]string{"results": strconv.Itoa(len(matches))}})
	})
	if err != nil {
		return nil, err
	}
	sort.SliceStable(matches, func(i, j int) bool {
		a, b := matches[i], matches[j]
		if a.ExactIdentifier != b.ExactIdentifier {
			return a.ExactIdentifier
		}
		if a.NameTokens != b.NameTokens {
			return a.NameTokens > b.NameTokens
		}
		return a.CreatedAt.After(b.CreatedAt)
	})
	out := make([]Match, len(matches))
	for i, m := range matches {
		out[i] = *m
	}
	return out, nil
}

// collect reads (id[, count]) rows.
func collect(rows *sql.Rows, add func(id string, n int)) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		n := 0
		if len(cols) == 2 {
			err = rows.Scan(&id, &n)
		} else {
			err = rows.Scan(&id)
		}
		if err != nil {
			return err
		}
		add(id, n)
	}
	return rows.Err()
}
