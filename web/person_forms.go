package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
	"aman.qa/aman/textnorm"
)

// The beneficiary registry's pages share these pieces: how a person reads in a list, and the choices
// the registration form offers. Nothing personal ever goes into an address: a search and the details it
// carries to the registration form travel in POST bodies only.

// What a successful post on the registry reports after its redirect, as ?done=….
const (
	donePersonCreated = "created"
	donePersonMerged  = "merged"
	// doneRegistered and doneRegisteredDuplicates answer someone who may register people but not open
	// their records (the hotline): they go back to the search, told whether the record looks like others.
	doneRegistered           = "registered"
	doneRegisteredDuplicates = "registered_duplicates"
)

// personRow is a person as a list shows them: enough to tell people apart, and identifiers only by
// their last digits. The full values are on the person's own page, whose read is audited.
type personRow struct {
	ID     string
	NameAR string
	NameEN string
	Sex    aman.Sex
	// BirthYear is set when the date of birth is known; EstimatedAge otherwise, when there is one.
	BirthYear    string
	EstimatedAge int
	Nationality  string
	QIDTail      string
	PhoneTail    string
	// Exact marks a search result found by its QID, passport or phone rather than by name.
	Exact bool
	// Shared says, for a possible duplicate, what it has in common with the record under review.
	Shared []string
	// MayView tells whether the signed-in person may open the record.
	MayView bool
}

func (h *Handler) newPersonRow(lang i18n.Lang, b aman.Beneficiary, mayView bool) personRow {
	row := personRow{ID: b.ID, NameAR: b.NameAR, NameEN: b.NameEN, Sex: b.Sex, Nationality: h.countryName(lang, b.Nationality),
		QIDTail: maskedTail(b.QID), PhoneTail: maskedTail(b.Phone), MayView: mayView}
	if len(b.BirthDate) >= 4 {
		row.BirthYear = b.BirthDate[:4]
	} else if b.EstimatedAge > 0 {
		row.EstimatedAge = b.EstimatedAge
	}
	return row
}

// maskedTail shows an identifier by its last three characters behind a mask of fixed width, so the list
// gives away neither the number nor its length. "" stays "".
func maskedTail(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return ""
	}
	if len(r) <= 3 {
		return "•••"
	}
	return "•••••" + string(r[len(r)-3:])
}

// personPrefill is what a search carries to the registration form: the text typed, sorted into the
// field it most likely belongs to.
type personPrefill struct {
	NameAR, NameEN, QID, Phone, Passport string
}

// prefillFrom sorts a search text into a registration field: a Qatar ID, a phone number, a passport
// number (letters and digits mixed), or else a name in Arabic or Latin script.
func prefillFrom(q string) personPrefill {
	q = strings.Join(strings.Fields(q), " ")
	switch {
	case q == "":
		return personPrefill{}
	case textnorm.LooksLikeQID(q):
		return personPrefill{QID: q}
	case textnorm.LooksLikePhone(q):
		return personPrefill{Phone: q}
	case looksLikeDocumentNumber(q):
		return personPrefill{Passport: q}
	case strings.ContainsFunc(q, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }):
		return personPrefill{NameAR: q}
	}
	return personPrefill{NameEN: q}
}

// looksLikeDocumentNumber is one word mixing letters and digits, as passport numbers do and names never.
func looksLikeDocumentNumber(q string) bool {
	q = textnorm.FoldDigits(q)
	return !strings.Contains(q, " ") && strings.ContainsFunc(q, unicode.IsDigit) && strings.ContainsFunc(q, unicode.IsLetter)
}

// personForm is the registration form with what was typed, ready to show again after a problem.
type personForm struct {
	NameAR       string
	NameEN       string
	BirthDate    string
	EstimatedAge string
	QID          string
	Passport     string
	Phone        string
	AltPhone     string
	Area         string
	Zone         string
	Disability   string
	Sexes        []option
	// Nationalities are offered the most common first, then every country; both lists are named in the
	// page's language.
	CommonNationalities []option
	OtherNationalities  []option
	NationalityChosen   bool
	Languages           []option
	formState
}

// typedPerson is the registration form as posted, kept as typed so it can be shown again.
type typedPerson struct {
	personPrefill
	Sex, BirthDate, EstimatedAge, AltPhone, Nationality, Area, Zone, Disability string
	Languages                                                                   []string
}

// readTypedPerson reads the registration fields of a posted form (names and identifiers only, as the
// search's prefill posts them, or the whole form).
func readTypedPerson(r *http.Request) typedPerson {
	return typedPerson{
		personPrefill: personPrefill{NameAR: formValue(r, "name_ar"), NameEN: formValue(r, "name_en"), QID: formValue(r, "qid"),
			Phone: formValue(r, "phone"), Passport: formValue(r, "passport")},
		Sex: formValue(r, "sex"), BirthDate: formValue(r, "birth_date"), EstimatedAge: formValue(r, "estimated_age"),
		AltPhone: formValue(r, "alt_phone"), Nationality: formValue(r, "nationality"), Area: formValue(r, "area"),
		Zone: formValue(r, "zone"), Disability: formValue(r, "disability"), Languages: r.PostForm["languages"],
	}
}

