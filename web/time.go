package web

import (
	"strings"
	"time"
	// The centre's zone must resolve on any host, including a bare container with no zoneinfo files;
	// embedding the database costs some 450 KB of binary.
	_ "time/tzdata"

	"aman.qa/aman"
)

// centreZoneName is where the centre works: every time a person reads is shown in it, and every day
// typed into a form is a day there. Times are stored in UTC (DESIGN.md §3).
const centreZoneName = "Asia/Qatar"

// centreZone returns the centre's zone through load (time.LoadLocation), or a fixed UTC+3 when load
// fails. Qatar has kept UTC+3 without daylight saving since 1972, so the fallback is exact for every
// date the platform stores.
func centreZone(load func(string) (*time.Location, error)) *time.Location {
	if zone, err := load(centreZoneName); err == nil {
		return zone
	}
	return time.FixedZone("UTC+3", 3*60*60)
}

const (
	// dayLayout is how a day travels in forms and URLs: what <input type="date"> sends.
	dayLayout = "2006-01-02"
	// shownLayout is how a time reads on screen, to the second, the same in both languages. Auditors
	// compare times across rows, so they line up best in one fixed form.
	shownLayout = "2006-01-02 15:04:05"
)

// eInvalidDate is the code of a day that does not parse (shared with other forms' date fields).
const eInvalidDate = "invalid_date"

// parseDay reads a calendar day (yyyy-mm-dd, in Latin or Arabic-Indic digits) as the instant it
// starts in zone. An empty value is the zero time, meaning "no bound".
func parseDay(value string, zone *time.Location, field string) (time.Time, error) {
	value = foldDigits(strings.TrimSpace(value))
	if value == "" {
		return time.Time{}, nil
	}
	day, err := time.ParseInLocation(dayLayout, value, zone)
	if err != nil {
		return time.Time{}, aman.FieldError(field, eInvalidDate)
	}
	return day, nil
}

// foldDigits turns Arabic-Indic (٠-٩) and Persian (۰-۹) digits into Latin ones: an Arabic keyboard
// types the former, and a date field without browser support takes whatever is typed.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return '0' + (r - '٠')
		case r >= '۰' && r <= '۹':
			return '0' + (r - '۰')
		}
		return r
	}, s)
}

// shownTime is an instant ready for a <time> element: the machine form in UTC and the text a person
// reads, in the centre's zone.
type shownTime struct {
	Machine string
	Text    string
}

// showTime formats t for people in zone. The zero time shows as nothing.
func showTime(t time.Time, zone *time.Location) shownTime {
	if t.IsZero() {
		return shownTime{}
	}
	return shownTime{Machine: t.UTC().Format(time.RFC3339), Text: t.In(zone).Format(shownLayout)}
}
