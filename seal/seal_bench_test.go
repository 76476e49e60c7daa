package seal_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"aman.qa/aman/seal"
	"aman.qa/aman/textnorm"
)

// Realistic field values: what a beneficiary record and a case note actually hold. The sizes are
// checked so that a later edit of the literals cannot silently change what is being measured.
const (
	benchRowID = "0190a8c2-7d4e-7b1a-9f00-000000000001"
	// benchNameAR is a 40-character Arabic full name (first, father, grandfather, family).
	benchNameAR = "فاطمة بنت عبدالعزيز إبراهيم يوسف المهندي"
	// benchNoteSentence is repeated and cut to 1,200 characters for a typical caseworker note.
	benchNoteSentence = "راجعت المستفيدة المركز برفقة أختها، وأفادت بتعرّضها للعنف الجسدي واللفظي من الزوج خلال الأشهر الثلاثة الماضية، وطلبت المساعدة في إيجاد سكن آمن لها ولأطفالها. "
)

// benchNoteAR is a 1,200-character Arabic case note.
func benchNoteAR(b *testing.B) string {
	b.Helper()
	runes := []rune(strings.Repeat(benchNoteSentence, 1200/utf8.RuneCountInString(benchNoteSentence)+1))
	note := string(runes[:1200])
	if n := utf8.RuneCountInString(note); n != 1200 {
		b.Fatalf("note has %d characters, want 1200", n)
	}
	return note
}

func benchFields(b *testing.B) []struct{ column, value string } {
	b.Helper()
	if n := utf8.RuneCountInString(benchNameAR); n != 40 {
		b.Fatalf("name has %d characters, want 40", n)
	}
	return []struct{ column, value string }{
		{"name_ar", benchNameAR},
		{"note", benchNoteAR(b)},
	}
}

// BenchmarkRowSeal seals one field through a RowSealer, AAD included, as every write of a sealed
// column does.
func BenchmarkRowSeal(b *testing.B) {
	k, _ := newKeyring(b)
	row := k.Row("beneficiaries", benchRowID)
	for _, f := range benchFields(b) {
		b.Run(f.column, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.value)))
			for b.Loop() {
				if _, err := row.Seal(f.column, f.value); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRowOpen opens one sealed field, as every read of a record does for each of its columns.
func BenchmarkRowOpen(b *testing.B) {
	k, _ := newKeyring(b)
	row := k.Row("beneficiaries", benchRowID)
	for _, f := range benchFields(b) {
		sealed, err := row.Seal(f.column, f.value)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(f.column, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(f.value)))
			for b.Loop() {
				got, err := row.Open(f.column, sealed)
				if err != nil || len(got) != len(f.value) {
					b.Fatal(len(got), err)
				}
			}
		})
	}
}

// benchPerson is the ten sealed columns of a beneficiary row, as app.Beneficiaries.Create seals them.
func benchPerson() []string {
	return []string{
		"name_ar", benchNameAR, "name_en", "Fatima bint Abdulaziz Ibrahim Yousef Al-Mohannadi",
		"birth_date", "1985-05-01", "qid", "28563400123", "phone", "+97455123456",
		"passport", "", "alt_phone", "+97466123456", "area", "الريان الجديد", "zone", "53", "disability", "",
	}
}

// BenchmarkRowFields seals a whole beneficiary row (ten columns, two of them empty).
func BenchmarkRowFields(b *testing.B) {
	k, _ := newKeyring(b)
	row := k.Row("beneficiaries", benchRowID)
	person := benchPerson()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := row.Fields(person...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRowOpenAll opens the same row back, as every search result and record read does.
func BenchmarkRowOpenAll(b *testing.B) {
	k, _ := newKeyring(b)
	row := k.Row("beneficiaries", benchRowID)
	person := benchPerson()
	sealed, err := row.Fields(person...)
	if err != nil {
		b.Fatal(err)
	}
	into := make([]string, len(sealed))
	fields := make([]seal.Field, len(sealed))
	for i := range sealed {
		fields[i] = seal.Field{Column: person[2*i], Sealed: sealed[i], Into: &into[i]}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := row.OpenAll(fields...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBlindIndexNameToken indexes one normalised Arabic name token, the unit of work that
// registration and name search repeat per token.
func BenchmarkBlindIndexNameToken(b *testing.B) {
	k, _ := newKeyring(b)
	toks := textnorm.NameTokens(benchNameAR)
	if len(toks) == 0 {
		b.Fatal("no name tokens")
	}
	tok := toks[0]
	b.ReportAllocs()
	for b.Loop() {
		if got := k.BlindIndex("name", tok); len(got) != seal.BlindIndexSize {
			b.Fatal(len(got))
		}
	}
}

// BenchmarkMACAuditEntry is the MAC of one canonical audit entry (~300 bytes) and of a 32-byte chain
// head, the two MACs every audit Append computes.
func BenchmarkMACAuditEntry(b *testing.B) {
	k, _ := newKeyring(b)
	for _, c := range []struct {
		name   string
		domain string
		size   int
	}{{"entry_300B", "audit.entry", 300}, {"head_32B", "audit.head", 32}} {
		data := make([]byte, c.size)
		for i := range data {
			data[i] = byte(i)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(c.size))
			for b.Loop() {
				if got := k.MAC(c.domain, data); len(got) != seal.MACSize {
					b.Fatal(len(got))
				}
			}
		})
	}
}

// BenchmarkHashPasswordDefault hashes with the production parameters (argon2id, 19 MiB, 2 passes,
// 1 lane). It is slow and memory-hungry by design; the figure is the cost of every sign-in and
// password change, and the B/op column shows the 19 MiB argon2 allocates per hash.
func BenchmarkHashPasswordDefault(b *testing.B) {
	p := seal.DefaultPasswordParams()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seal.HashPassword("quiet river under stone 7", p); err != nil {
			b.Fatal(err)
		}
	}
}