// input turns what was typed into the use case's input. Only the estimated age is read here, because
// the use case takes a number: any digits are accepted, and anything else is the age's own error.
func (t typedPerson) input() (app.BeneficiaryInput, error) {
	in := app.BeneficiaryInput{
		NameAR: t.NameAR, NameEN: t.NameEN, Sex: t.Sex, BirthDate: t.BirthDate, QID: t.QID, Phone: t.Phone,
		Nationality: t.Nationality, Passport: t.Passport, AltPhone: t.AltPhone, Area: t.Area, Zone: t.Zone,
		Languages: t.Languages, Disability: t.Disability,
	}
	if age := foldDigits(t.EstimatedAge); age != "" {
		n, err := strconv.Atoi(age)
		if err != nil {
			return in, aman.FieldError("estimated_age", aman.EInvalidAge)
		}
		in.EstimatedAge = n
	}
	return in, nil
}

// newPersonForm fills the registration form with typed.
func (h *Handler) newPersonForm(r *http.Request, typed typedPerson) personForm {
	lang := langOf(r)
	form := personForm{
		NameAR: typed.NameAR, NameEN: typed.NameEN, BirthDate: typed.BirthDate, EstimatedAge: typed.EstimatedAge, QID: typed.QID,
		Passport: typed.Passport, Phone: typed.Phone, AltPhone: typed.AltPhone, Area: typed.Area, Zone: typed.Zone,
		Disability: typed.Disability, Languages: h.languageChoices(lang, typed.Languages),
	}
	for _, sex := range []aman.Sex{aman.SexFemale, aman.SexMale, ""} {
		label := "person.sex.unknown"
		if sex != "" {
			label = "person.sex." + string(sex)
		}
		form.Sexes = append(form.Sexes, option{Value: string(sex), Label: h.bundle.T(lang, label), Selected: strings.EqualFold(typed.Sex, string(sex))})
	}
	chosen := strings.ToUpper(typed.Nationality)
	form.CommonNationalities, form.OtherNationalities = h.nationalityOptions(lang, chosen)
	form.NationalityChosen = chosen != ""
	return form
}

// commonNationalities are offered first: Qatar, then the communities the centre meets most often in
// Qatar (the Gulf, the Arab countries, South and South-East Asia, East Africa) and a few others.
var commonNationalities = []string{
	"QA", "SA", "AE", "KW", "BH", "OM", "EG", "SY", "JO", "PS", "LB", "YE", "IQ", "SD", "MA", "TN", "DZ", "LY", "MR",
	"IN", "PK", "BD", "NP", "LK", "PH", "ID", "IR", "AF", "ET", "ER", "SO", "KE", "UG", "NG", "GH", "CM", "TR", "GB", "US", "CN",
}

// nationalityOptions lists the common nationalities (Qatar first, then by name) and then every other
// ISO 3166-1 country by name, in lang, with chosen selected.
func (h *Handler) nationalityOptions(lang i18n.Lang, chosen string) (common, others []option) {
	isCommon := map[string]bool{}
	for _, code := range commonNationalities {
		isCommon[code] = true
		common = append(common, option{Value: code, Label: h.countryName(lang, code), Selected: code == chosen})
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if !isCommon[code] && aman.KnownNationality(code) {
				others = append(others, option{Value: code, Label: h.countryName(lang, code), Selected: code == chosen})
			}
		}
	}
	sortByLabel(common[1:])
	sortByLabel(others)
	return common, others
}

// sortByLabel orders options as a reader looks for them: by name, with the forms of alif one letter and
// case ignored.
func sortByLabel(options []option) {
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch r {
			case 'آ', 'أ', 'إ':
				return 'ا'
			case 'Å', 'Ä', 'Á':
				return 'A'
			}
			return unicode.ToLower(r)
		}, s)
	}
	sort.SliceStable(options, func(i, j int) bool { return key(options[i].Label) < key(options[j].Label) })
}

// countryName is an ISO 3166-1 alpha-2 code's name in lang: the catalog's "country.XX" when it has one
// (the centre's own usage, such as Palestine), otherwise the Unicode CLDR name that golang.org/x/text
// carries. An unknown code shows as itself; "" is "".
func (h *Handler) countryName(lang i18n.Lang, code string) string {
	if code == "" {
		return ""
	}
	if key := "country." + code; h.bundle.Has(key) {
		return h.bundle.T(lang, key)
	}
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(displayTag(lang)).Name(region); name != "" {
		return name
	}
	return code
}

// spokenLanguages are the languages the registration form offers: those of Qatar's main communities.
var spokenLanguages = []string{"ar", "en", "ur", "hi", "bn", "tl", "ml", "ne", "ta", "te", "si", "fa", "ps", "fr", "am", "ti", "so", "sw"}

// languageChoices offers spokenLanguages by name in lang, with those in chosen ticked.
func (h *Handler) languageChoices(lang i18n.Lang, chosen []string) []option {
	ticked := map[string]bool{}
	for _, c := range chosen {
		ticked[strings.ToLower(strings.TrimSpace(c))] = true
	}
	choices := make([]option, 0, len(spokenLanguages))
	for _, code := range spokenLanguages {
		choices = append(choices, option{Value: code, Label: h.languageName(lang, code), Selected: ticked[code]})
	}
	return choices
}

// languageName is a language code's name in lang: the catalog's "language.xx" when it has one, the CLDR
// name otherwise, the code itself when neither knows it.
func (h *Handler) languageName(lang i18n.Lang, code string) string {
	if key := "language." + code; h.bundle.Has(key) {
		return h.bundle.T(lang, key)
	}
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := display.Languages(displayTag(lang)).Name(tag); name != "" {
		return name
	}
	return code
}

func displayTag(lang i18n.Lang) language.Tag {
	if lang == i18n.English {
		return language.English
	}
	return language.Arabic
}
