package web

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/store"
)

func newTriageSite(t *testing.T) *staffSite {
	t.Helper()
	site := newCaseSite(t)
	env := site.env
	site.h.triage = env.Triage
	site.h.partnerReferrals = &app.PartnerReferrals{Deps: app.Deps{DB: env.DB, Keys: env.Keys, Audit: env.Audit}, Triage: env.Triage,
		Beneficiaries: env.Beneficiaries, Cases: env.Cases}
	site.h.eventPoll = 50 * time.Millisecond
	return site
}

func (s *staffSite) partnerDesk(username, orgID string) *http.Cookie {
	s.t.Helper()
	_, uri, err := s.env.Accounts.CreateUser(context.Background(), apptest.Admin(), app.NewUser{Username: username, Role: aman.RolePartner, OrgID: orgID,
		Password: apptest.StrongPassword, EnrolTOTP: true})
	if err != nil {
		s.t.Fatal(err)
	}
	return s.signInAgain(username, apptest.SecretFromURI(s.t, uri))
}

func TestPartnerDeskAndTriageInBothLanguages(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newTriageSite(t)
			unit := site.unit("وحدة", "Unit")
			worker, workerC, _ := site.member("huda", "Huda", aman.RoleCaseWorker, unit.ID)
			sup := worker.Actor()
			sup.Role = aman.RoleSupervisor
			hamad, _ := site.env.Partners.Create(context.Background(), sup, app.PartnerOrg{NameAR: "مستشفى حمد", NameEN: "Hamad Hospital", Kind: "hospital"})
			police, _ := site.env.Partners.Create(context.Background(), sup, app.PartnerOrg{NameAR: "الشرطة", NameEN: "Police", Kind: "police"})
			hamadC, policeC := site.partnerDesk("hamad.desk", hamad.ID), site.partnerDesk("police.desk", police.ID)
			orphanC := site.partnerDesk("orphan.desk", "")
			q := "?lang=" + string(lang)

			page := site.get("/desk"+q, hamadC).Body.String()
			mustContain(t, page, "data-referral-form", `href="/desk"`)
			form := url.Values{"name_ar": {"مريم علي"}, "name_en": {"Maryam Ali"}, "sex": {"female"}, "age": {"30"},
				"categories": {"physical_violence", "neglect"}, "narrative": {"Bruises"}, "urgency": {"urgent"}}
			rec := site.post("/desk"+q, hamadC, form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), site.text(lang, "referral_consent_required")) ||
				!strings.Contains(rec.Body.String(), "Maryam Ali") {
				t.Fatalf("no consent: %d", rec.Code)
			}
			form.Set("consent", "1")
			if rec := site.post("/desk"+q, hamadC, form); rec.Code != http.StatusSeeOther {
				t.Fatalf("refer: %d %s", rec.Code, rec.Body.String())
			}
			page = site.get("/desk"+q, hamadC).Body.String()
			mustContain(t, page, `data-referral-status="received"`, site.text(lang, "desk.status.received"))
			mustNotContain(t, page, "Maryam", "Bruises")
			mustNotContain(t, site.get("/desk"+q, policeC).Body.String(), "data-referral-row")
			mustContain(t, site.get("/desk"+q, orphanC).Body.String(), "data-no-org")

			queue := site.get("/triage"+q, workerC).Body.String()
			mustContain(t, queue, "data-triage-queue", site.text(lang, "triage.channel.referral"), `data-urgency="high"`, "js/refresh")
			mustNotContain(t, queue, "Maryam")
			open, _ := site.env.Triage.QueuePage(context.Background(), worker.Actor(), app.QueuePage{Limit: app.MaxQueue})
			id := open.Intakes[0].ID
			page = site.get("/triage/"+id+q, workerC).Body.String()
			mustContain(t, page, "Maryam Ali", "Hamad Hospital", "data-open-from-referral", "data-close-info")
			rec = site.post("/triage/"+id+"/case"+q, workerC, url.Values{"from_referral": {"1"}})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("open case: %d %s", rec.Code, rec.Body.String())
			}
			mustContain(t, site.follow(rec, workerC, lang).Body.String(), site.text(lang, "triage.done.case_opened"))
			in, _ := site.env.Triage.Get(context.Background(), worker.Actor(), id)
			k, err := site.env.Cases.Get(context.Background(), worker.Actor(), in.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			page = site.get("/desk"+q, hamadC).Body.String()
			mustContain(t, page, `data-referral-status="case_opened"`)
			mustNotContain(t, page, k.Number, k.ID)
			if rec := site.get("/cases/"+k.ID+q, hamadC); rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound {
				t.Fatalf("the desk opened the case: %d", rec.Code)
			}
			if rec := site.get("/triage"+q, hamadC); rec.Code != http.StatusForbidden {
				t.Fatalf("a desk opened triage: %d", rec.Code)
			}

			// Close another intake as information only, through the form.
			var other aman.Intake
			_ = site.env.DB.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
				other, err = site.env.Triage.Enqueue(ctx, tx, aman.ChannelHotline, "call-1", aman.IntakeSignals{}, "")
				return err
			})
			if rec := site.post("/triage/"+other.ID+"/close"+q, workerC, url.Values{"reason": {"bogus"}}); rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("bad reason: %d", rec.Code)
			}
			if rec := site.post("/triage/"+other.ID+"/close"+q, workerC, url.Values{"reason": {"information_given"}}); rec.Code != http.StatusSeeOther {
				t.Fatalf("close: %d", rec.Code)
			}
			mustContain(t, site.get("/triage"+q, workerC).Body.String(), "data-queue-empty")
		})
	}
}

