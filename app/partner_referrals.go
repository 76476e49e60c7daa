package app

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/media"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// PartnerReferrals is the partner desk: a partner's staff refer a person to the centre in one form and
// follow what became of their own organisation's referrals — a status, never the case.
type PartnerReferrals struct {
	Deps
	Triage        *Triage
	Beneficiaries *Beneficiaries
	Cases         *Cases
}

const (
	partnerReferralTable    = "partner_referrals"
	referralAttachmentTable = "referral_attachments"
)

// A referral carries at most MaxReferralAttachments files of at most MaxReferralAttachmentSize bytes:
// the public apps' bounds, which the too_many_attachments message states.
const (
	MaxReferralAttachments    = MaxPublicAttachments
	MaxReferralAttachmentSize = MaxPublicAttachmentSize
)

// Partner desk error codes.
const (
	ENoPartnerOrg            = "no_partner_org"
	EReferralConsentRequired = "referral_consent_required"
	EInvalidReferralCategory = "invalid_referral_category"
	EInvalidReferralUrgency  = "invalid_referral_urgency"
	ENotPartnerReferral      = "not_partner_referral"
)

// ReferralCategories are why a partner refers someone.
func ReferralCategories() []string {
	return []string{"physical_violence", "sexual_violence", "psychological_violence", "neglect", "child_abuse", "family_dispute",
		"forced_marriage", "deprivation", "trafficking", "other"}
}

// ReferralUrgencies are how soon a partner says the centre must act.
func ReferralUrgencies() []string { return []string{"normal", "urgent", "immediate_danger"} }

// ReferralStatus is what a partner desk sees of a referral: derived from the intake, never the case.
type ReferralStatus string

const (
	ReferralInReceived   ReferralStatus = "received"
	ReferralInAccepted   ReferralStatus = "accepted"
	ReferralInCaseOpened ReferralStatus = "case_opened"
	ReferralInClosed     ReferralStatus = "closed"
)

// ReferralStatusOf maps an intake's triage status to what its referring partner may know.
func ReferralStatusOf(s aman.IntakeStatus) ReferralStatus {
	switch s {
	case aman.IntakeLinked:
		return ReferralInAccepted
	case aman.IntakeCaseOpened:
		return ReferralInCaseOpened
	case aman.IntakeClosedInfo, aman.IntakeAnswered:
		return ReferralInClosed
	}
	return ReferralInReceived
}

// PartnerReferralInput is the desk's one form.
type PartnerReferralInput struct {
	NameAR, NameEN string
	Sex            string
	BirthDate      string
	EstimatedAge   int
	Phone, QID     string
	Categories     []string
	Narrative      string
	Urgency        string
	Consent        bool
	// Attachments are files sent with the referral (a medical report, photos); empty ones are skipped.
	Attachments []ReferralFile
}

// ReferralFile is a file as the desk sent it.
type ReferralFile struct {
	Filename string
	Data     []byte
}

// ReferralAttachment describes a file sent with a referral, without its content.
type ReferralAttachment struct {
	ID              string
	ContentType     string
	Kind            media.Kind
	Size            int64
	Filename        string
	MetadataRemoved bool
	chunks          int
}

// PartnerReferral is a referral as its desk sees it: what they sent is not shown back, only when, how
// urgent and its status.
type PartnerReferral struct {
	ID         string
	OrgID      string
	CreatedBy  string
	CreatedAt  time.Time
	Urgency    string
	Categories []string
	Status     ReferralStatus
	StatusAt   time.Time
	IntakeID   string
	// Attachments is how many files were sent with it; the desk never reads them back.
	Attachments int
}

// ReferredPerson is what triage reads of a referral: the sealed fields opened.
type ReferredPerson struct {
	Referral    PartnerReferral
	OrgNameAR   string
	OrgNameEN   string
	NameAR      string
	NameEN      string
	Sex         string
	BirthDate   string
	Age         int
	Phone       string
	QID         string
	Narrative   string
	Consent     bool
	Attachments []ReferralAttachment
}

