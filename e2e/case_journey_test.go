package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"aman.qa/aman/app/apptest"
	"aman.qa/aman/i18n"
)

// A whole case, from the first search to its reopening, as two people work it at two desks: a case
// worker on her phone in Arabic and her supervisor at a desktop in English. Everything happens through
// the staff UI; only the accounts are made with the command line, and an administrator puts the two in
// one unit through the admin pages, because a supervisor approves the cases of their own unit only.
//
//  1. The worker searches the registry for a woman and finds nobody;
//  2. registers her from the offer the search makes;
//  3. opens a case from her record;
//  4. assesses: DASH with 14 "yes" answers makes the case high risk, MARAC and high priority; she moves
//     the case to the assessment and saves the comprehensive assessment;
//  5. plans: moves to the care plan, adds a goal, submits the plan for approval;
//  6. the supervisor finds the request on the dashboard and on the case, and approves it;
//  7. the worker records a service delivered;
//  8. the worker asks to close the case with a reason and an outcome; the supervisor approves; the case
//     is closed with its two follow-up tasks, which are on the worker's own dashboard too;
//  9. the supervisor reopens the case with a comment: it is open again at the assessment, and the
//     follow-ups are cancelled.
func TestCaseJourney(t *testing.T) {
	admin := browser(t)
	srv := startServer(t)
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ar := func(key string) string { return bundle.T(i18n.Arabic, key) }
	en := func(key string) string { return bundle.T(i18n.English, key) }

	const (
		workerName = "هدى الكواري"
		supName    = "Noura Al-Kuwari"
		unitAR     = "وحدة الحماية الأولى"
		unitEN     = "First Protection Unit"
		personAR   = "شيخة راشد المهندي"
		personEN   = "Shaikha Rashid Al-Mohannadi"
	)
	secrets := map[string]string{}
	for _, u := range []struct{ username, role, name string }{
		{"amal.admin", "admin", "Amal Al-Sulaiti"},
		{"huda.worker", "case_worker", workerName},
		{"noura.sup", "supervisor", supName},
	} {
		out := srv.cli(t, apptest.StrongPassword+"\n", "user", "create", "--username", u.username, "--role", u.role,
			"--display-name", u.name, "--password-stdin")
		secrets[u.username] = apptest.SecretFromURI(t, strings.TrimSpace(out))
	}

	// The administrator makes the unit and puts both accounts in it.
	signInAs(t, admin, srv, i18n.English, "amal.admin", secrets["amal.admin"])
	do(t, admin, chromedp.Navigate(srv.URL+"/admin/units"), chromedp.WaitVisible(chromedp.CSS(`form[action="/admin/units"]`)),
		fill(`#name_ar`, unitAR), fill(`#name_en`, unitEN))
	submit(t, admin, `form[action="/admin/units"] button[type=submit]`)
	do(t, admin, chromedp.WaitVisible(chromedp.CSS(`.table td[lang=en]`)))
	if text := journeyText(t, admin, `.table`); !strings.Contains(text, unitEN) || !strings.Contains(text, unitAR) {
		t.Fatalf("the units list reads %q", text)
	}
	for _, username := range []string{"huda.worker", "noura.sup"} {
		do(t, admin, chromedp.Navigate(srv.URL+"/admin/users"), chromedp.WaitVisible(chromedp.CSS(`a[href^="/admin/users/"]`)))
		href := js[string](t, admin, `[...document.querySelectorAll('.table a[href^="/admin/users/"]')].find(a => a.textContent.trim() === `+
			journeyQuote(username)+`)?.getAttribute('href') ?? ''`)
		if href == "" {
			t.Fatalf("the users list does not link to %s", username)
		}
		submit(t, admin, `.table a[href="`+href+`"]`)
		do(t, admin, chromedp.WaitVisible(chromedp.CSS(`form[action$="/assignment"]`)))
		journeyChoose(t, admin, `#unit_id`, unitEN)
		submit(t, admin, `form[action$="/assignment"] button[type=submit]`)
		do(t, admin, chromedp.WaitVisible(chromedp.CSS(`.notice`)))
		if text := journeyText(t, admin, `.summary`); !strings.Contains(text, unitEN) {
			t.Fatalf("%s is not in the unit after the assignment: %q", username, text)
		}
	}
	screenshot(t, admin, "journey-admin-assigned-en")
	submit(t, admin, `[data-sign-out]`)

	// Two desks, each with its own cookies: the worker on a phone, the supervisor at a desktop.
	worker := journeyDesk(t, admin, 390, 844)
	sup := journeyDesk(t, admin, 1280, 900)
	signInAs(t, worker, srv, i18n.Arabic, "huda.worker", secrets["huda.worker"])

	// 1. Search: nobody.
	do(t, worker, chromedp.Navigate(srv.URL+"/people"), chromedp.WaitVisible(chromedp.CSS(`form[data-people-search]`)), fill(`#q`, personAR))
	submit(t, worker, `form[data-people-search] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-no-results]`)))
	if text := journeyText(t, worker, `[data-no-results]`); !strings.Contains(text, ar("people.results.none")) {
		t.Fatalf("the search found someone: %q", text)
	}
	screenshot(t, worker, "journey-1-search-none-ar")

	// 2. Register her from the offer, her name carried over.
	submit(t, worker, `[data-register]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`form[data-person-form]`)))
	if carried := value(t, worker, chromedp.Value(chromedp.CSS(`#name_ar`))); carried != personAR {
		t.Fatalf("the registration form opened with name %q", carried)
	}
	do(t, worker,
		fill(`#name_en`, personEN),
		chromedp.Click(chromedp.CSS(`input[name=sex][value=female]`)),
		fill(`#estimated_age`, "٢٩"),
	)
	submit(t, worker, `[data-register-submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-person-page]`)))
	if text := journeyBody(t, worker); !strings.Contains(text, ar("person.done.created")) || !strings.Contains(text, personEN) {
		t.Fatalf("the person's page after registering reads:\n%s", text)
	}
	screenshot(t, worker, "journey-2-person-ar")

	// 3. Open a case: it is hers, in her unit.
	submit(t, worker, `[data-open-case] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-case-number]`)))
	casePath := js[string](t, worker, `location.pathname`)
	number := journeyText(t, worker, `[data-case-number]`)
	if !strings.HasPrefix(casePath, "/cases/") || number == "" {
		t.Fatalf("opening a case led to %q (number %q)", casePath, number)
	}
	if text := journeyText(t, worker, `[data-case-worker]`); !strings.Contains(text, workerName) {
		t.Errorf("the case is carried by %q", text)
	}
	if text := journeyText(t, worker, `.case .summary`); !strings.Contains(text, unitAR) {
		t.Errorf("the case is not in the worker's unit: %q", text)
	}
	journeyStage(t, worker, ar("case.status.new"))
	screenshot(t, worker, "journey-3-case-opened-ar")

	// 4. Assess: DASH, 14 of its 24 questions answered "yes", the rest "no".
	submit(t, worker, `[data-risk-run] a[href="`+casePath+`/risk/dash"]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-risk-form="dash"]`)))
	items := js[[]string](t, worker, `[...document.querySelectorAll('.risk-item input[value=yes]')].map(i => i.id.replace(/^answer-/, '').replace(/-yes$/, ''))`)
	if len(items) < 14 {
		t.Fatalf("the DASH form has %d questions", len(items))
	}
	var answers []chromedp.Action[chromedp.Void]
	for i, id := range items {
		answer := "no"
		if i < 14 {
			answer = "yes"
		}
		answers = append(answers, chromedp.Click(chromedp.CSS(`#answer-`+id+`-`+answer)))
	}
	do(t, worker, answers...)
	if yes := js[int](t, worker, `document.querySelectorAll('.risk-item input[value=yes]:checked').length`); yes != 14 {
		t.Fatalf("%d answers are yes", yes)
	}
	screenshot(t, worker, "journey-4-dash-ar")
	submit(t, worker, `form[action="`+casePath+`/risk/dash"] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-risk-band="high"]`)))
	if text := journeyText(t, worker, `[data-risk] .notice`); text != ar("case.done.risk") {
		t.Errorf("after DASH the risk section says %q", text)
	}
	if text := journeyText(t, worker, `[data-risk-flag="marac"]`); text != ar("case.risk.flag.marac") {
		t.Errorf("the MARAC flag reads %q", text)
	}
	for _, sel := range []string{`[data-risk-case-priority]`, `[data-risk-priority]`} {
		if text := journeyText(t, worker, sel); text != ar("case.priority.high") {
			t.Errorf("%s reads %q, want high", sel, text)
		}
	}
	if text := journeyText(t, worker, `.case .summary`); !strings.Contains(text, ar("case.priority.high")) {
		t.Errorf("the case's summary does not show the high priority: %q", text)
	}
	screenshot(t, worker, "journey-4-risk-high-ar")

	journeyMove(t, worker, "assessment", "")
	journeyStage(t, worker, ar("case.status.assessment"))
	do(t, worker, chromedp.Click(chromedp.CSS(`[data-assessment-form] summary`)),
		fill(`form[action="`+casePath+`/assessment"] textarea`, "تعيش مع زوجها وأطفالها الثلاثة؛ تعرّضت لعنف جسدي متكرر خلال الأشهر الماضية."))
	submit(t, worker, `form[action="`+casePath+`/assessment"] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-assessment-version]`)))

	// 5. Plan: the care plan, one goal, submitted for approval.
	journeyMove(t, worker, "care_plan", "")
	journeyStage(t, worker, ar("case.status.care_plan"))
	qatar := time.FixedZone("AST", 3*60*60)
	do(t, worker,
		chromedp.Click(chromedp.CSS(`[data-goal-form] summary`)),
		fill(`#goal-new-track`, "psychological"),
		fill(`#goal-new-description`, "جلسات دعم نفسي أسبوعية لمدة شهرين"),
		fill(`#goal-new-due-on`, time.Now().In(qatar).AddDate(0, 2, 0).Format("2006-01-02")),
	)
	journeyChoose(t, worker, `#goal-new-responsible`, workerName)
	submit(t, worker, `[data-goal-form] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-goal] [data-goal-status="planned"]`)))
	if text := journeyText(t, worker, `[data-care-plan]`); !strings.Contains(text, "جلسات دعم نفسي أسبوعية") || !strings.Contains(text, ar("care.track.psychological")) {
		t.Errorf("the care plan reads %q", text)
	}
	journeyMove(t, worker, "in_progress", "الخطة جاهزة للاعتماد.")
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-pending-approval]`)))
	if text := journeyText(t, worker, `[data-lifecycle] [data-notice]`); text != ar("case.done.submitted") {
		t.Errorf("after submitting the plan the case says %q", text)
	}
	if text := journeyText(t, worker, `[data-pending-approval]`); !strings.Contains(text, ar("case.pending.care_plan")) {
		t.Errorf("the pending request reads %q", text)
	}
	journeyStage(t, worker, ar("case.status.care_plan"))
	journeyNone(t, worker, `[data-moves]`, "the worker can still move a case waiting for approval")
	screenshot(t, worker, "journey-5-plan-submitted-ar")

	// 6. Approve: the supervisor, in English, finds the request on the dashboard and on the case.
	signInAs(t, sup, srv, i18n.English, "noura.sup", secrets["noura.sup"])
	journeyApprove(t, sup, srv.URL, casePath, number, journeyApproval{kind: en("dashboard.pending.care_plan"), waits: en("case.pending.care_plan"),
		approved: en("case.done.approved"), comment: "Approved: the plan fits the risk.", screenshot: "journey-6-dashboard-approval-en"})
	journeyStage(t, sup, en("case.status.in_progress"))
	screenshot(t, sup, "journey-6-plan-approved-en")

	// 7. Services: the worker records a counselling session delivered today.
	do(t, worker, chromedp.Navigate(srv.URL+casePath), chromedp.WaitVisible(chromedp.CSS(`[data-delivery-form]`)))
	journeyStage(t, worker, ar("case.status.in_progress"))
	do(t, worker,
		chromedp.Click(chromedp.CSS(`[data-delivery-form] summary`)),
		fill(`#delivery-service`, "counselling_session"),
		fill(`#delivery-day`, time.Now().In(qatar).Format("2006-01-02")),
		chromedp.Click(chromedp.CSS(`#delivery-outcome-delivered`)),
		fill(`#delivery-note`, "جلسة أولى، حضرت في موعدها."),
	)
	journeyChoose(t, worker, `#delivery-provider-user`, workerName)
	screenshot(t, worker, "journey-7-service-form-ar")
	submit(t, worker, `[data-delivery-form] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-delivery-list]`)))
	if text := journeyText(t, worker, `[data-delivery-list]`); !strings.Contains(text, "جلسة إرشاد") || !strings.Contains(text, ar("service.outcome.delivered")) ||
		!strings.Contains(text, workerName) {
		t.Errorf("the services read %q", text)
	}

	// 8. Close: the worker asks, the supervisor approves.
	do(t, worker,
		chromedp.Click(chromedp.CSS(`[data-closure] summary`)),
		fill(`#closure-reason`, "goals_met"),
		fill(`#closure-outcome`, "goals_achieved"),
		fill(`#closure-comment`, "تحققت أهداف الخطة، وهي في أمان مع أطفالها."),
	)
	screenshot(t, worker, "journey-8-closure-form-ar")
	submit(t, worker, `[data-closure] button[type=submit]`)
	do(t, worker, chromedp.WaitVisible(chromedp.CSS(`[data-pending-approval]`)))
	pending := journeyText(t, worker, `[data-pending-approval]`)
	for _, want := range []string{ar("case.pending.closure"), ar("case.closure_reason.goals_met"), ar("case.closure_outcome.goals_achieved")} {
		if !strings.Contains(pending, want) {
			t.Errorf("the closure request lacks %q: %q", want, pending)
		}
	}
	journeyNone(t, worker, `[data-closure]`, "the closure form is still offered while the request waits")

	journeyApprove(t, sup, srv.URL, casePath, number, journeyApproval{kind: en("dashboard.pending.closure"), waits: en("case.pending.closure"),
		approved: en("case.done.approved"), screenshot: "journey-8-dashboard-closure-en"})
	journeyStage(t, sup, en("case.status.closed"))
	if text := journeyText(t, sup, `.case .summary`); !strings.Contains(text, en("case.status.closed")) {
		t.Errorf("the case's summary reads %q", text)
	}
	tasks := js[[]string](t, sup, `[...document.querySelectorAll('[data-tasks] [data-task]')].map(li => li.innerText)`)
	if len(tasks) != 2 || !strings.Contains(tasks[0]+tasks[1], en("task.kind.closure_follow_up_3m")) ||
		!strings.Contains(tasks[0]+tasks[1], en("task.kind.closure_follow_up_6m")) {
		t.Fatalf("the closed case's tasks are %q", tasks)
	}
	for _, task := range tasks {
		if !strings.Contains(task, workerName) {
			t.Errorf("a follow-up is not the worker's: %q", task)
		}
	}
	screenshot(t, sup, "journey-8-closed-en")

	// The follow-ups are on the worker's own desk, and the closed case is read-only to her.
	do(t, worker, chromedp.Navigate(srv.URL+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-my-tasks]`)))
	if n := js[int](t, worker, `document.querySelectorAll('[data-my-tasks] [data-task-line] a[href="`+casePath+`"]').length`); n != 2 {
		t.Errorf("the worker's dashboard lists %d follow-ups of the case", n)
	}
	screenshot(t, worker, "journey-8-worker-dashboard-ar")
	do(t, worker, chromedp.Navigate(srv.URL+casePath), chromedp.WaitVisible(chromedp.CSS(`[data-lifecycle]`)))
	journeyStage(t, worker, ar("case.status.closed"))
	journeyNone(t, worker, `[data-moves], [data-closure], [data-reopen]`, "the worker is offered a move on the closed case")

	// 9. Reopen: the supervisor says why; the case starts again at the assessment.
	do(t, sup, fill(`#reopen-comment`, "The police reported a new incident at the family home."))
	submit(t, sup, `form[data-reopen] button[type=submit]`)
	do(t, sup, chromedp.WaitVisible(chromedp.CSS(`[data-lifecycle] [data-notice]`)))
	if text := journeyText(t, sup, `[data-lifecycle] [data-notice]`); text != en("case.done.reopened") {
		t.Errorf("after reopening the case says %q", text)
	}
	journeyStage(t, sup, en("case.status.assessment"))
	journeyNone(t, sup, `[data-tasks] [data-task]`, "the follow-ups are still open after the reopening")
	if text := journeyText(t, sup, `[data-timeline]`); !strings.Contains(text, "The police reported a new incident at the family home.") {
		t.Errorf("the timeline does not keep the reopening's comment: %q", text)
	}
	screenshot(t, sup, "journey-9-reopened-en")

	do(t, worker, chromedp.Navigate(srv.URL+casePath), chromedp.WaitVisible(chromedp.CSS(`[data-moves]`)))
	journeyStage(t, worker, ar("case.status.assessment"))
	if n := js[int](t, worker, `document.querySelectorAll('[data-moves] button[name=to][value=care_plan]').length`); n != 1 {
		t.Errorf("the reopened case does not offer the care plan to its worker")
	}
	screenshot(t, worker, "journey-9-reopened-ar")
}

