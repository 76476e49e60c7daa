package app

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/audit"
	"aman.qa/aman/media"
	"aman.qa/aman/policy"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// PublicIntake is the centre's public door: the children's help requests (Sa'idni), the women's
// consultations (Shawirni) and reports by anyone (Ballighni). A sender has no account: a long random
// follow-up code and a passphrase they chose open their request later, as whistleblowing systems do.
// Everything they write or attach is sealed; the code is kept only as a hash and the passphrase only
// as an argon2id hash.
type PublicIntake struct {
	Deps
	Triage *Triage
	Limits PublicLimits

	dummyOnce sync.Once
	dummy     string
}

// PublicLimits bound what one client address, and what one follow-up code, may do per window. The
// counters live in the database, so they hold across every node behind a load balancer.
type PublicLimits struct {
	Window time.Duration
	// SubmissionsPerIP counts new requests. Generous: many phones share one address behind a carrier's NAT.
	SubmissionsPerIP int
	// GuessesPerIP and GuessesPerCode count follow-up attempts that fail (a wrong code or passphrase).
	GuessesPerIP   int
	GuessesPerCode int
}

// DefaultPublicLimits: 20 requests, and 10 failed follow-up guesses per address and per code, per hour.
func DefaultPublicLimits() PublicLimits {
	return PublicLimits{Window: time.Hour, SubmissionsPerIP: 20, GuessesPerIP: 10, GuessesPerCode: 10}
}

// Public intake error codes.
const (
	EPassphraseTooShort   = "passphrase_too_short"
	EInvalidHarm          = "invalid_harm"
	EInvalidConsultKind   = "invalid_consultation_kind"
	EInvalidReportAbout   = "invalid_report_about"
	EInvalidReportUrgency = "invalid_report_urgency"
	EInvalidAge           = "invalid_age"
	EEmptyRequest         = "empty_request"
	ETooManyAttachments   = "too_many_attachments"
	// EFollowUpNotFound is the one answer to a wrong code and to a wrong passphrase alike.
	EFollowUpNotFound = "follow_up_not_found"
)

// Which limit a rate_limited error is about; it is the error's field.
const (
	RateLimitSubmission = "submission"
	RateLimitFollowUp   = "follow_up"
)

// Bounds of the public apps' requests.
const (
	MaxPublicAttachments    = 3
	MaxPublicAttachmentSize = 10 << 20
	minPassphraseLength     = 8
	maxPassphraseLength     = 200
	maxPublicMessage        = 4000
	maxPublicField          = 200
	// followUpCodeLength base32 characters are 100 bits, shown in groups of followUpCodeGroup.
	followUpCodeLength    = 20
	followUpCodeGroup     = 4
	publicReferenceLength = 8
)

const (
	publicRequestTable    = "public_requests"
	publicMessageTable    = "public_messages"
	publicAttachmentTable = "public_attachments"
	publicActorID         = "public"
)

// Harms a child can tap in Sa'idni.
func Harms() []string { return []string{"verbal", "physical", "sexual", "confinement", "neglect"} }

// ConsultationKinds a woman can ask Shawirni about.
func ConsultationKinds() []string { return []string{"psychological", "social", "legal", "family"} }

// PublicFile is one attachment as it arrived.
type PublicFile struct {
	Data []byte
}

// PublicRequestInput is a request from one of the three apps. Fields that belong to another channel
// are ignored.
type PublicRequestInput struct {
	Channel    aman.Channel
	Passphrase string
	Message    string
	// Harms (help requests).
	Harms []string
	// Kind (consultations).
	Kind string
	// About and Urgency (reports).
	About   string
	Urgency string
	// Danger is "I am in danger now", which any app may offer.
	Danger bool
	// How and when to reach the sender safely; empty means "do not contact me".
	ContactWay  string
	ContactTime string
	// Age and School (help requests), Area and Zone (reports), ReporterName (reports not anonymous).
	Age          string
	School       string
	Area         string
	Zone         string
	ReporterName string
	Attachments  []PublicFile
}

// PublicReceipt is what the sender keeps: the reference to quote and the code that opens the request.
type PublicReceipt struct {
	ID           string
	Reference    string
	FollowUpCode string
}

