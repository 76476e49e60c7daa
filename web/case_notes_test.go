package web

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/audit"
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
)

// A long case shows its latest notes; "Earlier notes" is a plain link to the older ones, whose
// address holds no note's text, and whose notes keep the page in their links: on a note's own page a
// refused amendment comes back beside the note, and a good one returns to the page of notes.
func TestCaseShowsTheLatestNotesAndLinksToEarlierOnes(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		ctx := context.Background()
		const total = app.DefaultNotePage + 3
		ids := make([]string, total)
		for i := range total {
			if i == 10 { // another discipline's note among them, counted for the worker, never shown
				if _, err := site.env.Notes.Create(ctx, w.supervisor.Actor(), w.k.ID, app.NewNote{Kind: policy.NotePsychological,
					Body: "Sleeps badly since the incident."}); err != nil {
					t.Fatal(err)
				}
			}
			n, err := site.env.Notes.Create(ctx, w.worker.Actor(), w.k.ID, app.NewNote{Kind: policy.NoteGeneral, Body: noteBody(i)})
			if err != nil {
				t.Fatal(err)
			}
			ids[i] = n.ID
			site.env.Clock.Advance(time.Second)
		}

		page := site.get(w.path(lang, ""), w.workerC).Body.String()
		notes := section(t, page, "data-notes")
		if n := strings.Count(notes, "data-note>"); n != app.DefaultNotePage {
			t.Fatalf("the case page shows %d notes, want the latest %d", n, app.DefaultNotePage)
		}
		mustContain(t, notes, noteBody(total-1), noteBody(3), site.text(lang, "case.notes.earlier"),
			pluralText(site, lang, "case.notes.withheld", 1))
		mustNotContain(t, notes, noteBody(2)+"<", noteBody(0)+"<", "Sleeps badly", "data-notes-latest")
		// The newest page's notes link to their own pages, which hold the forms; the case page holds none.
		mustContain(t, notes, `href="/cases/`+w.k.ID+`/notes/`+ids[total-1]+`" data-note-open="edit"`)
		mustNotContain(t, notes, "/amendments", "<textarea class=\"field__input field__input--long\" id=\"note-edit")
		if strings.Index(notes, noteBody(3)) > strings.Index(notes, noteBody(total-1)) {
			t.Error("the latest notes are not shown oldest first")
		}
		mustContain(t, section(t, page, "data-timeline"), "data-timeline-notes-partial", site.text(lang, "case.timeline.notes_partial"))

		link := regexp.MustCompile(`href="([^"]+)"[^>]*data-notes-earlier`).FindStringSubmatch(notes)
		if link == nil {
			t.Fatalf("no earlier notes link in:\n%s", notes)
		}
		earlier, err := url.Parse(html.UnescapeString(link[1]))
		if err != nil || earlier.Path != "/cases/"+w.k.ID || earlier.Fragment != anchorNotes || len(earlier.Query()) != 1 {
			t.Fatalf("earlier notes link %q", link[1])
		}
		cursor, err := app.ParseNoteCursor(earlier.Query().Get(paramNotesBefore))
		if err != nil || cursor.ID != ids[3] {
			t.Fatalf("the link's cursor is %+v (%v), want the oldest note shown", cursor, err)
		}

		older := site.get(earlier.Path+"?"+earlier.RawQuery+"&lang="+string(lang), w.workerC)
		if older.Code != http.StatusOK {
			t.Fatalf("earlier notes: status %d", older.Code)
		}
		notes = section(t, older.Body.String(), "data-notes")
		if n := strings.Count(notes, "data-note>"); n != 3 {
			t.Fatalf("the earlier page shows %d notes, want 3", n)
		}
		mustContain(t, notes, noteBody(0), noteBody(2), "data-notes-latest", site.text(lang, "case.notes.latest"),
			pluralText(site, lang, "case.notes.withheld", 1), "data-note-form")
		mustNotContain(t, notes, noteBody(3), "data-notes-earlier")
		notePath := "/cases/" + w.k.ID + "/notes/" + ids[1] + "?" + earlier.RawQuery
		mustContain(t, notes, `href="`+template.HTMLEscapeString(notePath)+`" data-note-open="edit"`)
		opened := site.get(notePath+"&lang="+string(lang), w.workerC).Body.String()
		amendPath := "/cases/" + w.k.ID + "/notes/" + ids[1] + "/amendments?" + earlier.RawQuery
		mustContain(t, opened, noteBody(1), `action="`+template.HTMLEscapeString(amendPath)+`#case-notes"`,
			`href="`+template.HTMLEscapeString("/cases/"+w.k.ID+"?"+earlier.RawQuery+"#"+anchorNotes)+`" data-notes-back`)

		refused := site.post(amendPath+"&lang="+string(lang), w.workerC, url.Values{"body": {"  "}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("an empty amendment on the earlier page: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-note-amend"), `id="note-amend-body-error"`, site.text(lang, aman.ERequired),
			`action="`+template.HTMLEscapeString(amendPath)+`#case-notes"`)

		amended := site.post(amendPath+"&lang="+string(lang), w.workerC, url.Values{"body": {"Correction: at the school."}})
		if want := "/cases/" + w.k.ID + "?" + earlier.RawQuery + "&done=" + doneNoteAmended; amended.Header().Get("Location") != want {
			t.Fatalf("after amending, redirect to %q, want %q", amended.Header().Get("Location"), want)
		}
		notes = section(t, site.follow(amended, w.workerC, lang).Body.String(), "data-notes")
		mustContain(t, notes, "Correction: at the school.", site.text(lang, "case.done."+doneNoteAmended), noteBody(1))

		// A cursor that does not parse shows the latest notes rather than an error.
		latest := site.get(w.path(lang, "")+"&"+paramNotesBefore+"=nonsense", w.workerC)
		if latest.Code != http.StatusOK || !strings.Contains(section(t, latest.Body.String(), "data-notes"), noteBody(total-1)) {
			t.Fatalf("a bad cursor: status %d", latest.Code)
		}
	})
}

