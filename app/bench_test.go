package app_test

import (
	"fmt"
	"testing"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/app/apptest"
)

// benchRegistrySize is how many people BenchmarkBeneficiariesSearch registers before it searches.
const benchRegistrySize = 5000

// Name parts of the benchmark registry, Arabic with the English spelling a passport would carry. The
// products give 25 × 16 × 13 = 5,200 distinct full names, so every one of the 5,000 people is
// distinct while each first name is shared by ~200 people and each family name by ~400, as in a real
// registry where most name tokens are common.
var (
	benchFirst = [][2]string{
		{"مريم", "Mariam"}, {"فاطمة", "Fatima"}, {"نورة", "Noura"}, {"عائشة", "Aisha"}, {"شيخة", "Sheikha"},
		{"موزة", "Moza"}, {"خولة", "Khawla"}, {"ليلى", "Layla"}, {"زينب", "Zainab"}, {"سعاد", "Suad"},
		{"إيمان", "Eman"}, {"هند", "Hind"}, {"أسماء", "Asma"}, {"سارة", "Sara"}, {"حصة", "Hessa"},
		{"لطيفة", "Latifa"}, {"منيرة", "Munira"}, {"أمل", "Amal"}, {"ريم", "Reem"}, {"دانة", "Dana"},
		{"محمد", "Mohammed"}, {"أحمد", "Ahmed"}, {"خالد", "Khalid"}, {"يوسف", "Yousef"}, {"عبدالله", "Abdullah"},
	}
	benchFather = [][2]string{
		{"عبدالله", "Abdullah"}, {"محمد", "Mohammed"}, {"أحمد", "Ahmed"}, {"خالد", "Khalid"}, {"جاسم", "Jassim"},
		{"حمد", "Hamad"}, {"علي", "Ali"}, {"سالم", "Salem"}, {"راشد", "Rashid"}, {"ناصر", "Nasser"},
		{"سعد", "Saad"}, {"فهد", "Fahad"}, {"إبراهيم", "Ibrahim"}, {"حسن", "Hassan"}, {"عبد الرحمن", "Abdul Rahman"},
		{"عبد العزيز", "Abdulaziz"},
	}
	benchFamily = [][2]string{
		{"الكواري", "Al-Kuwari"}, {"المهندي", "Al-Mohannadi"}, {"آل ثاني", "Al Thani"}, {"المري", "Al-Marri"},
		{"الهاجري", "Al-Hajri"}, {"النعيمي", "Al-Nuaimi"}, {"السليطي", "Al-Sulaiti"}, {"العطية", "Al-Attiyah"},
		{"الدوسري", "Al-Dosari"}, {"الخليفي", "Al-Khulaifi"}, {"المناعي", "Al-Mannai"}, {"الأنصاري", "Al-Ansari"},
		{"الشهواني", "Al-Shahwani"},
	}
)

// benchPerson is person i of the registry: bilingual name, birth date, a QID consistent with it
// (Qatari, born 19yy, serial i) and a unique Qatari mobile number 55xxxxxx.
func benchPerson(i int) app.BeneficiaryInput {
	f, fa, fam := benchFirst[i%len(benchFirst)], benchFather[(i/len(benchFirst))%len(benchFather)], benchFamily[(i/(len(benchFirst)*len(benchFather)))%len(benchFamily)]
	sex := "female"
	if i%len(benchFirst) >= 20 {
		sex = "male"
	}
	year := 1970 + i%35
	return app.BeneficiaryInput{
		NameAR:      f[0] + " " + fa[0] + " " + fam[0],
		NameEN:      f[1] + " " + fa[1] + " " + fam[1],
		Sex:         sex,
		BirthDate:   fmt.Sprintf("%d-%02d-%02d", year, 1+i%12, 1+i%28),
		QID:         fmt.Sprintf("2%02d634%05d", year%100, i),
		Phone:       fmt.Sprintf("55%06d", i),
		Nationality: "QA",
	}
}

