package web

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
)

// Marker names of the people the dashboard's cases serve: they must never show on a dashboard.
const (
	markerNameAR  = "زينبعلامة الدليلي"
	markerNameEN  = "Markerzainab Dashboardtest"
	markerTitle   = "Visit Markerzainab at home"
	otherMarkerEN = "Markerother Elsewhereperson"
)

// dashboardWorld is one unit at work: worker A carries a normal case with an overdue task and a high
// one; worker B carries a case waiting for closure; one case has no worker; a worker of another unit
// carries a case there. Everyone signs in once the clock has moved on, so the task is overdue.
type dashboardWorld struct {
	site                                            *staffSite
	unit, otherUnit                                 app.Unit
	workerA, workerB, supervisor, outsider, admin   app.User
	workerAC, workerBC, supervisorC, outsiderC, adC *http.Cookie
	normal, high, closing, unassigned, elsewhere    aman.Case
}

func newDashboardWorld(t *testing.T) *dashboardWorld {
	t.Helper()
	site := newCaseSite(t)
	w := &dashboardWorld{site: site, unit: site.unit("وحدة الحماية", "Protection unit"), otherUnit: site.unit("وحدة أخرى", "Other unit")}
	secrets := map[string]string{}
	member := func(username, name string, role aman.Role, unitID string) app.User {
		u, _, secret := site.member(username, name, role, unitID)
		secrets[username] = secret
		return u
	}
	w.workerA = member("huda", "Huda Al-Kuwari", aman.RoleCaseWorker, w.unit.ID)
	w.workerB = member("salma", "سلمى المري", aman.RoleCaseWorker, w.unit.ID)
	w.supervisor = member("noura", "Noura Al-Thani", aman.RoleSupervisor, w.unit.ID)
	w.outsider = member("outsider", "Fatima Outsider", aman.RoleCaseWorker, w.otherUnit.ID)
	w.admin = member("admin", "", aman.RoleAdmin, "")

	ctx := context.Background()
	step := func() { site.env.Clock.Advance(time.Hour) }
	open := func(by app.User, nameAR, nameEN string) aman.Case {
		t.Helper()
		person, err := site.env.Beneficiaries.Create(ctx, by.Actor(), app.BeneficiaryInput{NameAR: nameAR, NameEN: nameEN})
		if err != nil {
			t.Fatal(err)
		}
		k, err := site.env.Cases.Open(ctx, by.Actor(), app.OpenCaseInput{BeneficiaryID: person.ID})
		if err != nil {
			t.Fatal(err)
		}
		step()
		return k
	}
	w.normal = open(w.workerA, markerNameAR, markerNameEN)
	w.high = open(w.workerA, markerNameAR, markerNameEN)
	w.closing = open(w.workerB, markerNameAR, markerNameEN)
	w.unassigned = open(w.supervisor, markerNameAR, markerNameEN)
	w.elsewhere = open(w.outsider, "", otherMarkerEN)
	if _, err := site.env.Cases.SetPriority(ctx, w.supervisor.Actor(), w.high.ID, aman.PriorityHigh); err != nil {
		t.Fatal(err)
	}
	closing := app.TransitionInput{To: aman.CaseClosed, ClosureReason: aman.ClosureGoalsMet, ClosureOutcome: aman.ClosureOutcomeGoalsAchieved}
	if res, err := site.env.Cases.Transition(ctx, w.workerB.Actor(), w.closing.ID, closing); err != nil || !res.Submitted {
		t.Fatalf("submit the closure: %+v, %v", res, err)
	}
	today := site.env.Clock.Now().UTC().Add(3 * time.Hour).Format(time.DateOnly)
	if _, err := site.env.Tasks.Create(ctx, w.workerA.Actor(), w.normal.ID, app.NewTask{Title: markerTitle, DueOn: today}); err != nil {
		t.Fatal(err)
	}
	// Two days on, in Doha, the task is overdue.
	site.env.Clock.Advance(48 * time.Hour)
	w.workerAC, w.workerBC = site.signInAgain("huda", secrets["huda"]), site.signInAgain("salma", secrets["salma"])
	w.supervisorC, w.outsiderC = site.signInAgain("noura", secrets["noura"]), site.signInAgain("outsider", secrets["outsider"])
	w.adC = site.signInAgain("admin", secrets["admin"])
	return w
}