// journeyDesk opens a tab with its own cookies in the test's browser, sized as the desk it stands for:
// one person's session is never another's.
func journeyDesk(t *testing.T, parent context.Context, width, height int64) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// journeyApproval is what a supervisor's approval expects to read, in their language.
type journeyApproval struct {
	// kind is the request's kind on the dashboard, waits what the case says waits, approved the notice
	// after the approval.
	kind, waits, approved string
	// comment is the supervisor's, if any; screenshot names the dashboard's picture.
	comment, screenshot string
}

// journeyApprove is a supervisor's approval of what the case waits for: the request is on the
// dashboard (number and kind), its line leads to the case, which says what waits, and the approval
// brings the case back moved.
func journeyApprove(t *testing.T, ctx context.Context, base, casePath, number string, texts journeyApproval) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/dashboard"), chromedp.WaitVisible(chromedp.CSS(`[data-approvals]`)))
	line := `[data-approvals] [data-approval-line]:has(a[href="` + casePath + `"])`
	if n := js[int](t, ctx, `document.querySelectorAll(`+journeyQuote(line)+`).length`); n != 1 {
		t.Fatalf("the supervisor's dashboard lists the case's request %d times:\n%s", n, journeyText(t, ctx, `[data-approvals]`))
	}
	if text := journeyText(t, ctx, line); !strings.Contains(text, number) || !strings.Contains(text, texts.kind) {
		t.Errorf("the approval line reads %q", text)
	}
	screenshot(t, ctx, texts.screenshot)
	submit(t, ctx, line+` a`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[data-decision]`)))
	if text := journeyText(t, ctx, `[data-pending-approval]`); !strings.Contains(text, texts.waits) {
		t.Errorf("the case's pending request reads %q", text)
	}
	if texts.comment != "" {
		do(t, ctx, fill(`#decision-comment`, texts.comment))
	}
	submit(t, ctx, `form[data-decision] button[value=approve]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-lifecycle] [data-notice]`)))
	if text := journeyText(t, ctx, `[data-lifecycle] [data-notice]`); text != texts.approved {
		t.Errorf("after approving the case says %q", text)
	}
	journeyNone(t, ctx, `[data-pending-approval], form[data-decision]`, "the request still waits after the approval")
}