// PublicMessage is one message of a request's conversation.
type PublicMessage struct {
	ID   string
	From string // "centre" or "sender"
	Text string
	At   time.Time
}

// PublicThread is what a sender sees on follow-up.
type PublicThread struct {
	Reference string
	Status    string
	Messages  []PublicMessage
}

// Follow-up statuses a sender sees.
const (
	PublicReceived   = "received"
	PublicInProgress = "in_progress"
	PublicAnswered   = "answered"
)

// PublicAttachment describes an attachment, without its bytes.
type PublicAttachment struct {
	ID          string
	ContentType string
	Kind        media.Kind
	Size        int64
}

// PublicRequest is a request as staff see it.
type PublicRequest struct {
	ID           string
	Reference    string
	Channel      aman.Channel
	Kind         string
	Harms        []string
	About        string
	Urgency      string
	Danger       bool
	Anonymous    bool
	Message      string
	ContactWay   string
	ContactTime  string
	Age          string
	School       string
	Area         string
	Zone         string
	ReporterName string
	ReceivedAt   time.Time
	Status       string
	Messages     []PublicMessage
	Attachments  []PublicAttachment
}

func (p *PublicIntake) limits() PublicLimits {
	if p.Limits == (PublicLimits{}) {
		return DefaultPublicLimits()
	}
	return p.Limits
}

// validated is a request ready to store.
type validated struct {
	in      PublicRequestInput
	files   []media.Cleaned
	signals aman.IntakeSignals
}

func validatePublic(in PublicRequestInput) (validated, error) {
	v := validated{in: in}
	var err error
	if len([]rune(in.Passphrase)) < minPassphraseLength {
		return v, aman.FieldError("passphrase", EPassphraseTooShort)
	}
	if len([]rune(in.Passphrase)) > maxPassphraseLength {
		return v, aman.FieldError("passphrase", aman.ETextTooLong)
	}
	if v.in.Message, err = boundedText("message", in.Message, maxPublicMessage); err != nil {
		return v, err
	}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"contact_way", &v.in.ContactWay}, {"contact_time", &v.in.ContactTime}, {"school", &v.in.School},
		{"area", &v.in.Area}, {"zone", &v.in.Zone}, {"reporter_name", &v.in.ReporterName}} {
		if *f.dst, err = boundedText(f.name, *f.dst, maxPublicField); err != nil {
			return v, err
		}
	}
	if v.in.Age, err = normalizeAge(in.Age); err != nil {
		return v, err
	}
	if len(in.Attachments) > MaxPublicAttachments {
		return v, aman.FieldError("attachments", ETooManyAttachments)
	}
	for _, f := range in.Attachments {
		if len(f.Data) == 0 {
			continue
		}
		cleaned, err := cleanFile("attachments", f.Data, MaxPublicAttachmentSize)
		if err != nil {
			return v, err
		}
		v.files = append(v.files, cleaned)
	}
	v.signals.ImmediateDanger = in.Danger
	switch in.Channel {
	case aman.ChannelHelpRequest:
		v.in.Harms = nil
		for _, h := range in.Harms {
			h = strings.TrimSpace(h)
			if !slices.Contains(Harms(), h) {
				return v, aman.FieldError("harms", EInvalidHarm)
			}
			if !slices.Contains(v.in.Harms, h) {
				v.in.Harms = append(v.in.Harms, h)
			}
		}
		slices.SortFunc(v.in.Harms, func(a, b string) int { return slices.Index(Harms(), a) - slices.Index(Harms(), b) })
		// A child may only tap a picture; but a request that says nothing at all cannot be acted on.
		if len(v.in.Harms) == 0 && v.in.Message == "" && len(v.files) == 0 {
			return v, aman.FieldError("harms", EEmptyRequest)
		}
		// Every child asking for help is a child in danger until someone has spoken to them.
		v.signals.ChildInDanger = true
	case aman.ChannelConsultation:
		v.in.Kind = strings.TrimSpace(in.Kind)
		switch {
		case v.in.Kind == "":
			return v, aman.FieldError("kind", aman.ERequired)
		case !slices.Contains(ConsultationKinds(), v.in.Kind):
			return v, aman.FieldError("kind", EInvalidConsultKind)
		case v.in.Message == "":
			return v, aman.FieldError("message", aman.ERequired)
		}
		if mentionsDanger(v.in.Message) {
			v.signals.ImmediateDanger = true
		}
	case aman.ChannelReport:
		v.in.About, v.in.Urgency = strings.TrimSpace(in.About), strings.TrimSpace(in.Urgency)
		if v.in.Urgency == "" {
			v.in.Urgency = "normal"
		}
		switch {
		case v.in.About == "":
			return v, aman.FieldError("about", aman.ERequired)
		case v.in.About != "woman" && v.in.About != "child":
			return v, aman.FieldError("about", EInvalidReportAbout)
		case v.in.Urgency != "normal" && v.in.Urgency != "urgent":
			return v, aman.FieldError("urgency", EInvalidReportUrgency)
		case v.in.Message == "" && len(v.files) == 0:
			return v, aman.FieldError("message", EEmptyRequest)
		}
		if v.in.Urgency == "urgent" {
			v.signals.ChildInDanger = v.in.About == "child"
			v.signals.HighRisk = v.in.About == "woman"
		}
	default:
		return v, aman.Errorf(aman.EInvalid, "channel %q is not a public app", in.Channel)
	}
	return v, nil
}