// MaxReferralNarrative bounds the narrative: what the desk saw, not a case file.
const MaxReferralNarrative = 4000

func normalizeReferral(in PartnerReferralInput, now time.Time) (PartnerReferralInput, error) {
	out := in
	out.NameAR, out.NameEN = strings.Join(strings.Fields(in.NameAR), " "), strings.Join(strings.Fields(in.NameEN), " ")
	out.Sex = strings.ToLower(strings.TrimSpace(in.Sex))
	out.Urgency = strings.TrimSpace(in.Urgency)
	out.Narrative = strings.TrimSpace(in.Narrative)
	if out.NameAR == "" && out.NameEN == "" {
		return out, aman.FieldError("name_ar", aman.ERequired)
	}
	if out.Sex != "" && !aman.Sex(out.Sex).Valid() {
		return out, aman.FieldError("sex", aman.EInvalidSex)
	}
	if date := textnorm.FoldDigits(strings.TrimSpace(in.BirthDate)); date != "" {
		born, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return out, aman.FieldError("birth_date", aman.EInvalidDate)
		}
		if born.After(now) {
			return out, aman.FieldError("birth_date", aman.EDateInFuture)
		}
		out.BirthDate = born.Format(time.DateOnly)
	}
	if in.EstimatedAge < 0 || in.EstimatedAge > 120 {
		return out, aman.FieldError("age", aman.EInvalidAge)
	}
	if raw := strings.TrimSpace(in.QID); raw != "" {
		q, err := aman.ParseQID(textnorm.NormalizeQID(raw))
		if err != nil {
			return out, err
		}
		out.QID = q.Number
	}
	if raw := strings.TrimSpace(in.Phone); raw != "" {
		e164, err := textnorm.NormalizePhone(raw)
		if err != nil {
			return out, aman.FieldError("phone", aman.EInvalidPhone)
		}
		out.Phone = e164
	}
	out.Categories = nil
	for _, c := range in.Categories {
		c = strings.TrimSpace(c)
		if !slices.Contains(ReferralCategories(), c) {
			return out, aman.FieldError("categories", EInvalidReferralCategory)
		}
		if !slices.Contains(out.Categories, c) {
			out.Categories = append(out.Categories, c)
		}
	}
	if len(out.Categories) == 0 {
		return out, aman.FieldError("categories", aman.ERequired)
	}
	if len([]rune(out.Narrative)) > MaxReferralNarrative {
		return out, aman.FieldError("narrative", "text_too_long")
	}
	if !slices.Contains(ReferralUrgencies(), out.Urgency) {
		return out, aman.FieldError("urgency", EInvalidReferralUrgency)
	}
	// Consent may wait only when waiting could cost a life.
	if !out.Consent && out.Urgency != "immediate_danger" {
		return out, aman.FieldError("consent", EReferralConsentRequired)
	}
	return out, nil
}

func referralSignals(urgency string) aman.IntakeSignals {
	switch urgency {
	case "immediate_danger":
		return aman.IntakeSignals{ImmediateDanger: true}
	case "urgent":
		return aman.IntakeSignals{HighRisk: true}
	}
	return aman.IntakeSignals{}
}

// partnerOrg is the actor's organisation, or a clear error for a partner account nobody attached to one.
func partnerOrg(actor aman.Actor) (string, error) {
	if actor.OrgID == "" {
		return "", aman.Errorf(ENoPartnerOrg, "partner account has no organisation")
	}
	return actor.OrgID, nil
}

