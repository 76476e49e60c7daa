package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
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
	// EstimatedAge in whole years, when the birth date is unknown.
	EstimatedAge int
	Passport     string
	AltPhone     string
	Area         string
	Zone         string
	Languages    []string
	Disability   string
}

const beneficiaryTable = "beneficiaries"

// Blind-index kinds, also the domains of their keyed hashes.
const (
	keyQID      = "qid"
	keyPhone    = "phone"
	keyName     = "name"
	keyNamePair = "name_pair"
	keyPassport = "passport"
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
	for _, p := range []struct {
		field, raw string
		into       *string
	}{{"phone", in.Phone, &b.Phone}, {"alt_phone", in.AltPhone, &b.AltPhone}} {
		if raw := strings.TrimSpace(p.raw); raw != "" {
			e164, err := textnorm.NormalizePhone(raw)
			if err != nil {
				return b, aman.FieldError(p.field, aman.EInvalidPhone)
			}
			*p.into = e164
		}
	}
	if in.EstimatedAge < 0 || in.EstimatedAge > 120 {
		return b, aman.FieldError("estimated_age", aman.EInvalidAge)
	}
	if b.BirthDate == "" {
		b.EstimatedAge = in.EstimatedAge
	}
	b.Passport = strings.ToUpper(strings.Join(strings.Fields(textnorm.FoldDigits(in.Passport)), ""))
	b.Area = strings.Join(strings.Fields(in.Area), " ")
	if b.Zone = textnorm.FoldDigits(strings.TrimSpace(in.Zone)); b.Zone != "" {
		// Qatar's zones are numbered 1 to 98.
		if z, err := strconv.Atoi(b.Zone); err != nil || z < 1 || z > 98 {
			return b, aman.FieldError("zone", aman.EInvalidZone)
		}
	}
	for _, l := range in.Languages {
		l = strings.ToLower(strings.TrimSpace(l))
		if len(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z' {
			return b, aman.FieldError("languages", aman.EInvalidLanguage)
		}
		if !slices.Contains(b.Languages, l) {
			b.Languages = append(b.Languages, l)
		}
	}
	b.Disability = strings.TrimSpace(in.Disability)
	return b, nil
}

// estimatedBirthYear turns an estimated age into the birth year stored for statistics.
func estimatedBirthYear(age int, now time.Time) int {
	if age <= 0 {
		return 0
	}
	return localYear(now) - age
}

func birthYear(date string) int {
	if len(date) < 4 {
		return 0
	}
	y, _ := strconv.Atoi(date[:4])
	return y
}

// blindKey is one search entry of a person: a keyed hash of an identifier, a name word or a pair of
// name words. Pair entries carry the birth year, for the duplicate check.
type blindKey struct {
	kind string
	hash []byte
	year any
}