func noteBody(i int) string { return fmt.Sprintf("Visit number %03d", i) }

// pluralText is the plural message of key for n, escaped as a page shows it.
func pluralText(site *staffSite, lang i18n.Lang, key string, n int) string {
	return template.HTMLEscapeString(site.h.bundle.N(lang, key, n))
}

// A note's own page offers its reader the forms the use cases would accept: its author edits it
// within the day and amends it; the unit's supervisor amends it but does not rewrite it. Each opening
// is audited as a read of the case and of that note, with the note's id and never its text.
func TestNotePageShowsTheFormsItsReaderMayUse(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		note, err := site.env.Notes.Create(context.Background(), w.worker.Actor(), w.k.ID, app.NewNote{Kind: policy.NoteGeneral,
			Body: "Met the mother & the children."})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			reader    app.User
			cookie    *http.Cookie
			edit      bool
			amendment bool
		}{
			{"author", w.worker, w.workerC, true, true},
			{"supervisor of the unit", w.supervisor, w.supervisorC, false, true},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				rec := site.get(w.path(lang, "/notes/"+note.ID), tc.cookie)
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d:\n%s", rec.Code, rec.Body.String())
				}
				page := rec.Body.String()
				mustContain(t, section(t, page, "data-note-page"), "Met the mother &amp; the children.", "Huda Al-Kuwari", w.k.Number,
					site.text(lang, "case.note.title"), site.text(lang, "case.note.kind.general"), site.text(lang, "case.notes.back"))
				if got := strings.Contains(page, "data-note-edit"); got != tc.edit {
					t.Errorf("edit form shown: %v, want %v", got, tc.edit)
				}
				if got := strings.Contains(page, "data-note-amend"); got != tc.amendment {
					t.Errorf("amendment form shown: %v, want %v", got, tc.amendment)
				}
				if tc.edit {
					mustContain(t, section(t, page, "data-note-edit"), ">Met the mother &amp; the children.</textarea>",
						`action="/cases/`+w.k.ID+`/notes/`+note.ID+`#case-notes"`, site.text(lang, "case.notes.edit_submit"))
				}
				if tc.amendment {
					mustContain(t, section(t, page, "data-note-amend"), `action="/cases/`+w.k.ID+`/notes/`+note.ID+`/amendments#case-notes"`,
						site.text(lang, "case.notes.amend_hint"), site.text(lang, "case.notes.amend_submit"))
				}
				reads := site.entries(audit.Filter{Action: "note.read", ActorID: tc.reader.ID})
				if len(reads) != 1 || reads[0].EntityID != w.k.ID || reads[0].Detail["note"] != note.ID {
					t.Fatalf("note reads audited: %+v", reads)
				}
				if len(site.entries(audit.Filter{Action: "case.read", ActorID: tc.reader.ID})) == 0 {
					t.Error("the case read is not audited")
				}
			})
		}
	})
}