// dangerWords are the few words that move a consultation to the top of the queue. Deliberately short:
// a counsellor reads every consultation; this only makes sure the obvious cry for help is read first.
var dangerWords = []string{"يقتلني", "سيقتلني", "يهددني بالقتل", "خطر", "سكين", "انتحار", "kill me", "danger", "knife", "suicide", "going to kill"}

func mentionsDanger(text string) bool {
	lower := strings.ToLower(text)
	for _, w := range dangerWords {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}

// normalizeAge accepts an age in Latin or Arabic-Indic digits.
func normalizeAge(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '٠' && r <= '٩':
			b.WriteRune('0' + (r - '٠'))
		case r >= '۰' && r <= '۹':
			b.WriteRune('0' + (r - '۰'))
		default:
			return "", aman.FieldError("age", EInvalidAge)
		}
	}
	n, err := strconv.Atoi(b.String())
	if err != nil || n < 1 || n > 120 {
		return "", aman.FieldError("age", EInvalidAge)
	}
	return strconv.Itoa(n), nil
}

// NewFollowUpCode is 20 base32 characters (100 bits) in groups of four, easy to read aloud or copy onto
// paper: "K7QM-2XWA-…".
func NewFollowUpCode() string {
	raw := strings.ToUpper(seal.RandomToken(13))[:followUpCodeLength]
	var groups []string
	for i := 0; i < len(raw); i += followUpCodeGroup {
		groups = append(groups, raw[i:i+followUpCodeGroup])
	}
	return strings.Join(groups, "-")
}

// normalizeFollowUpCode forgives what people do when they copy a code: spaces, dashes, lower case, and the
// digits that look like letters base32 does not use (0 for O, 1 for L, 8 for B).
func normalizeFollowUpCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		switch {
		case r >= 'a' && r <= 'z', r >= '2' && r <= '7':
			b.WriteRune(r)
		case r == '0':
			b.WriteRune('o')
		case r == '1':
			b.WriteRune('l')
		case r == '8':
			b.WriteRune('b')
		}
	}
	return b.String()
}

func codeHash(code string) []byte { return seal.HashToken("follow-up:" + normalizeFollowUpCode(code)) }

func newReference(channel aman.Channel) string {
	prefix := map[aman.Channel]string{aman.ChannelHelpRequest: "HLP", aman.ChannelConsultation: "CNS", aman.ChannelReport: "RPT"}[channel]
	return prefix + "-" + strings.ToUpper(seal.RandomToken(5))[:publicReferenceLength]
}

// hashedIP is how a sender's address appears in the audit and the rate limits: a keyed hash, so the
// small IPv4 space cannot be enumerated back from a copy of the database.
func (p *PublicIntake) hashedIP(ip string) string {
	return "h:" + hex.EncodeToString(p.Keys.MAC("public.ip", []byte(ip)))[:24]
}

