package demo

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// spelling is one name in Arabic and the ways it is commonly written in Latin letters. Registrations
// made at different desks spell the same person differently; the search must find them all, so the
// demo draws a variant at random for each record.
type spelling struct {
	ar    string
	latin []string
}

// Weights follow the rough order of frequency in the Gulf: the first names are the common ones, and a
// Zipf draw (see zipf) makes the head of each list far more frequent than the tail, as real registers are.
var (
	femaleNames = []spelling{
		{"فاطمة", []string{"Fatima", "Fatma", "Fatemah"}}, {"مريم", []string{"Maryam", "Mariam", "Meriem"}},
		{"عائشة", []string{"Aisha", "Aysha", "Ayesha"}}, {"نورة", []string{"Noura", "Nora", "Nourah"}},
		{"سارة", []string{"Sara", "Sarah"}}, {"حصة", []string{"Hessa", "Hissa", "Hesa"}},
		{"موزة", []string{"Moza", "Mouza"}}, {"شيخة", []string{"Sheikha", "Shaikha"}},
		{"خديجة", []string{"Khadija", "Khadeeja", "Khadijah"}}, {"هند", []string{"Hind", "Hend"}},
		{"لطيفة", []string{"Latifa", "Lateefa"}}, {"أسماء", []string{"Asma", "Asmaa"}},
		{"منى", []string{"Mona", "Muna"}}, {"ريم", []string{"Reem", "Rim"}},
		{"دانة", []string{"Dana", "Danah"}}, {"العنود", []string{"Al Anoud", "Alanoud", "Anood"}},
		{"جواهر", []string{"Jawaher", "Jawahir"}}, {"هيا", []string{"Haya", "Haiya"}},
		{"أمل", []string{"Amal"}}, {"زينب", []string{"Zainab", "Zeinab", "Zaynab"}},
		{"ليلى", []string{"Layla", "Laila", "Leila"}}, {"رنا", []string{"Rana"}},
		{"دعاء", []string{"Doaa", "Duaa"}}, {"إيمان", []string{"Iman", "Eman"}},
		{"شيماء", []string{"Shaimaa", "Shayma"}}, {"آمنة", []string{"Amna", "Amina", "Aminah"}},
		{"نوف", []string{"Nouf", "Nuf"}}, {"الجازي", []string{"Al Jazi", "Aljazi"}},
		{"وضحى", []string{"Wadha", "Wodha"}}, {"بدور", []string{"Badour", "Budoor"}},
	}
	maleNames = []spelling{
		{"محمد", []string{"Mohammed", "Muhammad", "Mohamed", "Mohammad"}}, {"أحمد", []string{"Ahmed", "Ahmad"}},
		{"عبدالله", []string{"Abdullah", "Abdulla", "Abdallah"}}, {"خالد", []string{"Khalid", "Khaled"}},
		{"علي", []string{"Ali"}}, {"حمد", []string{"Hamad"}}, {"جاسم", []string{"Jassim", "Jasim", "Jasem"}},
		{"سعود", []string{"Saud", "Saoud"}}, {"فهد", []string{"Fahad", "Fahd"}}, {"يوسف", []string{"Yousef", "Yusuf", "Youssef"}},
		{"إبراهيم", []string{"Ibrahim", "Ebrahim"}}, {"عمر", []string{"Omar", "Umar"}},
		{"ناصر", []string{"Nasser", "Naser"}}, {"سلطان", []string{"Sultan"}}, {"راشد", []string{"Rashid", "Rashed"}},
		{"حسن", []string{"Hassan", "Hasan"}}, {"مبارك", []string{"Mubarak", "Mobarak"}},
		{"ماجد", []string{"Majid", "Majed"}}, {"تميم", []string{"Tamim", "Tameem"}}, {"سالم", []string{"Salem", "Salim"}},
		{"عبدالرحمن", []string{"Abdulrahman", "Abdelrahman", "Abdul Rahman"}}, {"مصطفى", []string{"Mustafa", "Mostafa"}},
		{"طارق", []string{"Tariq", "Tarek"}}, {"حمزة", []string{"Hamza", "Hamzah"}}, {"زايد", []string{"Zayed", "Zaid"}},
	}
	familyNames = []spelling{
		{"الكواري", []string{"Al-Kuwari", "Al Kuwari", "Alkuwari"}}, {"المري", []string{"Al-Marri", "Al Marri", "Almarri"}},
		{"الهاجري", []string{"Al-Hajri", "Al Hajri", "Alhajri"}}, {"النعيمي", []string{"Al-Nuaimi", "Al Naimi", "Alnuaimi"}},
		{"الكبيسي", []string{"Al-Kubaisi", "Al Kubaisi"}}, {"السليطي", []string{"Al-Sulaiti", "Al Sulaiti"}},
		{"العطية", []string{"Al-Attiyah", "Al Attiya"}}, {"المهندي", []string{"Al-Mohannadi", "Al Muhannadi"}},
		{"الخليفي", []string{"Al-Khulaifi", "Al Khulaifi"}}, {"الدوسري", []string{"Al-Dosari", "Al Dossary", "Aldosari"}},
		{"العلي", []string{"Al-Ali", "Al Ali"}}, {"الأنصاري", []string{"Al-Ansari", "Al Ansari"}},
		{"الشهواني", []string{"Al-Shahwani", "Al Shahwani"}}, {"البوعينين", []string{"Al-Buainain", "Al Bu Ainain"}},
		{"الملا", []string{"Al-Mulla", "Al Mulla"}}, {"السادة", []string{"Al-Sada", "Al Sadah"}},
		{"اليافعي", []string{"Al-Yafei", "Al Yafie"}}, {"الإبراهيم", []string{"Al-Ibrahim", "Al Ibrahim"}},
		{"حسن", []string{"Hassan", "Hasan"}}, {"عبدالعزيز", []string{"Abdulaziz", "Abdelaziz"}},
		{"المنصوري", []string{"Al-Mansouri", "Al Mansoori"}}, {"الجابر", []string{"Al-Jaber", "Al Jabir"}},
		{"الشمري", []string{"Al-Shammari", "Al Shammary"}}, {"العبيدلي", []string{"Al-Obaidly", "Al Obaidli"}},
		{"السويدي", []string{"Al-Suwaidi", "Al Suwaidi"}}, {"الحمادي", []string{"Al-Hammadi", "Al Hamadi"}},
	}
	// Residents from South and South-East Asia are registered by their Latin names; the Arabic
	// spelling, when a desk writes one, is a transcription.
	asianFemale = []string{"Maria Santos", "Jocelyn Reyes", "Priya Nair", "Anjali Sharma", "Sunita Thapa",
		"Fatema Begum", "Ayesha Khan", "Rosalie Cruz", "Lakshmi Pillai", "Maya Gurung", "Nasrin Akter", "Grace Mendoza"}
	asianMale = []string{"Joseph Reyes", "Rahul Kumar", "Ram Thapa", "Abdul Karim", "Imran Ali", "Jose Santos",
		"Suresh Nair", "Bikash Rai", "Mohammad Hossain", "Arjun Menon"}
)

