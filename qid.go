package aman

import "strings"

// EInvalidQID reports a Qatar ID number that is not eleven digits starting with 2 or 3.
const EInvalidQID = "invalid_qid"

// Warning codes from QID.Warnings. They are advisory: a QID that disagrees with the recorded birth year
// or nationality is still stored, because either side may be the one that is wrong, and a person who
// changed nationality keeps the number they were first issued.
const (
	WarnQIDBirthYearMismatch   = "qid_birth_year_mismatch"
	WarnQIDNationalityMismatch = "qid_nationality_mismatch"
)

// QID is a parsed Qatar ID number. The number encodes the holder's birth century (first digit: 2 for
// the 1900s, 3 for the 2000s), the last two digits of the birth year, and the ISO 3166-1 numeric code
// of the nationality at issue (634 is Qatar). The remaining five digits are a serial with no public
// check-digit rule, so nothing further can be validated offline.
type QID struct {
	Number             string
	BirthYear          int
	NationalityNumeric string
}

// ParseQID checks that s is exactly eleven ASCII digits starting with 2 or 3 and decodes it. It does not
// trim or fold digits: callers run textnorm.NormalizeQID first, so that the stored number, the blind
// index and the value validated here are one and the same string.
func ParseQID(s string) (QID, error) {
	if len(s) != 11 || (s[0] != '2' && s[0] != '3') {
		return QID{}, FieldError("qid", EInvalidQID)
	}
	for i := 1; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return QID{}, FieldError("qid", EInvalidQID)
		}
	}
	century := 1900
	if s[0] == '3' {
		century = 2000
	}
	return QID{
		Number:             s,
		BirthYear:          century + int(s[1]-'0')*10 + int(s[2]-'0'),
		NationalityNumeric: s[3:6],
	}, nil
}

// Warnings compares the QID with what the case record says: the birth year and the ISO 3166-1 alpha-2
// nationality. It returns the codes of the disagreements, or nil. An unknown input (year 0, empty or
// unrecognised nationality) gives no warning, so a half-filled form is never flagged for what it lacks.
func (q QID) Warnings(birthYear int, nationalityAlpha2 string) []string {
	var w []string
	if birthYear != 0 && q.BirthYear != 0 && birthYear != q.BirthYear {
		w = append(w, WarnQIDBirthYearMismatch)
	}
	if q.NationalityNumeric != "" {
		if num, ok := isoNumeric[strings.ToUpper(strings.TrimSpace(nationalityAlpha2))]; ok && num != q.NationalityNumeric {
			w = append(w, WarnQIDNationalityMismatch)
		}
	}
	return w
}

