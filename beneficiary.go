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
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// Warnings are non-blocking doubts found on entry, such as a QID that disagrees with the birth year.
	Warnings []string
}

// Beneficiary field error codes.
const (
	EInvalidPhone       = "invalid_phone"
	EInvalidDate        = "invalid_date"
	EInvalidSex         = "invalid_sex"
	EInvalidNationality = "invalid_nationality"
	EDateInFuture       = "date_in_future"
)

// KnownNationality tells whether alpha2 is an ISO 3166-1 country code.
func KnownNationality(alpha2 string) bool {
	_, ok := isoNumeric[strings.ToUpper(alpha2)]
	return ok
}