// nationality is a country of residents with its ISO codes (alpha-2 for the record, numeric for the
// QID) and its share of the centre's beneficiaries.
type nationality struct {
	alpha2, numeric string
	arab            bool
	share           float64
}

var nationalities = []nationality{
	{"QA", "634", true, 0.38}, {"EG", "818", true, 0.08}, {"SY", "760", true, 0.05}, {"JO", "400", true, 0.04},
	{"SD", "729", true, 0.04}, {"LB", "422", true, 0.02}, {"IN", "356", false, 0.13}, {"PH", "608", false, 0.09},
	{"NP", "524", false, 0.05}, {"BD", "050", false, 0.05}, {"PK", "586", false, 0.05}, {"LK", "144", false, 0.02},
}

// areas are Qatar's municipalities with a few of their zone numbers.
var areas = []struct {
	ar, en string
	zones  []int
}{
	{"الدوحة", "Doha", []int{13, 16, 24, 38, 40, 45, 47, 63}}, {"الريان", "Al Rayyan", []int{51, 52, 53, 54, 55}},
	{"الوكرة", "Al Wakrah", []int{90, 91}}, {"الخور", "Al Khor", []int{74, 75}}, {"أم صلال", "Umm Salal", []int{71}},
	{"الظعاين", "Al Daayen", []int{69, 70}}, {"الشمال", "Al Shamal", []int{78, 79}}, {"الشحانية", "Al Shahaniya", []int{72, 81}},
}

// mobilePrefixes are the leading digits of Qatari mobile numbers in service.
var mobilePrefixes = []string{"33", "50", "55", "66", "70", "77", "30", "31", "51", "52"}

// person is one synthetic beneficiary before registration.
type person struct {
	nameAR, nameEN string
	female         bool
	birth          time.Time
	nat            nationality
	qid            string
	phone          string
	area           int
	zone           int
}

// people draws persons. It keeps the QID serials it has handed out, so no two persons share a QID.
type people struct {
	rng     *rand.Rand
	serials map[string]int
}