// isoNumeric maps every current ISO 3166-1 alpha-2 code to its numeric code, as a three-digit string
// because that is how the code appears inside a QID (Bahrain is "048", not 48). The whole standard is
// listed rather than a shortlist: residents of Qatar come from everywhere, and a missing country would
// silently disable the nationality check for exactly the people it was not written with in mind.
// Read-only after initialisation.
var isoNumeric = map[string]string{
	"AD": "020", "AE": "784", "AF": "004", "AG": "028", "AI": "660", "AL": "008", "AM": "051", "AO": "024",
	"AQ": "010", "AR": "032", "AS": "016", "AT": "040", "AU": "036", "AW": "533", "AX": "248", "AZ": "031",
	"BA": "070", "BB": "052", "BD": "050", "BE": "056", "BF": "854", "BG": "100", "BH": "048", "BI": "108",
	"BJ": "204", "BL": "652", "BM": "060", "BN": "096", "BO": "068", "BQ": "535", "BR": "076", "BS": "044",
	"BT": "064", "BV": "074", "BW": "072", "BY": "112", "BZ": "084", "CA": "124", "CC": "166", "CD": "180",
	"CF": "140", "CG": "178", "CH": "756", "CI": "384", "CK": "184", "CL": "152", "CM": "120", "CN": "156",
	"CO": "170", // no numeric CP
	"CR": "188", "CU": "192", "CV": "132", "CW": "531", "CX": "162", "CY": "196", "CZ": "203",
	"DE": "276",                                                     // no numeric DG
	"DJ": "262", "DK": "208", "DM": "212", "DO": "214", "DZ": "012", // no numeric EA
	"EC": "218", "EE": "233",
	"EG": "818", "EH": "732", "ER": "232", "ES": "724", "ET": "231", // no numeric EZ
	"FI": "246", "FJ": "242", "FK": "238",
	"FM": "583", "FO": "234", // no numeric FQ
	"FR": "250", "GA": "266", "GB": "826", "GD": "308", "GE": "268", "GF": "254",
	"GG": "831", "GH": "288", "GI": "292", "GL": "304", "GM": "270", "GN": "324", "GP": "312", "GQ": "226",
	"GR": "300", "GS": "239", "GT": "320", "GU": "316", "GW": "624", "GY": "328", "HK": "344", "HM": "334",
	"HN": "340", "HR": "191", "HT": "332", "HU": "348", // no numeric IC
	"ID": "360", "IE": "372", "IL": "376", "IM": "833",
	"IN": "356", "IO": "086", "IQ": "368", "IR": "364", "IS": "352", "IT": "380", "JE": "832", "JM": "388",
	"JO": "400", "JP": "392", "KE": "404", "KG": "417", "KH": "116", "KI": "296", "KM": "174", "KN": "659",
	"KP": "408", "KR": "410", "KW": "414", "KY": "136", "KZ": "398", "LA": "418", "LB": "422", "LC": "662",
	"LI": "438", "LK": "144", "LR": "430", "LS": "426", "LT": "440", "LU": "442", "LV": "428", "LY": "434",
	"MA": "504", "MC": "492", "MD": "498", "ME": "499", "MF": "663", "MG": "450", "MH": "584", "MK": "807",
	"ML": "466", "MM": "104", "MN": "496", "MO": "446", "MP": "580", "MQ": "474", "MR": "478", "MS": "500",
	"MT": "470", "MU": "480", "MV": "462", "MW": "454", "MX": "484", "MY": "458", "MZ": "508", "NA": "516",
	"NC": "540", "NE": "562", "NF": "574", "NG": "566", "NI": "558", "NL": "528", "NO": "578", "NP": "524",
	"NR": "520", "NU": "570", "NZ": "554", "OM": "512", "PA": "591", // no numeric PC
	"PE": "604", "PF": "258", "PG": "598",
	"PH": "608", "PK": "586", "PL": "616", "PM": "666", "PN": "612", "PR": "630", "PS": "275", "PT": "620",
	"PW": "585", "PY": "600", "QA": "634", "RE": "638", "RO": "642", "RS": "688", "RU": "643", "RW": "646",
	"SA": "682", "SB": "090", "SC": "690", "SD": "729", "SE": "752", "SG": "702", "SH": "654", "SI": "705",
	"SJ": "744", "SK": "703", "SL": "694", "SM": "674", "SN": "686", "SO": "706", "SR": "740", "SS": "728",
	"ST": "678", "SV": "222", "SX": "534", "SY": "760", "SZ": "748", // no numeric TA
	"TC": "796", "TD": "148", "TF": "260",
	"TG": "768", "TH": "764", "TJ": "762", "TK": "772", "TL": "626", "TM": "795", "TN": "788", "TO": "776",
	"TR": "792", "TT": "780", "TV": "798", "TW": "158", "TZ": "834", "UA": "804", "UG": "800", "UM": "581",
	"US": "840", "UY": "858", "UZ": "860", "VA": "336", "VC": "670", "VE": "862", "VG": "092", "VI": "850",
	"VN": "704", "VU": "548", "WF": "876", "WS": "882", "YE": "887", "YT": "175", "ZA": "710", "ZM": "894",
	"ZW": "716",
}