// blindKeys are the index entries of b: one per identifier, one per name word, and one per pair of
// words of the same name (see namePairs).
func (r *Beneficiaries) blindKeys(b aman.Beneficiary) []blindKey {
	var keys []blindKey
	if b.QID != "" {
		keys = append(keys, blindKey{kind: keyQID, hash: r.Keys.BlindIndex(keyQID, b.QID)})
	}
	for _, phone := range []string{b.Phone, b.AltPhone} {
		if phone != "" {
			keys = append(keys, blindKey{kind: keyPhone, hash: r.Keys.BlindIndex(keyPhone, phone)})
		}
	}
	if b.Passport != "" {
		keys = append(keys, blindKey{kind: keyPassport, hash: r.Keys.BlindIndex(keyPassport, b.Passport)})
	}
	seen := map[string]bool{}
	for _, name := range []string{b.NameAR, b.NameEN} {
		for _, tok := range textnorm.NameTokens(name) {
			if !seen[tok] {
				seen[tok] = true
				keys = append(keys, blindKey{kind: keyName, hash: r.Keys.BlindIndex(keyName, tok)})
			}
		}
	}
	return append(keys, r.pairKeys(b)...)
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
	sealed, err := row.Fields("name_ar", b.NameAR, "name_en", b.NameEN, "birth_date", b.BirthDate, "qid", b.QID, "phone", b.Phone,
		"passport", b.Passport, "alt_phone", b.AltPhone, "area", b.Area, "zone", b.Zone, "disability", b.Disability)
	if err != nil {
		return b, err
	}
	err = r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		b.CreatedAt, b.UpdatedAt = tx.Now, tx.Now
		var year any
		estimated := false
		if y := birthYear(b.BirthDate); y > 0 {
			year = y
		} else if y := estimatedBirthYear(b.EstimatedAge, tx.Now); y > 0 {
			year, estimated = y, true
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO beneficiaries (id, name_ar_sealed, name_en_sealed, sex, birth_date_sealed,
			birth_year, qid_sealed, phone_sealed, nationality, created_by, created_at, updated_at,
			passport_sealed, alt_phone_sealed, area_sealed, zone_sealed, disability_sealed, birth_year_estimated, languages)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14, $15, $16, $17, $18)`,
			b.ID, sealed[0], sealed[1], string(b.Sex), sealed[2], year, sealed[3], sealed[4], b.Nationality, actor.UserID, store.Millis(tx.Now),
			sealed[5], sealed[6], sealed[7], sealed[8], sealed[9], boolInt(estimated), strings.Join(b.Languages, ",")); err != nil {
			return err
		}
		dups, err := r.possibleDuplicates(ctx, tx, b)
		if err != nil {
			return err
		}
		b.PossibleDuplicates = dups
		if err := insertBlindKeys(ctx, tx, b.ID, r.blindKeys(b)); err != nil {
			return err
		}
		return r.record(ctx, tx, actor, audit.Entry{Action: "beneficiary.create", Entity: "beneficiary", EntityID: b.ID})
	})
	return b, err
}

// insertBlindKeys stores a person's search keys in one statement: a person has about nine (names,
// name pairs, identifiers), and registration is the busiest write after logging a call.
func insertBlindKeys(ctx context.Context, tx *store.Tx, id string, keys []blindKey) error {
	if len(keys) == 0 {
		return nil
	}
	var q strings.Builder
	q.WriteString(`INSERT INTO beneficiary_keys (kind, hash, beneficiary_id, birth_year) VALUES `)
	args := make([]any, 1, 1+3*len(keys))
	args[0] = id
	for i, k := range keys {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "($%d, $%d, $1, $%d)", len(args)+1, len(args)+2, len(args)+3)
		args = append(args, k.kind, k.hash, k.year)
	}
	_, err := tx.ExecContext(ctx, q.String(), args...)
	return err
}

const beneficiaryColumns = `id, name_ar_sealed, name_en_sealed, sex, birth_date_sealed, qid_sealed, phone_sealed, nationality, created_at, updated_at,
	passport_sealed, alt_phone_sealed, area_sealed, zone_sealed, disability_sealed, birth_year, birth_year_estimated, languages, merged_into`

func (r *Beneficiaries) scan(row interface{ Scan(...any) error }) (aman.Beneficiary, error) {
	var b aman.Beneficiary
	var nameAR, nameEN, birth, qid, phone, passport, altPhone, area, zone, disability seal.Sealed
	var sex, languages string
	var created, updated int64
	var year sql.NullInt64
	var estimated int
	var merged sql.NullString
	if err := row.Scan(&b.ID, &nameAR, &nameEN, &sex, &birth, &qid, &phone, &b.Nationality, &created, &updated,
		&passport, &altPhone, &area, &zone, &disability, &year, &estimated, &languages, &merged); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return b, aman.Errorf(aman.ENotFound, "no such beneficiary")
		}
		return b, err
	}
	b.Sex, b.CreatedAt, b.UpdatedAt, b.MergedInto = aman.Sex(sex), store.Time(created), store.Time(updated), merged.String
	if languages != "" {
		b.Languages = strings.Split(languages, ",")
	}
	if estimated == 1 && year.Valid {
		b.EstimatedAge = localYear(r.DB.Now()) - int(year.Int64)
	}
	err := r.Keys.Row(beneficiaryTable, b.ID).OpenAll(
		seal.Field{Column: "name_ar", Sealed: nameAR, Into: &b.NameAR}, seal.Field{Column: "name_en", Sealed: nameEN, Into: &b.NameEN},
		seal.Field{Column: "birth_date", Sealed: birth, Into: &b.BirthDate}, seal.Field{Column: "qid", Sealed: qid, Into: &b.QID},
		seal.Field{Column: "phone", Sealed: phone, Into: &b.Phone}, seal.Field{Column: "passport", Sealed: passport, Into: &b.Passport},
		seal.Field{Column: "alt_phone", Sealed: altPhone, Into: &b.AltPhone}, seal.Field{Column: "area", Sealed: area, Into: &b.Area},
		seal.Field{Column: "zone", Sealed: zone, Into: &b.Zone}, seal.Field{Column: "disability", Sealed: disability, Into: &b.Disability})
	return b, err
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
	if passport := strings.ToUpper(strings.Join(strings.Fields(textnorm.FoldDigits(q)), "")); looksLikePassport(passport) {
		identifierKind = keyPassport
		exact = append(exact, r.Keys.BlindIndex(keyPassport, passport))
	} else if textnorm.LooksLikeQID(textnorm.NormalizeQID(q)) {
		identifierKind = keyQID
		exact = append(exact, r.Keys.BlindIndex(keyQID, textnorm.NormalizeQID(q)))
	} else if textnorm.LooksLikePhone(q) {
		if e164, err := textnorm.NormalizePhone(q); err == nil {
			identifierKind = keyPhone
			exact = append(exact, r.Keys.BlindIndex(keyPhone, e164))
		}
	}
	var words []string
	if identifierKind == "" {
		words = textnorm.NameTokens(q)
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
		if len(words) > 0 {
			hits, err := r.nameHits(ctx, tx, words)
			if err != nil {
				return err
			}
			for id, n := range hits {
				scores[id] = &Match{NameTokens: n}
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
		// Records merged into another are found through the survivor, which inherited their keys.
		rows, err := tx.QueryContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE merged_into IS NULL AND id IN (`+strings.Join(holders, ", ")+`)`, args...)
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