func newPeople(rng *rand.Rand) *people { return &people{rng: rng, serials: map[string]int{}} }

// zipf picks an index in [0, n) with probability falling off as 1/(i+1): a few names are very common,
// most are rare.
func zipf(rng *rand.Rand, n int) int {
	// Inverse of the harmonic distribution by rejection-free search; n is small.
	h := 0.0
	for i := 1; i <= n; i++ {
		h += 1 / float64(i)
	}
	u := rng.Float64() * h
	for i := 1; i <= n; i++ {
		u -= 1 / float64(i)
		if u <= 0 {
			return i - 1
		}
	}
	return n - 1
}

func (p *people) nationality() nationality {
	u := p.rng.Float64()
	for _, n := range nationalities {
		if u -= n.share; u <= 0 {
			return n
		}
	}
	return nationalities[0]
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// draw makes one person of the given sex and birth date; family names are shared by a household, so the
// caller passes one (the zero value draws a new one).
func (p *people) draw(female bool, birth time.Time, nat nationality, family *spelling, now time.Time) person {
	per := person{female: female, birth: birth, nat: nat}
	switch {
	case nat.arab:
		names := maleNames
		if female {
			names = femaleNames
		}
		first, father := names[zipf(p.rng, len(names))], maleNames[zipf(p.rng, len(maleNames))]
		per.nameAR = first.ar + " " + father.ar + " " + family.ar
		// About one record in five has no Latin spelling at all: it was registered in Arabic only.
		if p.rng.IntN(5) > 0 {
			per.nameEN = pick(p.rng, first.latin) + " " + pick(p.rng, father.latin) + " " + pick(p.rng, family.latin)
		}
	default:
		names := asianMale
		if female {
			names = asianFemale
		}
		per.nameEN = names[zipf(p.rng, len(names))]
	}
	if birth.Year() >= 1900 {
		per.qid = p.qid(birth.Year(), nat.numeric)
	}
	// Children under 12 rarely have a phone of their own.
	if age := yearsBetween(birth, now); age >= 12 || p.rng.IntN(10) == 0 {
		per.phone = "+974" + pick(p.rng, mobilePrefixes) + fmt.Sprintf("%06d", p.rng.IntN(1_000_000))
	}
	per.area = zipf(p.rng, len(areas))
	per.zone = pick(p.rng, areas[per.area].zones)
	return per
}

// qid makes a QID in the national format: 2 or 3 for the century of birth, the two-digit birth year,
// the nationality's ISO numeric code, and a five-digit serial unique within that year and nationality.
func (p *people) qid(year int, numeric string) string {
	century := "2"
	if year >= 2000 {
		century = "3"
	}
	key := fmt.Sprintf("%s%02d%s", century, year%100, numeric)
	n, ok := p.serials[key]
	if !ok {
		n = p.rng.IntN(40_000)
	}
	p.serials[key] = n + 1
	return key + fmt.Sprintf("%05d", n%100_000)
}

// family draws a household around its first member: a woman with her children, or a child with a
// parent or two. The first person is the one the case is about.
func (p *people) family(now time.Time, childCase bool) []person {
	nat := p.nationality()
	fam := pick(p.rng, familyNames)
	if !nat.arab {
		fam = spelling{}
	}
	age := func(lo, hi int) time.Time {
		days := lo*365 + p.rng.IntN((hi-lo)*365+1)
		return now.AddDate(0, 0, -days).Truncate(24 * time.Hour)
	}
	var out []person
	if childCase {
		child := p.draw(p.rng.IntN(100) < 55, age(4, 17), nat, &fam, now)
		out = append(out, child)
		out = append(out, p.draw(true, age(25, 50), nat, &fam, now))
		if p.rng.IntN(2) == 0 {
			out = append(out, p.draw(false, age(28, 60), nat, &fam, now))
		}
		for range p.rng.IntN(3) {
			out = append(out, p.draw(p.rng.IntN(2) == 0, age(1, 17), nat, &fam, now))
		}
		return out
	}
	woman := p.draw(true, age(18, 55), nat, &fam, now)
	out = append(out, woman)
	children := []int{0, 0, 1, 1, 2, 2, 3, 4}[p.rng.IntN(8)]
	for range children {
		out = append(out, p.draw(p.rng.IntN(2) == 0, age(1, 17), nat, &fam, now))
	}
	return out
}

// yearsBetween is the age in whole years on the day "on".
func yearsBetween(birth, on time.Time) int {
	y := on.Year() - birth.Year()
	if on.YearDay() < birth.YearDay() {
		y--
	}
	return y
}