func (p *PublicIntake) publicActor(meta Meta) aman.Actor {
	return aman.Actor{UserID: publicActorID, Username: publicActorID, IP: p.hashedIP(meta.IP), RequestID: meta.RequestID}
}

// hit counts one event in bucket's current window and returns the count so far, in tx.
func (p *PublicIntake) hit(ctx context.Context, tx *store.Tx, bucket string, delta int) (int, error) {
	lim := p.limits()
	window := store.Millis(tx.Now.Truncate(lim.Window))
	key := p.Keys.MAC("public.rate", []byte(bucket))
	if _, err := tx.ExecContext(ctx, `DELETE FROM public_rate_limits WHERE window_start < $1`, window-2*ms(lim.Window)); err != nil {
		return 0, err
	}
	var n int
	err := tx.QueryRowContext(ctx, `INSERT INTO public_rate_limits (bucket, window_start, hits) VALUES ($1, $2, $3)
		ON CONFLICT (bucket, window_start) DO UPDATE SET hits = public_rate_limits.hits + $3 RETURNING hits`, key, window, delta).Scan(&n)
	return n, err
}

func rateLimited(kind string) error {
	return &aman.Error{Code: aman.ERateLimited, Field: kind}
}

// Submit records a request from a public app and puts it in the triage queue, in one transaction. The
// follow-up code is returned once and never stored.
func (p *PublicIntake) Submit(ctx context.Context, meta Meta, in PublicRequestInput) (PublicReceipt, error) {
	v, err := validatePublic(in)
	if err != nil {
		return PublicReceipt{}, err
	}
	// The counter is its own transaction: a refused request must still count.
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		n, err := p.hit(ctx, tx, "submit:"+meta.IP, 1)
		if err == nil && n > p.limits().SubmissionsPerIP {
			return rateLimited(RateLimitSubmission)
		}
		return err
	})
	if err != nil {
		return PublicReceipt{}, err
	}
	receipt := PublicReceipt{ID: newID(), Reference: newReference(in.Channel), FollowUpCode: NewFollowUpCode()}
	passHash, err := seal.HashPassword(in.Passphrase, seal.DefaultPasswordParams())
	if err != nil {
		return PublicReceipt{}, err
	}
	// Sealing happens before the transaction, so SQLite's single writer is held only for the inserts.
	row := p.Keys.Row(publicRequestTable, receipt.ID)
	sealed, err := row.Fields("message", v.in.Message, "contact_way", v.in.ContactWay, "contact_time", v.in.ContactTime,
		"age", v.in.Age, "school", v.in.School, "area", v.in.Area, "zone", v.in.Zone, "reporter_name", v.in.ReporterName)
	if err != nil {
		return PublicReceipt{}, err
	}
	type sealedFile struct {
		id      string
		cleaned media.Cleaned
		content []byte
	}
	var files []sealedFile
	for _, f := range v.files {
		id := newID()
		ct, err := p.Keys.Seal(f.Data, seal.AAD(publicAttachmentTable, "content", id))
		if err != nil {
			return PublicReceipt{}, err
		}
		files = append(files, sealedFile{id: id, cleaned: f, content: ct})
	}
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO public_requests (id, reference, channel, kind, harms, about, urgency, danger, anonymous,
			message_sealed, contact_way_sealed, contact_time_sealed, age_sealed, school_sealed, area_sealed, zone_sealed, reporter_name_sealed,
			code_hash, passphrase_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`,
			receipt.ID, receipt.Reference, string(in.Channel), v.in.Kind, strings.Join(v.in.Harms, ","), v.in.About, v.in.Urgency,
			v.in.Danger, v.in.ReporterName == "", sealed[0], sealed[1], sealed[2], sealed[3], sealed[4], sealed[5], sealed[6], sealed[7],
			codeHash(receipt.FollowUpCode), passHash, store.Millis(tx.Now)); err != nil {
			return err
		}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `INSERT INTO public_attachments (id, request_id, content_type, kind, size, metadata_removed, content_sealed, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, f.id, receipt.ID, f.cleaned.Type.MIME, string(f.cleaned.Type.Kind), len(f.cleaned.Data),
				f.cleaned.MetadataRemoved, f.content, store.Millis(tx.Now)); err != nil {
				return err
			}
		}
		if _, err := p.Triage.Enqueue(ctx, tx, in.Channel, receipt.ID, v.signals, ""); err != nil {
			return err
		}
		return p.record(ctx, tx, p.publicActor(meta), audit.Entry{Action: "public_request.create", Entity: "public_request", EntityID: receipt.ID,
			Detail: map[string]string{"channel": string(in.Channel), "attachments": strconv.Itoa(len(files))}})
	})
	if err != nil {
		return PublicReceipt{}, err
	}
	return receipt, nil
}