// dashboard gets the dashboard in lang and checks what every dashboard must: it is a page, it names no
// one the centre serves, and it shows no task's title.
func (w *dashboardWorld) dashboard(t *testing.T, lang i18n.Lang, cookie *http.Cookie) string {
	t.Helper()
	rec := w.site.get("/dashboard?lang="+string(lang), cookie)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("Cache-Control") != "no-store" {
		t.Error("the dashboard may be cached")
	}
	page := rec.Body.String()
	mustNotContain(t, page, "زينبعلامة", "الدليلي", "Markerzainab", "Dashboardtest", "Markerother", "Elsewhereperson")
	for _, problem := range inlineCodeProblems(page) {
		t.Error(problem)
	}
	return page
}

// dashboardSection is the part of page inside the element marked with attribute, up to its </section>; "" when
// the page has none.
func dashboardSection(page, attribute string) string {
	start := strings.Index(page, attribute)
	if start < 0 {
		return ""
	}
	rest := page[start:]
	return rest[:strings.Index(rest, "</section>")]
}

// appearInOrder tells whether each of wants appears in s, each after the one before.
func appearInOrder(s string, wants ...string) bool {
	at := 0
	for _, want := range wants {
		i := strings.Index(s[at:], want)
		if i < 0 {
			return false
		}
		at += i + len(want)
	}
	return true
}

var countCell = regexp.MustCompile(`<td[^>]*>(\d+)</td>`)

// caseloadRow reads the counts of the caseload row marked with attribute: open, then by stage, then by
// priority (most urgent first).
func caseloadRow(t *testing.T, page, attribute string) []int {
	t.Helper()
	start := strings.Index(page, attribute)
	if start < 0 {
		t.Fatalf("no caseload row %s", attribute)
	}
	row := page[start:]
	row = row[:strings.Index(row, "</tr>")]
	var counts []int
	for _, m := range countCell.FindAllStringSubmatch(row, -1) {
		n, _ := strconv.Atoi(m[1])
		counts = append(counts, n)
	}
	return counts
}

func TestDashboardOfACaseWorker(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			w := newDashboardWorld(t)
			site := w.site
			page := w.dashboard(t, lang, w.workerAC)

			mine := dashboardSection(page, "data-my-cases")
			if !appearInOrder(mine, w.high.Number, w.normal.Number) {
				t.Errorf("my cases are not high priority first:\n%s", mine)
			}
			mustContain(t, mine, site.text(lang, "dashboard.my_cases.title"), site.text(lang, "case.priority.high"), site.text(lang, "case.status.new"),
				`href="/cases/`+w.high.ID+`"`, "data-overdue-tasks", site.h.bundle.N(lang, "dashboard.overdue_tasks", 1), site.text(lang, "dashboard.updated"))
			tasks := dashboardSection(page, "data-my-tasks")
			mustContain(t, tasks, w.normal.Number, "data-task-overdue", site.text(lang, "dashboard.task.overdue"), site.text(lang, "dashboard.task.custom"))
			mustNotContain(t, page, w.closing.Number, w.unassigned.Number, w.elsewhere.Number, "data-approvals", "data-caseloads", markerTitle)
			mustContain(t, page, "data-alerts")
			// The names are one click away, where need-to-know decides: the markers are real.
			mustContain(t, site.get("/cases/"+w.normal.ID+"?lang="+string(lang), w.workerAC).Body.String(), markerNameEN)

			if lists := site.entries(audit.Filter{Action: "case.list", ActorID: w.workerA.ID}); len(lists) != 1 || lists[0].Detail["scope"] != "mine" {
				t.Errorf("case lists audited: %+v", lists)
			}
		})
	}
}

