package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/i18n"
)

// hotlineChoice is one radio button or checkbox of the console. Key is the letter that, with Alt, picks
// it (static/js/hotline.js reads data-key by physical key, so an Arabic keyboard layout works too).
type hotlineChoice struct {
	ID    string
	Type  string
	Name  string
	Value string
	Label string
	Key   string
	// Autofocus puts the cursor on this choice when the console opens: the first thing asked.
	Autofocus bool
	Checked   bool
	// Danger marks the risk items and outcomes that send the call to triage as critical.
	Danger bool
}

// The Alt+letter shortcuts. D, E and F are left out: browsers keep Alt+D for the address bar and Alt+E,
// Alt+F for their menus. Digits are left out too: Alt+1…8 switch tabs on Linux.
var (
	callReasonKeys = map[aman.CallReason]string{
		aman.ReasonViolencePhysical: "p", aman.ReasonViolencePsychological: "y", aman.ReasonViolenceSexual: "x", aman.ReasonNeglect: "g",
		aman.ReasonDeprivationOfLiberty: "l", aman.ReasonFamilyBreakdown: "b", aman.ReasonCustody: "u", aman.ReasonLegalQuestion: "q",
		aman.ReasonMentalHealth: "h", aman.ReasonOther: "o",
	}
	callOutcomeKeys = map[aman.CallOutcome]string{
		aman.OutcomeInformationGiven: "a", aman.OutcomeCounselling: "c", aman.OutcomeAppointment: "m", aman.OutcomeReferral: "r",
		aman.OutcomeIntakeToTriage: "t", aman.OutcomeLinkedToCase: "j", aman.OutcomeEmergencyEscalation: "v",
	}
)

// The risk screen's checkboxes, in the order the console shows them, with their keys.
var callRiskItems = []struct{ name, key string }{
	{"immediate_danger", "i"}, {"weapon", "w"}, {"children_present", "k"}, {"suicide_risk", "s"},
}

// Keys that are not a choice of a group: the first non-counselling kind, and the search box.
const (
	hotlineKeyNonCounselling = "n"
	hotlineKeySearch         = "z"
)

// hotlineContactCounselling is the console's one radio group for the kind of call: counselling, or one of the
// non-counselling sub-kinds. One group is one keystroke fewer than two, and it cannot contradict itself.
const hotlineContactCounselling = "counselling"

// hotlineTyped is what the console posts, kept as typed so a refused form comes back whole.
type hotlineTyped struct {
	DraftID      string
	CallerType   string
	Contact      string
	Reasons      []string
	Risk         aman.CallRisk
	Outcome      string
	Summary      string
	Safety       string
	CallerNumber string
	StartedAt    string
	EndedAt      string
	Beneficiary  string
	Query        string
	SearchedQ    string
}

func readHotlineForm(r *http.Request) hotlineTyped {
	checked := func(name string) bool { return r.PostFormValue(name) != "" }
	return hotlineTyped{
		DraftID: formValue(r, "draft_id"), CallerType: formValue(r, "caller_type"), Contact: formValue(r, "contact"),
		Reasons: r.PostForm["reasons"], Outcome: formValue(r, "outcome"), Summary: r.PostFormValue("summary"),
		Risk:   aman.CallRisk{ImmediateDanger: checked("immediate_danger"), Weapon: checked("weapon"), ChildrenPresent: checked("children_present"), SuicideRisk: checked("suicide_risk")},
		Safety: formValue(r, "safe_to_call_back"), CallerNumber: formValue(r, "caller_number"),
		StartedAt: formValue(r, "started_at"), EndedAt: formValue(r, "ended_at"), Beneficiary: formValue(r, "beneficiary_id"),
		Query: formValue(r, "q"), SearchedQ: formValue(r, "searched_q"),
	}
}

// hotlineLocalLayout is what <input type="datetime-local" step="1"> sends and shows, in the centre's
// zone: to the second, since a call's duration is counted from these.
const hotlineLocalLayout = "2006-01-02T15:04:05"

// hotlineRFC3339 reads a datetime-local value (with or without seconds, in any digits) in zone. A
// value that does not parse is passed on as typed, for the use case to refuse with its own code.
func hotlineRFC3339(value string, zone *time.Location) string {
	value = foldDigits(strings.TrimSpace(value))
	if value == "" {
		return ""
	}
	for _, layout := range []string{hotlineLocalLayout, "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, value, zone); err == nil {
			return t.Format(time.RFC3339)
		}
	}
	return value
}

func hotlineLocalValue(t time.Time, zone *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(zone).Format(hotlineLocalLayout)
}

// input is the typed form as the use case takes it.
func (f hotlineTyped) input(zone *time.Location) app.CallInput {
	in := app.CallInput{DraftID: f.DraftID, StartedAt: hotlineRFC3339(f.StartedAt, zone), EndedAt: hotlineRFC3339(f.EndedAt, zone),
		CallerType: f.CallerType, Reasons: f.Reasons, Risk: f.Risk, Outcome: f.Outcome, Summary: f.Summary, SafeToCallBack: f.Safety,
		CallerNumber: f.CallerNumber, BeneficiaryID: f.Beneficiary}
	switch f.Contact {
	case "":
	case hotlineContactCounselling:
		in.ContactKind = string(aman.ContactCounselling)
	default:
		in.ContactKind, in.NonCounsellingKind = string(aman.ContactNonCounselling), f.Contact
	}
	return in
}