// Create records a referral and puts it in the triage queue, in one transaction.
func (p *PartnerReferrals) Create(ctx context.Context, actor aman.Actor, in PartnerReferralInput) (PartnerReferral, error) {
	if err := authorize(actor, policy.ReferralCreate); err != nil {
		return PartnerReferral{}, err
	}
	org, err := partnerOrg(actor)
	if err != nil {
		return PartnerReferral{}, err
	}
	in, err = normalizeReferral(in, p.DB.Now())
	if err != nil {
		return PartnerReferral{}, err
	}
	files, err := p.sealAttachments(in.Attachments)
	if err != nil {
		return PartnerReferral{}, err
	}
	ref := PartnerReferral{ID: newID(), OrgID: org, CreatedBy: actor.UserID, Urgency: in.Urgency, Categories: in.Categories, Status: ReferralInReceived,
		Attachments: len(files)}
	row := p.Keys.Row(partnerReferralTable, ref.ID)
	sealed, err := row.Fields("name_ar", in.NameAR, "name_en", in.NameEN, "birth_date", in.BirthDate, "phone", in.Phone, "qid", in.QID, "narrative", in.Narrative)
	if err != nil {
		return ref, err
	}
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		ok, err := partnerExists(ctx, tx, org)
		if err != nil {
			return err
		}
		if !ok {
			return aman.Errorf(ENoPartnerOrg, "partner organisation inactive or missing")
		}
		ref.CreatedAt, ref.StatusAt = tx.Now, tx.Now
		intake, err := p.Triage.Enqueue(ctx, tx, aman.ChannelReferral, ref.ID, referralSignals(in.Urgency), org)
		if err != nil {
			return err
		}
		ref.IntakeID = intake.ID
		if _, err := tx.ExecContext(ctx, `INSERT INTO partner_referrals (id, org_id, created_by, created_at, name_ar_sealed, name_en_sealed, sex,
			birth_date_sealed, estimated_age, phone_sealed, qid_sealed, categories, narrative_sealed, urgency, consent_obtained, intake_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			ref.ID, org, actor.UserID, store.Millis(tx.Now), sealed[0], sealed[1], in.Sex, sealed[2], in.EstimatedAge,
			sealed[3], sealed[4], strings.Join(in.Categories, ","), sealed[5], in.Urgency, in.Consent, intake.ID); err != nil {
			return err
		}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO referral_attachments (id, referral_id, content_type, size, chunks, metadata_removed, filename_sealed)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, f.ID, ref.ID, f.ContentType, f.Size, len(f.content), f.MetadataRemoved, f.filename); err != nil {
				return err
			}
			if err := referralAttachmentChunks.insert(ctx, tx, f.ID, f.content); err != nil {
				return err
			}
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "referral_in.create", Entity: "partner_referral", EntityID: ref.ID,
			Detail: map[string]string{"urgency": in.Urgency, "org": org, "intake": intake.ID, "attachments": strconv.Itoa(len(files))}})
	})
	return ref, err
}

// sealedAttachment is a referral's file checked, cleaned and sealed, ready to insert.
type sealedAttachment struct {
	ReferralAttachment
	filename seal.Sealed
	content  [][]byte
}

// sealAttachments checks the files sent with a referral as a case's documents are checked (type read
// from the bytes, location and other metadata removed) and seals them, before any transaction.
func (p *PartnerReferrals) sealAttachments(in []ReferralFile) ([]sealedAttachment, error) {
	var out []sealedAttachment
	for _, f := range in {
		if len(f.Data) == 0 {
			continue
		}
		if len(out) == MaxReferralAttachments {
			return nil, aman.FieldError("attachments", ETooManyAttachments)
		}
		name, err := boundedText("attachments", trimFilename(f.Filename), maxFilenameLength)
		if err != nil {
			return nil, err
		}
		cleaned, err := cleanFile("attachments", f.Data, MaxReferralAttachmentSize)
		if err != nil {
			return nil, err
		}
		a := sealedAttachment{ReferralAttachment: ReferralAttachment{ID: newID(), ContentType: cleaned.Type.MIME, Kind: cleaned.Type.Kind,
			Size: int64(len(cleaned.Data)), Filename: name, MetadataRemoved: cleaned.MetadataRemoved}}
		if a.filename, err = p.Keys.Row(referralAttachmentTable, a.ID).Seal("filename", name); err != nil {
			return nil, err
		}
		if a.content, err = referralAttachmentChunks.seal(p.Keys, a.ID, cleaned.Data); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

const referralListColumns = `r.id, r.org_id, r.created_by, r.created_at, r.urgency, r.categories, i.status, COALESCE(i.decided_at, r.created_at), i.id,
	(SELECT COUNT(*) FROM referral_attachments a WHERE a.referral_id = r.id)`

func scanReferral(row interface{ Scan(...any) error }) (PartnerReferral, error) {
	var ref PartnerReferral
	var created, statusAt int64
	var categories, status string
	if err := row.Scan(&ref.ID, &ref.OrgID, &ref.CreatedBy, &created, &ref.Urgency, &categories, &status, &statusAt, &ref.IntakeID, &ref.Attachments); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ref, aman.Errorf(aman.ENotFound, "no such referral")
		}
		return ref, err
	}
	ref.CreatedAt, ref.StatusAt = store.Time(created), store.Time(statusAt)
	if categories != "" {
		ref.Categories = strings.Split(categories, ",")
	}
	ref.Status = ReferralStatusOf(aman.IntakeStatus(status))
	return ref, nil
}

// MaxReferralList bounds one page of a desk's referrals.
const MaxReferralList = 200

// List is the actor's organisation's referrals, newest first, with their statuses.
func (p *PartnerReferrals) List(ctx context.Context, actor aman.Actor) ([]PartnerReferral, error) {
	if err := authorize(actor, policy.ReferralViewOwn); err != nil {
		return nil, err
	}
	org, err := partnerOrg(actor)
	if err != nil {
		return nil, err
	}
	var out []PartnerReferral
	err = p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+referralListColumns+` FROM partner_referrals r JOIN intakes i ON i.id = r.intake_id
			WHERE r.org_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT $2`, org, MaxReferralList)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			ref, err := scanReferral(rows)
			if err != nil {
				return err
			}
			out = append(out, ref)
		}
		return rows.Err()
	})
	return out, err
}

// Get is one referral's status, for a desk of the organisation that made it; any other answer is "not
// found", so a desk cannot even learn that another organisation's referral exists.
func (p *PartnerReferrals) Get(ctx context.Context, actor aman.Actor, id string) (PartnerReferral, error) {
	if err := authorize(actor, policy.ReferralViewOwn); err != nil {
		return PartnerReferral{}, err
	}
	if _, err := partnerOrg(actor); err != nil {
		return PartnerReferral{}, err
	}
	var ref PartnerReferral
	err := p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		ref, err = scanReferral(tx.QueryRowContext(ctx, `SELECT `+referralListColumns+` FROM partner_referrals r JOIN intakes i ON i.id = r.intake_id
			WHERE r.id = $1`, id))
		return err
	})
	if err != nil {
		return PartnerReferral{}, err
	}
	if !policy.ViewReferralStatus(actor, ref.OrgID) {
		return PartnerReferral{}, aman.Errorf(aman.ENotFound, "no such referral")
	}
	return ref, nil
}

// ForIntake opens a referral for triage: who was referred and why, so that triage can decide. Reading
// it is audited.
func (p *PartnerReferrals) ForIntake(ctx context.Context, actor aman.Actor, intakeID string) (ReferredPerson, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return ReferredPerson{}, err
	}
	var out ReferredPerson
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if out, err = p.readReferred(ctx, tx, intakeID); err != nil {
			return err
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "referral_in.view", Entity: "partner_referral", EntityID: out.Referral.ID})
	})
	return out, err
}

func (p *PartnerReferrals) readReferred(ctx context.Context, tx *store.Tx, intakeID string) (ReferredPerson, error) {
	var out ReferredPerson
	var nameAR, nameEN, birth, phone, qid, narrative seal.Sealed
	var created, statusAt int64
	var categories, status string
	err := tx.QueryRowContext(ctx, `SELECT r.id, r.org_id, r.created_by, r.created_at, r.urgency, r.categories, i.status, COALESCE(i.decided_at, r.created_at), i.id,
		o.name_ar, o.name_en, r.name_ar_sealed, r.name_en_sealed, r.sex, r.birth_date_sealed, r.estimated_age, r.phone_sealed, r.qid_sealed,
		r.narrative_sealed, r.consent_obtained
		FROM partner_referrals r JOIN intakes i ON i.id = r.intake_id JOIN partner_orgs o ON o.id = r.org_id WHERE r.intake_id = $1`, intakeID).Scan(
		&out.Referral.ID, &out.Referral.OrgID, &out.Referral.CreatedBy, &created, &out.Referral.Urgency, &categories, &status, &statusAt, &out.Referral.IntakeID,
		&out.OrgNameAR, &out.OrgNameEN, &nameAR, &nameEN, &out.Sex, &birth, &out.Age, &phone, &qid, &narrative, &out.Consent)
	if errors.Is(err, sql.ErrNoRows) {
		return out, aman.Errorf(ENotPartnerReferral, "intake is not a partner referral")
	}
	if err != nil {
		return out, err
	}
	out.Referral.CreatedAt, out.Referral.StatusAt = store.Time(created), store.Time(statusAt)
	out.Referral.Status = ReferralStatusOf(aman.IntakeStatus(status))
	if categories != "" {
		out.Referral.Categories = strings.Split(categories, ",")
	}
	err = p.Keys.Row(partnerReferralTable, out.Referral.ID).OpenAll(
		seal.Field{Column: "name_ar", Sealed: nameAR, Into: &out.NameAR}, seal.Field{Column: "name_en", Sealed: nameEN, Into: &out.NameEN},
		seal.Field{Column: "birth_date", Sealed: birth, Into: &out.BirthDate}, seal.Field{Column: "phone", Sealed: phone, Into: &out.Phone},
		seal.Field{Column: "qid", Sealed: qid, Into: &out.QID}, seal.Field{Column: "narrative", Sealed: narrative, Into: &out.Narrative})
	if err != nil {
		return out, err
	}
	out.Attachments, err = p.attachments(ctx, tx, `WHERE referral_id = $1 ORDER BY id`, out.Referral.ID)
	out.Referral.Attachments = len(out.Attachments)
	return out, err
}

// attachments reads and opens attachment descriptions; where is a constant of this file, never input.
func (p *PartnerReferrals) attachments(ctx context.Context, tx *store.Tx, where string, args ...any) ([]ReferralAttachment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, content_type, size, chunks, metadata_removed, filename_sealed FROM referral_attachments `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReferralAttachment
	for rows.Next() {
		var a ReferralAttachment
		var name seal.Sealed
		if err := rows.Scan(&a.ID, &a.ContentType, &a.Size, &a.chunks, &a.MetadataRemoved, &name); err != nil {
			return nil, err
		}
		if a.Filename, err = p.Keys.Row(referralAttachmentTable, a.ID).Open("filename", name); err != nil {
			return nil, err
		}
		if t, ok := media.ByMIME(a.ContentType); ok {
			a.Kind = t.Kind
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// DownloadAttachment opens a file sent with the partner referral of an intake, for triage. The
// download is audited (referral_in.attachment_download); the file is named in the URL by the intake
// and its own id, and one that is not that intake's referral's is not found. Once the intake is linked
// to a case, the case's team reads the same file among the case's documents, under the case's rules.
func (p *PartnerReferrals) DownloadAttachment(ctx context.Context, actor aman.Actor, intakeID, attachmentID string) (DocumentContent, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return DocumentContent{}, err
	}
	var a ReferralAttachment
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var referralID string
		err := tx.QueryRowContext(ctx, `SELECT a.referral_id FROM referral_attachments a JOIN partner_referrals r ON r.id = a.referral_id
			WHERE a.id = $1 AND r.intake_id = $2`, attachmentID, intakeID).Scan(&referralID)
		if errors.Is(err, sql.ErrNoRows) {
			return aman.Errorf(aman.ENotFound, "no such attachment")
		}
		if err != nil {
			return err
		}
		found, err := p.attachments(ctx, tx, `WHERE id = $1`, attachmentID)
		if err != nil {
			return err
		}
		a = found[0]
		return p.record(ctx, tx, actor, audit.Entry{Action: "referral_in.attachment_download", Entity: "referral_attachment", EntityID: attachmentID,
			Detail: map[string]string{"referral": referralID, "intake": intakeID}})
	})
	if err != nil {
		return DocumentContent{}, err
	}
	doc := Document{ID: a.ID, ContentType: a.ContentType, Kind: a.Kind, Size: a.Size, Filename: a.Filename, MetadataRemoved: a.MetadataRemoved,
		FromReferral: true, chunks: a.chunks}
	return DocumentContent{Document: doc, read: func(ctx context.Context, w io.Writer) error {
		return referralAttachmentChunks.stream(ctx, p.Deps, a.ID, a.chunks, a.Size, w)
	}}, nil
}

// OpenCase is triage's "open a case" for a partner referral: the referred person is registered from the
// referral's sealed fields, and the case opened for them, in one transaction.
func (p *PartnerReferrals) OpenCase(ctx context.Context, actor aman.Actor, intakeID string) (aman.Case, error) {
	if err := authorize(actor, policy.TriageAct); err != nil {
		return aman.Case{}, err
	}
	var k aman.Case
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		person, err := p.readReferred(ctx, tx, intakeID)
		if err != nil {
			return err
		}
		b, err := p.Beneficiaries.Create(ctx, actor, BeneficiaryInput{NameAR: person.NameAR, NameEN: person.NameEN, Sex: person.Sex,
			BirthDate: person.BirthDate, EstimatedAge: person.Age, Phone: person.Phone, QID: person.QID})
		if err != nil {
			return err
		}
		k, err = p.Triage.OpenCase(ctx, actor, intakeID, b.ID, p.Cases)
		return err
	})
	return k, err
}

