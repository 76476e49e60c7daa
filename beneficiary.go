package aman

import (
	"strings"
	"time"
)

// Sex as recorded for a beneficiary.
type Sex string

const (
	SexFemale Sex = "female"
	SexMale   Sex = "male"
)

// Valid tells whether s is a recorded value; empty means not recorded.
func (s Sex) Valid() bool { return s == "" || s == SexFemale || s == SexMale }

// Beneficiary is a person the centre serves. Every identifying field is sealed at rest; this struct
// holds them opened, for those allowed to see them.
type Beneficiary struct {
	ID     string
	NameAR string
	NameEN string
	Sex    Sex
	// BirthDate is YYYY-MM-DD, empty when unknown.
	BirthDate   string
	QID         string
	Phone       string
	Nationality string
	// EstimatedAge is set when the birth date is unknown; it is stored as an estimated birth year.
	EstimatedAge int
	Passport     string
	AltPhone     string
	// Area and Zone are the Qatari address: a district name and its zone number.
	Area       string
	Zone       string
	Languages  []string
	Disability string
	// MergedInto names the surviving record when this one was merged into it.
	MergedInto string
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Warnings are non-blocking doubts found on entry, such as a QID that disagrees with the birth year.
	Warnings []string
	// PossibleDuplicates are existing records that look like this one, found on entry: the same QID,
	// passport or phone, or the same name with the same birth year.
	PossibleDuplicates []string
}

// Beneficiary field error codes.
const (
	EInvalidPhone       = "invalid_phone"
	EInvalidDate        = "invalid_date"
	EInvalidSex         = "invalid_sex"
	EInvalidNationality = "invalid_nationality"
	EDateInFuture       = "date_in_future"
	EInvalidAge         = "invalid_age"
	EInvalidZone        = "invalid_zone"
	EInvalidLanguage    = "invalid_language"
	EAlreadyMerged      = "already_merged"
)

// KnownNationality tells whether alpha2 is an ISO 3166-1 country code.
func KnownNationality(alpha2 string) bool {
	_, ok := isoNumeric[strings.ToUpper(alpha2)]
	return ok
}