// dummyHash is verified when no request has the code, so a wrong code takes as long as a wrong
// passphrase and the two cannot be told apart by timing either.
func (p *PublicIntake) dummyHash() string {
	p.dummyOnce.Do(func() {
		p.dummy, _ = seal.HashPassword(seal.RandomToken(16), seal.DefaultPasswordParams())
	})
	return p.dummy
}

// open finds the request a code and passphrase open. Failed guesses count against the sender's address
// and against the code tried; both counters are taken before the check (and given back on success), so
// parallel guesses cannot slip past the limit. A failure is audited with the hashed address only.
func (p *PublicIntake) open(ctx context.Context, meta Meta, code, passphrase string) (id string, channel aman.Channel, err error) {
	lim := p.limits()
	norm := normalizeFollowUpCode(code)
	buckets := []string{"guess-ip:" + meta.IP, "guess-code:" + norm}
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		for i, b := range buckets {
			n, err := p.hit(ctx, tx, b, 1)
			if err != nil {
				return err
			}
			if limit := []int{lim.GuessesPerIP, lim.GuessesPerCode}[i]; n > limit {
				return rateLimited(RateLimitFollowUp)
			}
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	var hash, ch string
	err = p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT id, channel, passphrase_hash FROM public_requests WHERE code_hash = $1`, codeHash(norm)).Scan(&id, &ch, &hash)
	})
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	if !found {
		hash = p.dummyHash()
	}
	ok, _, verr := seal.VerifyPassword(hash, passphrase, seal.DefaultPasswordParams())
	if found && ok && verr == nil && len(norm) == followUpCodeLength {
		err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			for _, b := range buckets {
				if _, err := p.hit(ctx, tx, b, -1); err != nil {
					return err
				}
			}
			return nil
		})
		return id, aman.Channel(ch), err
	}
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		return p.record(ctx, tx, p.publicActor(meta), audit.Entry{Action: "public_request.follow_up_failed"})
	})
	if err != nil {
		return "", "", err
	}
	return "", "", aman.Errorf(EFollowUpNotFound, "no request opens with this code and passphrase")
}

// FollowUp opens a request with its code and passphrase and returns its conversation. A wrong code and a
// wrong passphrase fail alike.
func (p *PublicIntake) FollowUp(ctx context.Context, meta Meta, code, passphrase string) (PublicThread, error) {
	id, _, err := p.open(ctx, meta, code, passphrase)
	if err != nil {
		return PublicThread{}, err
	}
	var th PublicThread
	err = p.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		req, err := p.load(ctx, tx, id)
		th = PublicThread{Reference: req.Reference, Status: req.Status, Messages: req.Messages}
		return err
	})
	return th, err
}

// Reply adds the sender's answer to their request. When the centre has already dealt with the request,
// the answer puts it back in the triage queue, so nobody misses it.
func (p *PublicIntake) Reply(ctx context.Context, meta Meta, code, passphrase, text string) (PublicThread, error) {
	text, err := boundedText("text", text, maxPublicMessage)
	if err != nil {
		return PublicThread{}, err
	}
	if text == "" {
		return PublicThread{}, aman.FieldError("text", aman.ERequired)
	}
	id, channel, err := p.open(ctx, meta, code, passphrase)
	if err != nil {
		return PublicThread{}, err
	}
	msgID := newID()
	sealed, err := p.Keys.Row(publicMessageTable, msgID).Seal("text", text)
	if err != nil {
		return PublicThread{}, err
	}
	var th PublicThread
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO public_messages (id, request_id, sender, text_sealed, created_at) VALUES ($1, $2, 'sender', $3, $4)`,
			msgID, id, sealed, store.Millis(tx.Now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE public_requests SET updated_at = $1 WHERE id = $2`, store.Millis(tx.Now), id); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM intakes WHERE channel = $1 AND source_id = $2 AND status = $3`,
			string(channel), id, string(aman.IntakeOpen)).Scan(&open); err != nil {
			return err
		}
		req, err := p.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if open == 0 {
			signals := aman.IntakeSignals{ImmediateDanger: channel == aman.ChannelConsultation && mentionsDanger(text), ChildInDanger: channel == aman.ChannelHelpRequest}
			if _, err := p.Triage.Enqueue(ctx, tx, channel, id, signals, ""); err != nil {
				return err
			}
		}
		th = PublicThread{Reference: req.Reference, Status: req.Status, Messages: req.Messages}
		return p.record(ctx, tx, p.publicActor(meta), audit.Entry{Action: "public_request.reply", Entity: "public_request", EntityID: id})
	})
	return th, err
}