// OnDuty tells whether the actor, a supervisor, is marked on duty for critical alerts.
func (t *Triage) OnDuty(ctx context.Context, actor aman.Actor) (bool, error) {
	if err := authorize(actor, policy.TriageView); err != nil {
		return false, err
	}
	var on bool
	err := t.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT on_duty FROM users WHERE id = $1`, actor.UserID).Scan(&on)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return on, err
}

// OrgName is the actor's partner organisation's name, in Arabic and English, for the desk's header.
func (p *PartnerReferrals) OrgName(ctx context.Context, actor aman.Actor) (ar, en string, err error) {
	if err := authorize(actor, policy.ReferralViewOwn); err != nil {
		return "", "", err
	}
	org, err := partnerOrg(actor)
	if err != nil {
		return "", "", err
	}
	err = p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT name_ar, name_en FROM partner_orgs WHERE id = $1`, org).Scan(&ar, &en)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", aman.Errorf(ENoPartnerOrg, "partner organisation missing")
	}
	return ar, en, err
}

// ReferralInputFromFields reads the desk's form from form fields, as the desk page and multipart API
// calls send them, with the files of its "attachments" part (names[i] is files[i]'s name). Categories
// may repeat or be comma-separated; consent is "1", "true", "on" or "yes"; the age may be written in
// Arabic-Indic digits.
func ReferralInputFromFields(fields map[string][]string, files [][]byte, names []string) (PartnerReferralInput, error) {
	f := formFields(fields)
	get := func(name string) string { return strings.TrimSpace(f.get(name)) }
	in := PartnerReferralInput{NameAR: get("name_ar"), NameEN: get("name_en"), Sex: get("sex"), BirthDate: get("birth_date"), Phone: get("phone"),
		QID: get("qid"), Narrative: get("narrative"), Urgency: get("urgency"), Consent: f.ticked("consent"), Categories: f.list("categories")}
	for i, data := range files {
		file := ReferralFile{Data: data}
		if i < len(names) {
			file.Filename = names[i]
		}
		in.Attachments = append(in.Attachments, file)
	}
	if age := get("age"); age != "" {
		n, err := strconv.Atoi(textnorm.FoldDigits(age))
		if err != nil {
			return in, aman.FieldError("age", aman.EInvalidAge)
		}
		in.EstimatedAge = n
	}
	return in, nil
}