func TestEventsStreamDeliversCriticalIntake(t *testing.T) {
	site := newTriageSite(t)
	unit := site.unit("وحدة", "Unit")
	_, supC, _ := site.member("noura", "Noura", aman.RoleSupervisor, unit.ID)
	srv := httptest.NewServer(site.server)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/events?lang=en", nil)
	req.AddCookie(supC)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(resp.Body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "retry:") {
		t.Fatalf("the stream did not open at once: %q", lines.Text())
	}
	err = site.env.DB.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		_, err := site.env.Triage.Enqueue(ctx, tx, aman.ChannelHelpRequest, "h1", aman.IntakeSignals{ChildInDanger: true}, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for lines.Scan() {
		if l := lines.Text(); strings.HasPrefix(l, "data:") {
			if !strings.Contains(l, `"kind":"critical_intake"`) || !strings.Contains(l, `"link":"/triage/`) || !strings.Contains(l, `"unread":1`) {
				t.Fatalf("event %s", l)
			}
			return
		}
	}
	t.Fatalf("no event: %v", lines.Err())
}

// Triage links an intake to one of the person's cases: after the search, choosing the person lists
// their open cases that the triager may open, and nothing of the others.
func TestTriageLinksAnIntakeToOneOfThePersonsCases(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newTriageSite(t)
			ctx := context.Background()
			unit := site.unit("وحدة", "Unit")
			worker, workerC, _ := site.member("huda", "Huda", aman.RoleCaseWorker, unit.ID)
			colleague, colleagueC, _ := site.member("salma", "Salma", aman.RoleCaseWorker, unit.ID)
			_, operatorC, _ := site.member("amal.line", "Amal", aman.RoleHotlineOperator, "")
			person, _ := site.env.Beneficiaries.Create(ctx, worker.Actor(), app.BeneficiaryInput{NameAR: "مريم الكواري", NameEN: "Maryam Al-Kuwari"})
			stranger, _ := site.env.Beneficiaries.Create(ctx, worker.Actor(), app.BeneficiaryInput{NameAR: "نورة", NameEN: "Noura Salem"})
			own, err := site.env.Cases.Open(ctx, worker.Actor(), app.OpenCaseInput{BeneficiaryID: person.ID})
			if err != nil {
				t.Fatal(err)
			}
			theirs, _ := site.env.Cases.Open(ctx, colleague.Actor(), app.OpenCaseInput{BeneficiaryID: person.ID})
			closed, _ := site.env.Cases.Open(ctx, worker.Actor(), app.OpenCaseInput{BeneficiaryID: person.ID})
			strangers, _ := site.env.Cases.Open(ctx, worker.Actor(), app.OpenCaseInput{BeneficiaryID: stranger.ID})
			_ = site.env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE cases SET status = 'closed', closed_at = $1 WHERE id = $2`, store.Millis(tx.Now), closed.ID)
				return err
			})
			var in, other aman.Intake
			_ = site.env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
				if in, err = site.env.Triage.Enqueue(ctx, tx, aman.ChannelHotline, "call-1", aman.IntakeSignals{}, ""); err != nil {
					return err
				}
				other, err = site.env.Triage.Enqueue(ctx, tx, aman.ChannelReport, "report-1", aman.IntakeSignals{}, "")
				return err
			})
			q := "?lang=" + string(lang)
			base := "/triage/" + in.ID

			results := site.post(base+"/search"+q, workerC, url.Values{"q": {"Maryam"}}).Body.String()
			mustContain(t, results, `action="`+base+`/pick"`, `data-pick`, site.text(lang, "triage.pick"))
			before := len(site.entries(audit.Filter{Action: "beneficiary.cases_read", EntityType: "beneficiary", EntityID: person.ID}))
			rec := site.post(base+"/pick"+q, workerC, url.Values{"beneficiary_id": {person.ID}, "q": {"Maryam"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("pick: %d %s", rec.Code, rec.Body.String())
			}
			page := rec.Body.String()
			mustContain(t, page, `data-picked="`+person.ID+`"`, "Maryam Al-Kuwari", site.text(lang, "triage.pick.title"),
				`data-picked-case="`+own.ID+`"`, own.Number, site.text(lang, "case.status.new"), site.text(lang, "person.case_role.primary"),
				`name="case_id" value="`+own.ID+`"`, "data-link-person", "data-open-new-case", `value="Maryam"`)
			// Need-to-know: the colleague's case and the closed one are not even numbered.
			mustNotContain(t, page, theirs.ID, theirs.Number, closed.ID, closed.Number)
			if after := len(site.entries(audit.Filter{Action: "beneficiary.cases_read", EntityType: "beneficiary", EntityID: person.ID})); after != before+1 {
				t.Fatalf("the listing of the person's cases was not audited: %d", after-before)
			}

			// Links the chooser never offers are refused all the same.
			if rec := site.post(base+"/link"+q, workerC, url.Values{"beneficiary_id": {person.ID}, "case_id": {theirs.ID}}); rec.Code != http.StatusForbidden {
				t.Fatalf("a colleague's case: %d", rec.Code)
			}
			rec = site.post(base+"/link"+q, workerC, url.Values{"beneficiary_id": {person.ID}, "case_id": {strangers.ID}})
			if rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("a case the person is not on: %d", rec.Code)
			}
			mustContain(t, rec.Body.String(), site.text(lang, aman.ENotOnCase))
			rec = site.post(base+"/link"+q, workerC, url.Values{"beneficiary_id": {person.ID}, "case_id": {own.ID}})
			mustContain(t, site.follow(rec, workerC, lang).Body.String(), site.text(lang, "triage.done.linked_case"))
			got, _ := site.env.Triage.Get(ctx, worker.Actor(), in.ID)
			if got.Status != aman.IntakeLinked || got.BeneficiaryID != person.ID || got.CaseID != own.ID {
				t.Fatalf("intake after the link: %+v", got)
			}
			// A decided intake offers no more choices.
			if rec := site.post(base+"/pick"+q, workerC, url.Values{"beneficiary_id": {person.ID}}); rec.Code != http.StatusConflict {
				t.Fatalf("pick on a decided intake: %d", rec.Code)
			}

			// Someone with no open case the triager may open: linking to the person alone stays.
			rec = site.post("/triage/"+other.ID+"/pick"+q, workerC, url.Values{"beneficiary_id": {stranger.ID}})
			mustContain(t, rec.Body.String(), `data-picked-case="`+strangers.ID+`"`)
			if rec := site.post("/triage/"+other.ID+"/pick"+q, colleagueC, url.Values{"beneficiary_id": {stranger.ID}}); !strings.Contains(rec.Body.String(), "data-no-cases") ||
				strings.Contains(rec.Body.String(), strangers.Number) {
				t.Fatalf("the colleague sees a case she may not open: %d", rec.Code)
			}
			if rec := site.post("/triage/"+other.ID+"/pick"+q, workerC, url.Values{}); rec.Code != http.StatusUnprocessableEntity {
				t.Fatalf("pick without a person: %d", rec.Code)
			}
			if rec := site.post("/triage/"+other.ID+"/pick"+q, operatorC, url.Values{"beneficiary_id": {stranger.ID}}); rec.Code != http.StatusForbidden {
				t.Fatalf("an operator listed a person's cases: %d", rec.Code)
			}
			rec = site.post("/triage/"+other.ID+"/link"+q, workerC, url.Values{"beneficiary_id": {stranger.ID}})
			mustContain(t, site.follow(rec, workerC, lang).Body.String(), site.text(lang, "triage.done.linked"))
			if got, _ := site.env.Triage.Get(ctx, worker.Actor(), other.ID); got.Status != aman.IntakeLinked || got.CaseID != "" {
				t.Fatalf("intake linked to the person alone: %+v", got)
			}
		})
	}
}

// A long queue shows its first page, most urgent first, under the size of the whole queue; "More" is a
// plain link to the next page, whose address holds an urgency, a time and an id and nothing an intake
// says; the last page returns to the top. A cursor that does not parse shows the top of the queue.
func TestTriageQueueShowsAPageAndLinksToMore(t *testing.T) {
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			site := newTriageSite(t)
			ctx := context.Background()
			unit := site.unit("وحدة", "Unit")
			_, supC, _ := site.member("noura", "Noura", aman.RoleSupervisor, unit.ID)
			const total = app.DefaultQueuePage + 3
			var critical, last aman.Intake
			for i := range total {
				signals := aman.IntakeSignals{}
				if i == total-1 { // the newest is the most urgent: it heads the queue
					signals.ImmediateDanger = true
				}
				err := site.env.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
					in, err := site.env.Triage.Enqueue(ctx, tx, aman.ChannelHotline, fmt.Sprintf("call-%02d", i), signals, "")
					switch i {
					case total - 2:
						last = in // the youngest normal intake ends the queue
					case total - 1:
						critical = in
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				site.env.Clock.Advance(time.Second) // seconds, not minutes: the session would time out
			}
			q := "?lang=" + string(lang)

			first := site.get("/triage"+q, supC)
			if first.Code != http.StatusOK {
				t.Fatalf("the queue: status %d\n%s", first.Code, first.Body.String())
			}
			queue := section(t, first.Body.String(), "data-triage")
			if n := strings.Count(queue, "data-intake-row="); n != app.DefaultQueuePage {
				t.Fatalf("the queue shows %d intakes, want the first %d", n, app.DefaultQueuePage)
			}
			size := template.HTMLEscapeString(site.h.bundle.N(lang, "triage.total", total))
			mustContain(t, queue, size, `data-queue-total="`+strconv.Itoa(total)+`"`, site.text(lang, "triage.more"))
			mustNotContain(t, queue, `data-intake-row="`+last.ID+`"`, "data-queue-first", "data-queue-empty")
			if strings.Index(queue, `data-intake-row="`+critical.ID+`"`) > strings.Index(queue, "data-intake-row=") {
				t.Error("the critical intake does not head the queue")
			}

			link := regexp.MustCompile(`href="([^"]+)"[^>]*data-queue-more`).FindStringSubmatch(queue)
			if link == nil {
				t.Fatalf("no More link in:\n%s", queue)
			}
			more, err := url.Parse(html.UnescapeString(link[1]))
			if err != nil || more.Path != "/triage" || len(more.Query()) != 1 {
				t.Fatalf("More link %q", link[1])
			}
			cursor, err := app.ParseQueueCursor(more.Query().Get(paramQueueAfter))
			if err != nil || cursor.Rank != aman.UrgencyNormal.Rank() {
				t.Fatalf("the link's cursor is %+v (%v), want the last normal intake shown", cursor, err)
			}

			rec := site.get(more.Path+"?"+more.RawQuery+"&lang="+string(lang), supC)
			if rec.Code != http.StatusOK {
				t.Fatalf("more: status %d", rec.Code)
			}
			queue = section(t, rec.Body.String(), "data-triage")
			if n := strings.Count(queue, "data-intake-row="); n != 3 {
				t.Fatalf("the next page shows %d intakes, want 3", n)
			}
			mustContain(t, queue, `data-intake-row="`+last.ID+`"`, size, "data-queue-first", site.text(lang, "triage.first"))
			mustNotContain(t, queue, `data-intake-row="`+critical.ID+`"`, "data-queue-more")

			// A cursor that does not parse shows the top of the queue rather than an error.
			top := site.get("/triage"+q+"&"+paramQueueAfter+"=nonsense", supC)
			if top.Code != http.StatusOK || !strings.Contains(top.Body.String(), `data-intake-row="`+critical.ID+`"`) {
				t.Fatalf("a bad cursor: status %d", top.Code)
			}
		})
	}
}
