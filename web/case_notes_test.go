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
	"aman.qa/aman/i18n"
	"aman.qa/aman/policy"
)

// A long case shows its latest notes; "Earlier notes" is a plain link to the older ones, whose
// address holds no note's text, and whose page keeps the forms of its notes working: a refused
// amendment comes back beside its note, a good one returns to that page.
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
		// The newest page's forms post where they always did.
		mustContain(t, notes, `action="/cases/`+w.k.ID+`/notes/`+ids[total-1]+`/amendments#case-notes"`)
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
		amendPath := "/cases/" + w.k.ID + "/notes/" + ids[1] + "/amendments?" + earlier.RawQuery
		mustContain(t, notes, `action="`+template.HTMLEscapeString(amendPath)+`#case-notes"`)

		refused := site.post(amendPath+"&lang="+string(lang), w.workerC, url.Values{"body": {"  "}})
		if refused.Code != http.StatusUnprocessableEntity {
			t.Fatalf("an empty amendment on the earlier page: status %d", refused.Code)
		}
		mustContain(t, section(t, refused.Body.String(), "data-notes"), "note-amend-"+ids[1]+"-error", site.text(lang, aman.ERequired))

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