// BenchmarkBeneficiariesSearch searches a registry of 5,000 people the way the search box is used:
// by name (Arabic, and a Latin variant spelling), by QID and by phone, typed with Arabic-Indic digits
// too. Every search is one write transaction: blind-index lookups, opening the matched records (at
// most app.MaxSearchResults) and the audit entry.
func BenchmarkBeneficiariesSearch(b *testing.B) {
	env := apptest.New(b)
	ctx := b.Context()
	start := time.Now()
	for i := range benchRegistrySize {
		if _, err := env.Beneficiaries.Create(ctx, apptest.Worker(), benchPerson(i)); err != nil {
			b.Fatalf("create person %d: %v", i, err)
		}
	}
	b.Logf("registered %d people in %v (%v each, Create included sealing, indexing, the duplicate check and the audit entry)",
		benchRegistrySize, time.Since(start).Round(time.Millisecond), (time.Since(start) / benchRegistrySize).Round(time.Microsecond))

	// Person 400 is Mariam Abdullah Al-Mohannadi, born 1985, QID 28563400400, phone +97455000400: the
	// only person with all three of those names, among ~200 Mariams and ~400 Al-Mohannadis.
	target := benchPerson(400)
	for _, q := range []struct {
		name, q    string
		wantExact  bool
		wantTarget bool
	}{
		{"name_ar_two_tokens", "مريم المهندي", false, false},
		{"name_ar_full", "مريم عبدالله المهندي", false, true},
		{"name_en_variant", "Mariam Abdallah Almohannadi", false, true},
		{"qid", target.QID, true, true},
		{"qid_arabic_digits", "٢٨٥ ٦٣٤٠ ٠٤٠٠", true, true},
		{"phone_intl", "+974 5500 0400", true, true},
		{"phone_arabic_digits", "٥٥٠٠٠٤٠٠", true, true},
	} {
		matches, err := env.Beneficiaries.Search(ctx, apptest.Worker(), q.q)
		if err != nil || len(matches) == 0 {
			b.Fatalf("search %q: %d matches, %v", q.q, len(matches), err)
		}
		if matches[0].ExactIdentifier != q.wantExact || (q.wantTarget && matches[0].NameEN != target.NameEN) {
			b.Fatalf("search %q: first match %q (exact %v)", q.q, matches[0].NameEN, matches[0].ExactIdentifier)
		}
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Beneficiaries.Search(ctx, apptest.Worker(), q.q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(matches)), "matches")
		})
	}
}

// BenchmarkCallsLog logs a hotline call as the operator's console does: a counselling call (no triage
// intake) and a call that goes to triage with the caller's number (sealed, blind-indexed, counted
// against earlier calls from it, and enqueued with its urgency).
func BenchmarkCallsLog(b *testing.B) {
	env := apptest.New(b)
	ctx := b.Context()
	u, _, err := env.Accounts.CreateUser(ctx, apptest.Admin(), app.NewUser{Username: "amal.line", Role: aman.RoleHotlineOperator, Password: apptest.StrongPassword})
	if err != nil {
		b.Fatal(err)
	}
	operator := u.Actor()
	counselling := counsellingCall(env)
	intake := counsellingCall(env)
	intake.Outcome, intake.Risk, intake.CallerNumber, intake.SafeToCallBack = "intake_to_triage", aman.CallRisk{Weapon: true, ChildrenPresent: true}, "+974 5512 3456", "yes"
	intake.Reasons = []string{"violence_physical", "violence_psychological"}
	intake.Summary = "تحدثت المتصلة عن اعتداء زوجها عليها الليلة الماضية بحضور الأطفال، وذكرت أنه يحتفظ بسلاح في المنزل."
	for _, c := range []struct {
		name    string
		in      app.CallInput
		urgency aman.Urgency
	}{{"counselling", counselling, ""}, {"intake_with_caller_number", intake, aman.UrgencyHigh}} {
		call, err := env.Calls.Log(ctx, operator, c.in)
		if err != nil || call.Urgency != c.urgency {
			b.Fatalf("%s: urgency %q, %v; want %q", c.name, call.Urgency, err, c.urgency)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := env.Calls.Log(ctx, operator, c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