// journeyMove presses the lifecycle button that moves the case to stage, with a comment.
func journeyMove(t *testing.T, ctx context.Context, stage, comment string) {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`form[data-moves]`)))
	if comment != "" {
		do(t, ctx, fill(`#move-comment`, comment))
	}
	submit(t, ctx, `form[data-moves] button[name=to][value=`+stage+`]`)
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-lifecycle] [data-notice]`)))
}

// journeyStage checks the stage the lifecycle's step indicator marks as current.
func journeyStage(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	if got := journeyText(t, ctx, `[data-lifecycle] [data-current-step]`); got != want {
		t.Fatalf("the case is at %q, want %q", got, want)
	}
}

// journeyNone fails when the page has an element matching sel.
func journeyNone(t *testing.T, ctx context.Context, sel, why string) {
	t.Helper()
	if n := js[int](t, ctx, `document.querySelectorAll(`+journeyQuote(sel)+`).length`); n != 0 {
		t.Error(why)
	}
}

// journeyChoose picks the option of a select whose label contains label.
func journeyChoose(t *testing.T, ctx context.Context, sel, label string) {
	t.Helper()
	v := js[string](t, ctx, `[...document.querySelector(`+journeyQuote(sel)+`).options].find(o => o.textContent.includes(`+journeyQuote(label)+`))?.value ?? ''`)
	if v == "" {
		t.Fatalf("%s offers no %q", sel, label)
	}
	do(t, ctx, fill(sel, v))
}

// journeyText is the visible text of the first element matching sel, trimmed.
func journeyText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return strings.TrimSpace(js[string](t, ctx, `document.querySelector(`+journeyQuote(sel)+`)?.innerText ?? ''`))
}

// journeyBody is the visible text of the whole page.
func journeyBody(t *testing.T, ctx context.Context) string {
	t.Helper()
	return js[string](t, ctx, `document.body.innerText`)
}

// journeyQuote makes s a JavaScript string literal.
func journeyQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
