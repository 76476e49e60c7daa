package textnorm_test

import (
	"testing"

	"aman.qa/aman/textnorm"
)

// benchNames are full names as caseworkers, passports and relatives type them: Arabic with harakat,
// tatweel, detached articles and compounds, and Latin transliteration variants of the same people.
var benchNames = []struct{ name, in string }{
	{"arabic_plain", "مريم عبدالله الكواري"},
	{"arabic_harakat_compounds", "مُحَمَّد بن عبد الرحمن بن جاسم آل ثاني"},
	{"arabic_tatweel_hamza", "فـــاطمة بنت عبد العزيز إبراهيم نور الدين المهندي"},
	{"latin_plain", "Mariam Abdullah Al-Kuwari"},
	{"latin_variants", "Mohd. Abd al-Rahman Nour Eldin El Kuwari"},
	{"latin_diacritics", "ʿAbd al-Raḥmān Ḥusayn Zia-ul-Haq Abu Bakr"},
	{"mixed_script_fullwidth", "Ｍｏｈａｍｍｅｄ محمدAli بن خالد"},
}

// BenchmarkNameTokens is the normalisation run on every name at registration and on every name
// search, once per input.
func BenchmarkNameTokens(b *testing.B) {
	for _, n := range benchNames {
		b.Run(n.name, func(b *testing.B) {
			if len(textnorm.NameTokens(n.in)) == 0 {
				b.Fatal("no tokens")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(n.in)))
			for b.Loop() {
				textnorm.NameTokens(n.in)
			}
		})
	}
}

// BenchmarkNormalizePhone covers the forms a Qatari number is typed in; libphonenumber parsing and
// validation dominate.
func BenchmarkNormalizePhone(b *testing.B) {
	for _, p := range []struct{ name, in, want string }{
		{"intl_spaced", "+974 5512 3456", "+97455123456"},
		{"local_8_digits", "55123456", "+97455123456"},
		{"arabic_indic_local", "٥٥١٢ ٣٤٥٦", "+97455123456"},
		{"eastern_arabic_indic_00", "۰۰۹۷۴ ۵۵۱۲ ۳۴۵۶", "+97455123456"},
		{"foreign_uk", "+44 20 7946 0958", "+442079460958"},
	} {
		b.Run(p.name, func(b *testing.B) {
			if got, err := textnorm.NormalizePhone(p.in); err != nil || got != p.want {
				b.Fatalf("NormalizePhone(%q) = %q, %v; want %q", p.in, got, err, p.want)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := textnorm.NormalizePhone(p.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQIDDetection is what a search box does with every entry before deciding whether it is a
// QID, a phone number or a name: NormalizeQID, LooksLikeQID and LooksLikePhone.
func BenchmarkQIDDetection(b *testing.B) {
	for _, q := range []struct {
		name, in       string
		qid, likePhone bool
	}{
		{"qid_ascii", "28563400123", true, false},
		{"qid_arabic_indic_spaced", "\u200f٢٨٥ ٦٣٤٠ ٠١٢٣\u200e", true, false},
		{"phone_not_qid", "+974 5512 3456", false, true},
		{"name_not_qid", "مريم الكواري", false, false},
	} {
		b.Run(q.name, func(b *testing.B) {
			if got := textnorm.LooksLikeQID(textnorm.NormalizeQID(q.in)); got != q.qid {
				b.Fatalf("LooksLikeQID(%q) = %v", q.in, got)
			}
			if got := textnorm.LooksLikePhone(q.in); got != q.likePhone {
				b.Fatalf("LooksLikePhone(%q) = %v", q.in, got)
			}
			b.ReportAllocs()
			for b.Loop() {
				if textnorm.LooksLikeQID(textnorm.NormalizeQID(q.in)) != q.qid || textnorm.LooksLikePhone(q.in) != q.likePhone {
					b.Fatal("detection changed")
				}
			}
		})
	}
}

// BenchmarkFoldDigits folds Arabic-Indic digits, which every QID, phone, date and zone goes through.
func BenchmarkFoldDigits(b *testing.B) {
	for _, d := range []struct{ name, in string }{
		{"ascii", "1990-05-01"},
		{"arabic_indic", "١٩٩٠-٠٥-٠١"},
	} {
		b.Run(d.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				textnorm.FoldDigits(d.in)
			}
		})
	}
}