func TestDashboardOfASupervisor(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			w := newDashboardWorld(t)
			site := w.site
			page := w.dashboard(t, lang, w.supervisorC)

			mustContain(t, dashboardSection(page, "data-approvals"), w.closing.Number, `href="/cases/`+w.closing.ID+`"`,
				site.text(lang, "dashboard.pending.closure"), "سلمى المري", site.text(lang, "dashboard.approval.since"))
			mustNotContain(t, dashboardSection(page, "data-approvals"), "data-own-request")
			mustContain(t, dashboardSection(page, "data-urgent"), w.high.Number, "Huda Al-Kuwari")
			mustContain(t, dashboardSection(page, "data-unassigned"), w.unassigned.Number, site.text(lang, "case.unassigned"))
			mustContain(t, dashboardSection(page, "data-unit-overdue"), w.normal.Number, "Huda Al-Kuwari", "data-task-overdue")
			mustNotContain(t, dashboardSection(page, "data-unit-overdue"), w.high.Number)

			loads := dashboardSection(page, "data-caseloads")
			mustContain(t, loads, site.text(lang, "dashboard.caseloads.title"), "Huda Al-Kuwari", "سلمى المري", site.text(lang, "role.case_worker"))
			if !appearInOrder(loads, "Huda Al-Kuwari", "سلمى المري") {
				t.Error("caseloads are not by name")
			}
			// Open, then new, assessment, care plan, in progress, review, then critical, high, normal.
			for _, tc := range []struct {
				row  string
				want []int
			}{
				{`data-caseload="` + w.workerA.ID + `"`, []int{2, 2, 0, 0, 0, 0, 0, 1, 1}},
				{`data-caseload="` + w.workerB.ID + `"`, []int{1, 1, 0, 0, 0, 0, 0, 0, 1}},
				{`data-caseload-unassigned`, []int{1, 1, 0, 0, 0, 0, 0, 0, 1}},
			} {
				if got := caseloadRow(t, loads, tc.row); !slices.Equal(got, tc.want) {
					t.Errorf("caseload %s: %v, want %v", tc.row, got, tc.want)
				}
			}
			// The supervisor carries no case, so has no row and no list of their own.
			mustNotContain(t, page, `data-caseload="`+w.supervisor.ID+`"`, "data-my-cases", w.elsewhere.Number, "Fatima Outsider", markerTitle)
		})
	}
}

// Another unit's worker, and roles that carry no cases, see nothing of the unit.
func TestDashboardShowsOtherUnitsNothing(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			w := newDashboardWorld(t)
			site := w.site
			page := w.dashboard(t, lang, w.outsiderC)
			mustContain(t, dashboardSection(page, "data-my-cases"), w.elsewhere.Number)
			mustContain(t, dashboardSection(page, "data-my-tasks"), site.text(lang, "dashboard.my_tasks.none"))
			mustNotContain(t, page, w.normal.Number, w.high.Number, w.closing.Number, w.unassigned.Number, "Huda Al-Kuwari", "سلمى المري",
				"data-approvals", "data-caseloads")

			admin := w.dashboard(t, lang, w.adC)
			mustContain(t, admin, `href="/admin/users"`)
			mustNotContain(t, admin, "data-my-cases", "data-my-tasks", "data-approvals", "data-caseloads", w.normal.Number, w.elsewhere.Number)
		})
	}
}

// Every key a dashboard line builds at run time is in the catalogs: the view check sees only literal
// keys.
func TestDashboardVocabulariesAreTranslated(t *testing.T) {
	bundle := loadBundle(t)
	keys := []string{dashboardTaskKindKey(aman.TaskCustom)}
	for _, f := range aman.ClosureFollowUps() {
		keys = append(keys, dashboardTaskKindKey(f.Kind))
	}
	for _, kind := range []aman.ApprovalKind{aman.ApprovalCarePlan, aman.ApprovalClosure} {
		keys = append(keys, "dashboard.pending."+string(kind))
	}
	for _, s := range dashboardStages() {
		keys = append(keys, "case.status."+string(s))
	}
	for _, p := range dashboardPriorities() {
		keys = append(keys, "case.priority."+string(p))
	}
	for _, role := range aman.Roles() {
		keys = append(keys, "role."+string(role))
	}
	for _, key := range keys {
		if !bundle.Has(key) {
			t.Errorf("catalog has no %q", key)
		}
	}
}
