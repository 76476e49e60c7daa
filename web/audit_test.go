package web

import (
	"context"
	"encoding/csv"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	"aman.qa/aman/store"
)

// auditSite is a staff site with a signed-in auditor and a known history: sara reads two cases, huda
// opens case-1 under break-glass, and, late in the evening UTC (already the next day in Qatar), sara
// reads case-3.
type auditSite struct {
	*staffSite
	auditor *http.Cookie
	sara    app.User
	huda    app.User
}

const auditReason = "Police called: the child is at risk tonight"

func newAuditSite(t *testing.T) *auditSite {
	t.Helper()
	site := newStaffSite(t)
	sara, _ := site.env.CreateUser(t, "sara", aman.RoleCaseWorker)
	huda, _ := site.env.CreateUser(t, "huda", aman.RolePsychologist)
	s := &auditSite{staffSite: site, sara: sara, huda: huda}
	// The fixture's clock starts at 2026-03-15 09:00 UTC, 12:00 in Qatar.
	s.record(sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-1"})
	s.record(sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-2"})
	s.record(huda, audit.Entry{Action: audit.ActionBreakGlass, Entity: audit.EntityCase, EntityID: "case-1", Reason: auditReason})
	site.env.Clock.Advance(13*time.Hour + 30*time.Minute) // 22:30 UTC, 01:30 on the 16th in Qatar
	s.record(sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-3"})
	// Signed in last, so the session is fresh whatever the clock did.
	_, s.auditor = site.signIn("noor", aman.RoleAuditor)
	return s
}

func (s *auditSite) record(by app.User, e audit.Entry) {
	s.t.Helper()
	actor := by.Actor()
	actor.IP, actor.RequestID = "10.0.0.7", "req-0000000001"
	err := s.env.DB.Write(context.Background(), func(ctx context.Context, tx *store.Tx) error {
		return s.env.Audit.Append(ctx, tx, actor, e)
	})
	if err != nil {
		s.t.Fatal(err)
	}
}

var (
	rowSeq   = regexp.MustCompile(`<tr data-seq="(\d+)"`)
	olderURL = regexp.MustCompile(`<a [^>]*href="([^"]*)" rel="next" data-older>`)
)

// shownSeqs lists the entries a page shows, by seq, in page order.
func shownSeqs(body string) []int64 {
	var seqs []int64
	for _, m := range rowSeq.FindAllStringSubmatch(body, -1) {
		seq, _ := strconv.ParseInt(m[1], 10, 64)
		seqs = append(seqs, seq)
	}
	return seqs
}

func seqsOf(entries []audit.Entry) []int64 {
	var seqs []int64
	for _, e := range entries {
		seqs = append(seqs, e.Seq)
	}
	return seqs
}

func TestAuditorFiltersTheTrail(t *testing.T) {
	site := newAuditSite(t)
	tests := []struct {
		name  string
		query string
		want  audit.Filter // the same selection, asked of the log directly
	}{
		{"who accessed case-1", "entity_type=case&entity_id=case-1", audit.Filter{EntityType: "case", EntityID: "case-1"}},
		{"what sara did, by username", "actor=sara", audit.Filter{ActorID: site.sara.ID}},
		{"what huda did, by id", "actor=" + site.huda.ID, audit.Filter{ActorID: site.huda.ID}},
		{"case reads", "action=case.read", audit.Filter{Action: "case.read"}},
		{"break-glass only", "break_glass=1", audit.Filter{BreakGlassOnly: true}},
		{"the 16th in Qatar holds only the late read", "entity_type=case&from=2026-03-16&to=2026-03-16",
			audit.Filter{EntityType: "case", EntityID: "case-3"}},
		{"the 15th in Qatar, typed in Arabic-Indic digits", "entity_type=case&from=" + url.QueryEscape("٢٠٢٦-٠٣-١٥") + "&to=" + url.QueryEscape("٢٠٢٦-٠٣-١٥"),
			audit.Filter{EntityType: "case", To: time.Date(2026, 3, 15, 21, 0, 0, 0, time.UTC)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := site.get("/audit?"+tc.query, site.auditor)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			want := seqsOf(site.entries(tc.want))
			if got := shownSeqs(rec.Body.String()); len(want) == 0 || !slices.Equal(got, want) {
				t.Fatalf("shows %v, want %v", got, want)
			}
		})
	}
}

func TestAuditPageShowsEachEntry(t *testing.T) {
	site := newAuditSite(t)
	first := site.entries(audit.Filter{EntityType: "case", EntityID: "case-1", Action: "case.read"})[0].At
	// Qatar is UTC+3 all year.
	shownAt := `<time datetime="` + first.UTC().Format(time.RFC3339) + `" dir="ltr">` + first.UTC().Add(3*time.Hour).Format("2006-01-02 15:04:05") + `</time>`
	for _, lang := range i18n.Langs() {
		t.Run(string(lang), func(t *testing.T) {
			body := site.get("/audit?entity_type=case&entity_id=case-1&lang="+string(lang), site.auditor).Body.String()
			for _, want := range []string{
				shownAt,
				`<a href="/audit?actor=` + site.sara.ID + `" dir="ltr">sara</a>`,
				`<a href="/audit?actor=` + site.huda.ID + `" dir="ltr">huda</a>`,
				site.text(lang, "role.case_worker"),
				`<code>break_glass</code><span class="cell__sub"><span class="badge badge--danger" data-break-glass>` + site.text(lang, "audit.break_glass"),
				`<a href="/audit?entity_id=case-1&amp;entity_type=case" dir="ltr">case-1</a>`,
				"10.0.0.7", "req-0000000001",
				site.text(lang, "audit.reason_sealed"),
				`href="/audit/export.csv?entity_id=case-1&amp;entity_type=case"`,
			} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if strings.Contains(body, auditReason) {
				t.Error("a break-glass reason is shown without being asked for")
			}
		})
	}
	if opened := site.entries(audit.Filter{Action: app.ActionAuditReasonsOpen}); len(opened) != 0 {
		t.Fatalf("reading with reasons sealed was recorded as opening them")
	}
	body := site.get("/audit?break_glass=1&reasons=1", site.auditor).Body.String()
	if !strings.Contains(body, auditReason) {
		t.Error("an opened reason is not shown")
	}
	if opened := site.entries(audit.Filter{Action: app.ActionAuditReasonsOpen}); len(opened) != 1 || opened[0].Detail["break_glass_only"] != "true" {
		t.Fatalf("opening reasons recorded as %+v", opened)
	}
}

func TestAuditFilterProblemsComeBackOnTheirFields(t *testing.T) {
	site := newAuditSite(t)
	tests := []struct {
		name     string
		query    string
		status   int
		errors   map[string]string // error element id → catalog key
		keptText []string
	}{
		{"a future period has no entries", "from=2030-01-01&to=2030-01-31", 200, nil, []string{`value="2030-01-01"`}},
		{"a day that does not exist", "from=2026-02-30&to=2026-03-01", 422,
			map[string]string{"from-error": eInvalidDate}, []string{`value="2026-02-30"`, `value="2026-03-01"`}},
		{"two bad days at once", "from=yesterday&to=15/03/2026", 422,
			map[string]string{"from-error": eInvalidDate, "to-error": eInvalidDate}, []string{`value="yesterday"`}},
		{"a period that ends before it starts", "from=2026-03-15&to=2026-03-14&action=case.read", 422,
			map[string]string{"to-error": app.EInvalidDateRange}, []string{`value="case.read"`}},
		{"an unknown user", "actor=nobody&entity_type=case", 422,
			map[string]string{"actor-error": app.EUnknownUser}, []string{`value="nobody"`, `value="case"`}},
		{"a record id without its type", "entity_id=case-1", 422,
			map[string]string{"entity-type-error": aman.ERequired}, []string{`value="case-1"`}},
	}
	for _, tc := range tests {
		for _, lang := range i18n.Langs() {
			t.Run(tc.name+"/"+string(lang), func(t *testing.T) {
				rec := site.get("/audit?"+tc.query+"&lang="+string(lang), site.auditor)
				body := rec.Body.String()
				if rec.Code != tc.status {
					t.Fatalf("status %d, want %d", rec.Code, tc.status)
				}
				for id, key := range tc.errors {
					if !strings.Contains(body, `id="`+id+`">`+site.text(lang, key)+`</p>`) {
						t.Errorf("no %s in %s", key, id)
					}
				}
				for _, kept := range tc.keptText {
					if !strings.Contains(body, kept) {
						t.Errorf("the form lost %s", kept)
					}
				}
				if seqs := shownSeqs(body); len(seqs) != 0 {
					t.Errorf("shows entries %v", seqs)
				}
				if tc.status == http.StatusOK && !strings.Contains(body, "data-no-entries") {
					t.Error("an empty result does not say so")
				}
			})
		}
	}
}

func TestAuditorPagesOlderEntriesKeepingTheFilter(t *testing.T) {
	site := newAuditSite(t)
	for i := 0; i < audit.DefaultLimit+7; i++ {
		site.record(site.sara, audit.Entry{Action: audit.ActionCaseRead, Entity: audit.EntityCase, EntityID: "case-" + strconv.Itoa(100+i)})
	}
	want := seqsOf(site.entries(audit.Filter{Action: "case.read", Limit: audit.MaxLimit}))
	var got []int64
	path := "/audit?action=case.read"
	for pages := 0; path != ""; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		body := site.get(path, site.auditor).Body.String()
		seqs := shownSeqs(body)
		if len(seqs) == 0 || len(seqs) > audit.DefaultLimit {
			t.Fatalf("page %d shows %d entries", pages, len(seqs))
		}
		got = append(got, seqs...)
		path = ""
		if m := olderURL.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
			if !strings.Contains(path, "action=case.read") || !strings.Contains(path, "before=") {
				t.Fatalf("the older link %q drops the filter or the cursor", path)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages showed %v, want %v", got, want)
	}
}

func TestAuditExportStreamsTheSelectionAndIsRecorded(t *testing.T) {
	site := newAuditSite(t)
	rec := site.get("/audit/export.csv?entity_type=case&entity_id=case-1&before=999", site.auditor)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
	}
	for header, want := range map[string]string{
		"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
	} {
		if got := rec.Header().Get(header); got != want {
			t.Errorf("%s %q, want %q", header, got, want)
		}
	}
	if got := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(got, `attachment; filename=aman-audit-`) || !strings.HasSuffix(got, ".csv") {
		t.Errorf("Content-Disposition %q", got)
	}
	rows, err := csv.NewReader(strings.NewReader(rec.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantEntries := site.entries(audit.Filter{EntityType: "case", EntityID: "case-1"})
	if len(rows) != len(wantEntries)+1 || rows[0][0] != "seq" {
		t.Fatalf("%d rows, want a header and %d entries", len(rows), len(wantEntries))
	}
	for i, e := range wantEntries {
		if row := rows[i+1]; row[0] != strconv.FormatInt(e.Seq, 10) || row[6] != "case-1" || (e.HasReason && row[11] != audit.ReasonSealed) {
			t.Errorf("row %d: %q", i+1, row)
		}
	}
	exports := site.entries(audit.Filter{Action: audit.ActionExportCSV})
	if len(exports) != 1 {
		t.Fatalf("%d export.csv entries, want 1", len(exports))
	}
	if d := exports[0].Detail; d["entity"] != "case" || d["entity_id"] != "case-1" || d["before_seq"] != "" {
		t.Errorf("export recorded with detail %v", d)
	}

	// A filter that cannot be used exports nothing and says why on the page: the days are refused by
	// the page, an unknown user by the trail before anything is sent.
	for query, key := range map[string]string{"from=someday": eInvalidDate, "actor=nobody": app.EUnknownUser} {
		rec = site.get("/audit/export.csv?lang=en&"+query, site.auditor)
		if rec.Code != http.StatusUnprocessableEntity || rec.Header().Get("Content-Disposition") != "" ||
			!strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || !strings.Contains(rec.Body.String(), site.text(i18n.English, key)) {
			t.Fatalf("export with %s: %d %q", query, rec.Code, rec.Header().Get("Content-Disposition"))
		}
	}
	if len(site.entries(audit.Filter{Action: audit.ActionExportCSV})) != 1 {
		t.Fatal("a refused export was recorded")
	}
}

func TestCentreZoneAndDays(t *testing.T) {
	missing := func(string) (*time.Location, error) { return nil, errors.New("no zoneinfo") }
	noon := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	for name, zone := range map[string]*time.Location{"embedded": centreZone(time.LoadLocation), "fallback": centreZone(missing)} {
		t.Run(name, func(t *testing.T) {
			if got := showTime(noon, zone).Text; got != "2026-07-01 12:00:00" {
				t.Errorf("09:00 UTC shows as %q, want 12:00 in Qatar", got)
			}
			tests := []struct {
				typed string
				want  time.Time
				ok    bool
			}{
				{"", time.Time{}, true},
				{"2026-03-16", time.Date(2026, 3, 15, 21, 0, 0, 0, time.UTC), true},
				{" ٢٠٢٦-٠٣-١٦ ", time.Date(2026, 3, 15, 21, 0, 0, 0, time.UTC), true},
				{"۲۰۲۶-۰۳-۱۶", time.Date(2026, 3, 15, 21, 0, 0, 0, time.UTC), true},
				{"2026-02-29", time.Time{}, false},
				{"16/03/2026", time.Time{}, false},
				{"2026-03-16T00:00", time.Time{}, false},
			}
			for _, tc := range tests {
				got, err := parseDay(tc.typed, zone, "from")
				if (err == nil) != tc.ok || !got.Equal(tc.want) {
					t.Errorf("parseDay(%q) = %v, %v; want %v, ok %v", tc.typed, got, err, tc.want, tc.ok)
				}
				if err != nil && (aman.ErrorField(err) != "from" || aman.ErrorCode(err) != eInvalidDate) {
					t.Errorf("parseDay(%q): %v, want %s on from", tc.typed, err, eInvalidDate)
				}
			}
		})
	}
	if showTime(time.Time{}, centreZone(missing)) != (shownTime{}) {
		t.Error("the zero time shows as a time")
	}
}

func TestAuditPagesWithoutTheTrailAreAServerError(t *testing.T) {
	h := newTestHandler(t)
	for _, show := range []http.HandlerFunc{h.showAuditTrail, h.exportAuditTrail} {
		rec := httptest.NewRecorder()
		show(rec, httptest.NewRequest(http.MethodGet, "/audit", nil))
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("status %d, want 500", rec.Code)
		}
	}
}