// load reads a request with its conversation and attachment list, opening the sealed fields.
func (p *PublicIntake) load(ctx context.Context, tx *store.Tx, id string) (PublicRequest, error) {
	var r PublicRequest
	var channel, harms string
	var created int64
	var fields [8]seal.Sealed
	err := tx.QueryRowContext(ctx, `SELECT id, reference, channel, kind, harms, about, urgency, danger, anonymous, message_sealed, contact_way_sealed,
		contact_time_sealed, age_sealed, school_sealed, area_sealed, zone_sealed, reporter_name_sealed, created_at FROM public_requests WHERE id = $1`, id).
		Scan(&r.ID, &r.Reference, &channel, &r.Kind, &harms, &r.About, &r.Urgency, &r.Danger, &r.Anonymous, &fields[0], &fields[1], &fields[2],
			&fields[3], &fields[4], &fields[5], &fields[6], &fields[7], &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, aman.Errorf(aman.ENotFound, "no such request")
	}
	if err != nil {
		return r, err
	}
	r.Channel, r.ReceivedAt = aman.Channel(channel), store.Time(created)
	if harms != "" {
		r.Harms = strings.Split(harms, ",")
	}
	row := p.Keys.Row(publicRequestTable, r.ID)
	dst := []*string{&r.Message, &r.ContactWay, &r.ContactTime, &r.Age, &r.School, &r.Area, &r.Zone, &r.ReporterName}
	for i, col := range []string{"message", "contact_way", "contact_time", "age", "school", "area", "zone", "reporter_name"} {
		if *dst[i], err = row.Open(col, fields[i]); err != nil {
			return r, err
		}
	}
	if r.Message != "" {
		r.Messages = append(r.Messages, PublicMessage{ID: r.ID, From: "sender", Text: r.Message, At: r.ReceivedAt})
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, sender, text_sealed, created_at FROM public_messages WHERE request_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	centre := false
	for rows.Next() {
		var m PublicMessage
		var text seal.Sealed
		var at int64
		if err := rows.Scan(&m.ID, &m.From, &text, &at); err != nil {
			return r, err
		}
		if m.Text, err = p.Keys.Row(publicMessageTable, m.ID).Open("text", text); err != nil {
			return r, err
		}
		m.At = store.Time(at)
		centre = centre || m.From == "centre"
		r.Messages = append(r.Messages, m)
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	atts, err := tx.QueryContext(ctx, `SELECT id, content_type, kind, size FROM public_attachments WHERE request_id = $1 ORDER BY id`, id)
	if err != nil {
		return r, err
	}
	defer atts.Close()
	for atts.Next() {
		var a PublicAttachment
		var kind string
		if err := atts.Scan(&a.ID, &a.ContentType, &kind, &a.Size); err != nil {
			return r, err
		}
		a.Kind = media.Kind(kind)
		r.Attachments = append(r.Attachments, a)
	}
	if err := atts.Err(); err != nil {
		return r, err
	}
	var open int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM intakes WHERE channel = $1 AND source_id = $2 AND status = $3`,
		channel, id, string(aman.IntakeOpen)).Scan(&open); err != nil {
		return r, err
	}
	switch {
	case centre:
		r.Status = PublicAnswered
	case open == 0:
		r.Status = PublicInProgress
	default:
		r.Status = PublicReceived
	}
	return r, nil
}

// Consultation is a consultation as the counsellor answering it sees it. The read is audited.
func (p *PublicIntake) Consultation(ctx context.Context, actor aman.Actor, id string) (PublicRequest, error) {
	if err := authorize(actor, policy.ConsultationAnswer); err != nil {
		return PublicRequest{}, err
	}
	var r PublicRequest
	err := p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		var err error
		if r, err = p.consultation(ctx, tx, id); err != nil {
			return err
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "consultation.view", Entity: "public_request", EntityID: id})
	})
	return r, err
}

func (p *PublicIntake) consultation(ctx context.Context, tx *store.Tx, id string) (PublicRequest, error) {
	r, err := p.load(ctx, tx, id)
	if err == nil && r.Channel != aman.ChannelConsultation {
		return PublicRequest{}, aman.Errorf(aman.ENotFound, "not a consultation")
	}
	return r, err
}

// AnswerConsultation adds a counsellor's reply, which the sender reads on follow-up, and marks the
// consultation answered in the triage queue, in one transaction.
func (p *PublicIntake) AnswerConsultation(ctx context.Context, actor aman.Actor, id, text string) (PublicMessage, error) {
	if err := authorize(actor, policy.ConsultationAnswer); err != nil {
		return PublicMessage{}, err
	}
	text, err := boundedText("text", text, maxPublicMessage)
	if err != nil {
		return PublicMessage{}, err
	}
	if text == "" {
		return PublicMessage{}, aman.FieldError("text", aman.ERequired)
	}
	m := PublicMessage{ID: newID(), From: "centre", Text: text}
	sealed, err := p.Keys.Row(publicMessageTable, m.ID).Seal("text", text)
	if err != nil {
		return PublicMessage{}, err
	}
	err = p.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
		if _, err := p.consultation(ctx, tx, id); err != nil {
			return err
		}
		m.At = tx.Now
		if _, err := tx.ExecContext(ctx, `INSERT INTO public_messages (id, request_id, sender, text_sealed, author_id, created_at) VALUES ($1, $2, 'centre', $3, $4, $5)`,
			m.ID, id, sealed, actor.UserID, store.Millis(tx.Now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE public_requests SET updated_at = $1 WHERE id = $2`, store.Millis(tx.Now), id); err != nil {
			return err
		}
		if err := p.Triage.MarkAnswered(ctx, tx, actor, aman.ChannelConsultation, id); err != nil {
			return err
		}
		return p.record(ctx, tx, actor, audit.Entry{Action: "consultation.answer", Entity: "public_request", EntityID: id})
	})
	return m, err
}