// consoleChoices builds every group of the console from what was typed.
func (h *Handler) consoleChoices(lang i18n.Lang, f hotlineTyped, v *hotlineConsoleView) {
	t := func(key string) string { return h.bundle.T(lang, key) }
	for i, c := range aman.CallerTypes() {
		v.CallerTypes = append(v.CallerTypes, hotlineChoice{ID: "caller-" + strconv.Itoa(i), Type: "radio", Name: "caller_type", Value: string(c),
			Label: t("call.caller_type." + string(c)), Checked: f.CallerType == string(c)})
	}
	// The cursor starts on the caller type that is chosen, or on the first: a radio group is one stop.
	focus := 0
	for i, c := range v.CallerTypes {
		if c.Checked {
			focus = i
		}
	}
	v.CallerTypes[focus].Autofocus = true
	contact := f.Contact
	if contact == "" {
		contact = hotlineContactCounselling
	}
	v.Contacts = append(v.Contacts, hotlineChoice{ID: "contact-counselling", Type: "radio", Name: "contact", Value: hotlineContactCounselling,
		Label: t("call.contact_kind.counselling"), Checked: contact == hotlineContactCounselling})
	for i, k := range aman.NonCounsellingKinds() {
		choice := hotlineChoice{ID: "contact-" + string(k), Type: "radio", Name: "contact", Value: string(k), Label: t("call.non_counselling." + string(k)),
			Checked: contact == string(k)}
		if i == 0 {
			choice.Key = hotlineKeyNonCounselling
		}
		v.Contacts = append(v.Contacts, choice)
	}
	for _, r := range aman.CallReasons() {
		checked := false
		for _, typed := range f.Reasons {
			checked = checked || typed == string(r)
		}
		v.Reasons = append(v.Reasons, hotlineChoice{ID: "reason-" + string(r), Type: "checkbox", Name: "reasons", Value: string(r), Label: t("call.reason." + string(r)),
			Key: callReasonKeys[r], Checked: checked})
	}
	flags := map[string]bool{"immediate_danger": f.Risk.ImmediateDanger, "weapon": f.Risk.Weapon, "children_present": f.Risk.ChildrenPresent,
		"suicide_risk": f.Risk.SuicideRisk}
	for _, item := range callRiskItems {
		v.Risks = append(v.Risks, hotlineChoice{ID: "risk-" + item.name, Type: "checkbox", Name: item.name, Value: "1", Label: t("call.risk." + item.name),
			Key: item.key, Checked: flags[item.name], Danger: item.name == "immediate_danger"})
	}
	for _, o := range aman.CallOutcomes() {
		v.Outcomes = append(v.Outcomes, hotlineChoice{ID: "outcome-" + string(o), Type: "radio", Name: "outcome", Value: string(o), Label: t("call.outcome." + string(o)),
			Key: callOutcomeKeys[o], Checked: f.Outcome == string(o), Danger: o == aman.OutcomeEmergencyEscalation})
	}
	for _, s := range []aman.CallbackSafety{aman.SafetyUnknown, aman.SafetySafe, aman.SafetyUnsafe} {
		v.Safety = append(v.Safety, hotlineChoice{ID: "safety-" + callSafetyName(s), Type: "radio", Name: "safe_to_call_back", Value: string(s),
			Label: t("call.safety." + callSafetyName(s)), Checked: f.Safety == string(s)})
	}
}

// callSafetyName is the catalog name of a callback-safety answer; unknown has the empty value.
func callSafetyName(s aman.CallbackSafety) string {
	if s == aman.SafetyUnknown {
		return "unknown"
	}
	return string(s)
}

// hotlineCallRow is one call on the shift view or the callback list: never a number, never a summary.
type hotlineCallRow struct {
	ID           string
	Started      shownTime
	Duration     string
	CallerType   string
	Kind         string
	Reasons      string
	Outcome      string
	Danger       bool
	Urgency      string
	UrgencyClass string
	Operator     string
	Repeat       int
	HasNumber    bool
	Safety       string
	SafetyName   string
	// Number is set on the callback list only for the row whose number the operator just revealed.
	Number string
}

// callDuration is a call's length as minutes and seconds, the same in both languages.
func callDuration(d time.Duration) string {
	if d <= 0 {
		return "0:00"
	}
	s := int(d.Round(time.Second) / time.Second)
	return strconv.Itoa(s/60) + ":" + callTwoDigits(s%60)
}

func callTwoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func (h *Handler) newHotlineCallRow(lang i18n.Lang, c aman.Call) hotlineCallRow {
	t := func(key string) string { return h.bundle.T(lang, key) }
	row := hotlineCallRow{ID: c.ID, Started: showTime(c.StartedAt, h.zone), Duration: callDuration(c.Duration), Danger: c.Risk.ImmediateDanger,
		Operator: c.OperatorName, Repeat: c.RepeatCalls, HasNumber: c.HasCallerNumber, SafetyName: callSafetyName(c.KnownSafety),
		Safety: t("call.safety." + callSafetyName(c.KnownSafety))}
	if c.CallerType != "" {
		row.CallerType = t("call.caller_type." + string(c.CallerType))
	}
	switch c.ContactKind {
	case aman.ContactCounselling:
		row.Kind = t("call.contact_kind.counselling")
	case aman.ContactNonCounselling:
		row.Kind = t("call.non_counselling." + string(c.NonCounsellingKind))
	}
	labels := make([]string, len(c.Reasons))
	for i, r := range c.Reasons {
		labels[i] = t("call.reason." + string(r))
	}
	row.Reasons = strings.Join(labels, t("list.separator"))
	if c.Outcome != "" {
		row.Outcome = t("call.outcome." + string(c.Outcome))
	}
	if c.Urgency != "" {
		row.Urgency, row.UrgencyClass = t("call.urgency."+string(c.Urgency)), string(c.Urgency)
	}
	return row
}