// The note's page is refused as the case page is: a colleague to whom the case is not open is offered
// break-glass (403) and sees nothing of the case or the note; the administrator, a note of another
// discipline, a note of another case and a note that does not exist get the error page. The refusals
// of need-to-know are audited.
func TestNotePageRefusesAsTheCasePageDoes(t *testing.T) {
	w := newCaseWorld(t)
	site := w.site
	ctx := context.Background()
	note, err := site.env.Notes.Create(ctx, w.worker.Actor(), w.k.ID, app.NewNote{Kind: policy.NoteGeneral, Body: "Met the mother at the shelter."})
	if err != nil {
		t.Fatal(err)
	}
	private, err := site.env.Notes.Create(ctx, w.supervisor.Actor(), w.k.ID, app.NewNote{Kind: policy.NotePsychological, Body: "Sleeps badly."})
	if err != nil {
		t.Fatal(err)
	}
	other, err := site.env.Cases.Open(ctx, w.worker.Actor(), app.OpenCaseInput{BeneficiaryID: w.person.ID})
	if err != nil {
		t.Fatal(err)
	}

	// The case page and the note's page answer a stranger to the case alike.
	casePage := site.get(w.path(i18n.English, ""), w.colleagueC)
	notePage := site.get(w.path(i18n.English, "/notes/"+note.ID), w.colleagueC)
	if casePage.Code != http.StatusForbidden || notePage.Code != casePage.Code {
		t.Fatalf("a stranger: case page %d, note page %d, want 403 for both", casePage.Code, notePage.Code)
	}
	mustContain(t, notePage.Body.String(), site.text(i18n.English, "case.break_glass.title"), `action="/cases/`+w.k.ID+`/break-glass"`)
	mustNotContain(t, notePage.Body.String(), "Met the mother", w.k.Number, "مريم", "Huda Al-Kuwari")
	if denied := site.entries(audit.Filter{Action: "case.read_denied", ActorID: w.colleague.ID}); len(denied) != 2 {
		t.Errorf("%d refused reads audited, want 2 (the case page and the note's page)", len(denied))
	}

	tests := []struct {
		name   string
		path   string
		cookie *http.Cookie
		status int
	}{
		{"the administrator", w.path(i18n.English, "/notes/"+note.ID), w.adC, http.StatusForbidden},
		{"a note of another discipline", w.path(i18n.Arabic, "/notes/"+private.ID), w.workerC, http.StatusForbidden},
		{"the note under another case", "/cases/" + other.ID + "/notes/" + note.ID + "?lang=en", w.workerC, http.StatusNotFound},
		{"no such note", w.path(i18n.English, "/notes/no-such-note"), w.workerC, http.StatusNotFound},
		{"no session", w.path(i18n.English, "/notes/"+note.ID), nil, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := site.get(tc.path, tc.cookie)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d", rec.Code, tc.status)
			}
			mustContain(t, rec.Body.String(), "error-page")
			mustNotContain(t, rec.Body.String(), "data-break-glass", "Met the mother", "Sleeps badly", "data-note-amend")
		})
	}
	if denied := site.entries(audit.Filter{Action: "note.read_denied", ActorID: w.worker.ID}); len(denied) != 1 || denied[0].Detail["note"] != private.ID {
		t.Errorf("refused note reads audited: %+v", denied)
	}

	// Once the glass is broken the note's page opens under the banner, and the read stands out in the
	// audit; a colleague's note is not theirs to change.
	if rec := site.post(w.path(i18n.English, "/break-glass"), w.colleagueC, url.Values{"reason": {"Night duty: the police called about this family"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("break-glass: status %d", rec.Code)
	}
	rec := site.get(w.path(i18n.English, "/notes/"+note.ID), w.colleagueC)
	if rec.Code != http.StatusOK {
		t.Fatalf("the note's page under break-glass: status %d", rec.Code)
	}
	mustContain(t, rec.Body.String(), "data-break-glass-banner", site.text(i18n.English, "case.break_glass.banner"), "Met the mother at the shelter.")
	mustNotContain(t, rec.Body.String(), "data-note-edit", "data-note-amend")
	if reads := site.entries(audit.Filter{Action: "note.read", ActorID: w.colleague.ID, BreakGlassOnly: true}); len(reads) != 1 {
		t.Errorf("%d break-glass note reads audited, want 1", len(reads))
	}
}

// An amendment refused for what was typed comes back on the note's page with the text as typed, the
// problem beside it in the page's language; nothing is written.
func TestFailedAmendmentComesBackWithTheTypedText(t *testing.T) {
	inBothLanguages(t, func(t *testing.T, lang i18n.Lang, w *caseWorld, site *staffSite) {
		note, err := site.env.Notes.Create(context.Background(), w.worker.Actor(), w.k.ID, app.NewNote{Kind: policy.NoteGeneral,
			Body: "Met the mother at the shelter."})
		if err != nil {
			t.Fatal(err)
		}
		typed := "Correction <b>three</b> children " + strings.Repeat("a", app.MaxNoteLength)
		rec := site.post(w.path(lang, "/notes/"+note.ID+"/amendments"), w.workerC, url.Values{"body": {typed}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("an amendment too long: status %d", rec.Code)
		}
		page := rec.Body.String()
		amend := section(t, page, "data-note-amend")
		mustContain(t, amend, ">"+template.HTMLEscapeString(typed)+"</textarea>", `aria-invalid="true"`, `id="note-amend-body-error"`,
			site.text(lang, aman.ETextTooLong))
		// The note itself shows as it was, and the edit form keeps the note's text, not what was typed.
		mustContain(t, section(t, page, "data-note-page"), "Met the mother at the shelter.")
		mustContain(t, section(t, page, "data-note-edit"), ">Met the mother at the shelter.</textarea>")
		mustNotContain(t, section(t, page, "data-note-edit"), "aria-invalid")
		if got, err := site.env.Notes.Get(context.Background(), w.worker.Actor(), w.k.ID, note.ID); err != nil || len(got.Amendments) != 0 {
			t.Fatalf("a refused amendment was written: %+v %v", got.Amendments, err)
		}
	})
}