// PublicInputFromFields reads a request from form fields, as the apps' pages and multipart API calls
// send them. Harms may repeat or be comma-separated; a checkbox's "on" is true.
func PublicInputFromFields(channel aman.Channel, fields map[string][]string, files [][]byte) PublicRequestInput {
	f := formFields(fields)
	in := PublicRequestInput{Channel: channel, Passphrase: f.get("passphrase"), Message: f.get("message"), Kind: f.get("kind"),
		About: f.get("about"), Urgency: f.get("urgency"), ContactWay: f.get("contact_way"), ContactTime: f.get("contact_time"), Age: f.get("age"),
		School: f.get("school"), Area: f.get("area"), Zone: f.get("zone"), ReporterName: f.get("reporter_name"),
		Danger: f.ticked("danger"), Harms: f.list("harms")}
	for _, f := range files {
		in.Attachments = append(in.Attachments, PublicFile{Data: f})
	}
	return in
}

// formFields are a form's fields as a page or a multipart API call sends them.
type formFields map[string][]string

// get is a field's first value, as sent (a passphrase keeps its spaces), or "".
func (f formFields) get(name string) string {
	if v := f[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// ticked reads a checkbox or a boolean: "1", "true", "on" or "yes".
func (f formFields) ticked(name string) bool {
	switch strings.ToLower(strings.TrimSpace(f.get(name))) {
	case "1", "true", "on", "yes":
		return true
	}
	return false
}

// list reads codes that may repeat or be comma-separated.
func (f formFields) list(name string) []string {
	var out []string
	for _, v := range f[name] {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}
