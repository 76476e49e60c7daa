package textnorm

import (
	"strings"
	"unicode/utf8"
)

// Latin-script names are mostly transliterations of Arabic, Urdu, Persian or Somali names, and the same
// person's name is spelt differently on a passport, a visa, a hospital record and a relative's phone.
// The variation is not random, though: it is in the vowels (Mohammed/Muhammad), in doubled letters
// (Mohamed), in digraphs for sounds Latin lacks (kh, sh, th, dh, gh), in how the article is attached
// (Al-Kuwari/Alkuwari) and in where compound names are split (Abd al-Rahman/Abdulrahman). A token is
// therefore a skeleton (see skeleton) that keeps what spellings agree on — the consonants, where the
// vowels are, and whether a vowel is a, i or u — and discards what they do not.
//
// Token shapes, all ASCII, never containing spaces:
//
//	mUhAmAd        plain word: lower-case consonant symbols, upper-case vowel classes A I U and
//	               glides Y W (see skeleton)
//	abd+rAhmAn     عبد + name (Abdulrahman, Abd al-Rahman, Abdurrahman, Abdirahman...)
//	abd+ALLAH      عبد الله (Abdullah, Abdallah, Abd Allah, Abdulla, Abdullahi...)
//	abu+bAkr       أبو + name (Abu Bakr, Abubakar, Abou Bakr...)
//	nUr+din        name + الدين (Nour Eldin, Nureddin, Nooruddin, Noureddine...)
//	nAsr+allah     name + الله (Nasrallah, Nasrullah, Nasr Allah, Samiullah...)
//	zYUlhAk        X-ul-Y compounds are one plain word (Zia ul Haq, Zia-ul-Haq, Ziaulhaq)
//
// Decisions, each pinned by a test in names_test.go:
//   - Hamad ≠ Hamid, Hassan ≠ Hussein, Omar ≠ Amr, Ali ≠ Alia, Noor ≠ Nora, Mahmoud ≠ Muhammad: a
//     different vowel quality or a different vowel position is a different name.
//   - Hamed = Hamid, Khaled = Khalid: e is read as i.
//   - Fatma = Fatima, Fahd = Fahad, Badr = Bader: one Arabic name each (aliases table).
//   - Accepted merges of different names, because the spellings genuinely overlap: Saeed = Said =
//     Sayed = Sayyid, Zaid = Zayed, Samir = Samer, Alaa = Ala, Suleiman = Sulaiman = Soliman.
//   - Accepted misses, rarer spellings the rules cannot reach without merging common names: Osman ≠
//     Othman, Omer ≠ Omar, Maryem ≠ Maryam, Abdulatif (one l) ≠ Abdul Latif, Ali ≠ Al Ali.
//   - A compound is one token: a query for Rahman does not find Abdul Rahman, nor Bakr Abu Bakr. They
//     are different names, and the compound is what the person is called.

// latinTokens appends the tokens of the Latin words ws, in order, to dst.
func latinTokens(dst, ws []string) []string {
	j := 0
	for _, w := range ws {
		if utf8.RuneCountInString(w) >= 2 { // initials identify nobody
			ws[j] = w
			j++
		}
	}
	ws = dropConnectors(ws[:j], func(w string) bool {
		switch w {
		case "bin", "bint", "binti", "ibn", "ben", "bent":
			return true
		}
		return false
	})
	ws = joinLinks(ws)
	ws = mergeRTL(ws, mergeLatin)
	for _, w := range ws {
		dst = append(dst, latinCanon(w))
	}
	return dst
}

// joinLinks joins South Asian compounds linked by an article written ul, ur, us...: Zia ul Haq,
// Zia-ul-Haq and Ziaulhaq, or Fazal-ur-Rehman and Fazalurrehman, are one name however it is spaced.
// The article is kept (unlike al) because the one-word spellings keep it too.
func joinLinks(ws []string) []string {
	out := ws[:0]
	for i := 0; i < len(ws); i++ {
		if w := ws[i]; len(out) > 0 && i+1 < len(ws) && isLink(w) {
			out[len(out)-1] += w + ws[i+1]
			i++
			continue
		}
		out = append(out, ws[i])
	}
	return out
}

func isLink(w string) bool {
	if len(w) < 2 || len(w) > 3 || w[0] != 'u' {
		return false
	}
	switch w[1:] {
	case "l", "d", "r", "s", "t", "z", "n", "sh", "th":
		return true
	}
	return false
}

// mergeLatin joins a word with the (already joined) word after it when together they are one name:
// an article with its noun, Abd/Abu with the following name, a name with a following Eldin or Allah.
// Articles are rewritten as "al" so that as-Salam, es-Salam and al-Salam all become alsalam.
func mergeLatin(w, next string) (string, bool) {
	switch {
	case w == "al" || w == "el":
		return "al" + next, true
	case isSunArticle(w, next):
		return "al" + next, true
	case isAbdWord(w) || w == "abu" || w == "abou" || w == "abo":
		return w + next, true
	case isDinWord(next) || isAllahWord(next):
		return w + next, true
	}
	return "", false
}

// isSunArticle reports an article assimilated to the following consonant, written as its own word:
// ad-Din, ar-Rahman, as-Salam, ash-Shamsi, at-Tamimi, an-Nour, and the e/u spellings of the same.
func isSunArticle(w, next string) bool {
	if len(w) < 2 || len(w) > 3 || (w[0] != 'a' && w[0] != 'e' && w[0] != 'u') {
		return false
	}
	c := w[1:]
	switch c {
	case "d", "r", "s", "t", "z", "n", "sh", "th", "dh":
		return len(next) > len(c) && strings.HasPrefix(next, c)
	}
	return false
}

// isAbdWord reports a detached "Abd" with its linking vowel and article: abd, abdul, abdel, abdal,
// abdur, abdus... Abdu, Abdo and Abdi are not included: they are names in their own right.
func isAbdWord(w string) bool {
	if w == "abd" {
		return true
	}
	return len(w) == 5 && strings.HasPrefix(w, "abd") && isVowel(w[3]) && !isVowel(w[4]) && w[4] != 'n' && w[4] != 'y' && w[4] != 'w'
}

// latinAbbrev expands abbreviations that are written instead of a name, mostly on South and South-East
// Asian documents. Read-only.
var latinAbbrev = map[string]string{
	"md": "muhammad", "mohd": "muhammad", "muhd": "muhammad", "mhd": "muhammad", "mohmd": "muhammad", "mhmd": "muhammad",
}

// latinCanon returns the token of one (possibly joined) Latin word.
func latinCanon(w string) string {
	if m, ok := latinAbbrev[w]; ok {
		w = m
	}
	if t, ok := abdCompound(w); ok {
		return t
	}
	if t, ok := abuCompound(w); ok {
		return t
	}
	if rest, ok := stripArticle(w); ok {
		return latinCanon(rest)
	}
	if raw, ok := dinSplit(w); ok && len(raw) >= 3 {
		// The stem loses its linking vowel and article however they were written (Nour|el|din,
		// Nour|ed|din, Nour|u|ddin, Jamal|el|din, Jamal|u|ddin): trailing vowels and l's go. When that
		// leaves nothing the stem is all vowels and l (Alaa, Ala), and is cut after its first l.
		stem := strings.TrimRight(raw, "aeiouyl")
		if stem == "" {
			if i := strings.IndexByte(raw, 'l'); i >= 0 {
				stem = raw[:i+1]
			}
		}
		if hasConsonant(stem) {
			return alias(skeleton(stem)) + "+din"
		}
	}
	if raw, ok := allahSplit(w); ok {
		if stem := strings.TrimRight(raw, "aeiou"); len(stem) >= 2 && hasConsonant(stem) {
			return alias(skeleton(stem)) + "+allah"
		}
	}
	return alias(skeleton(w))
}

// abdCompound canonicalises a word beginning with Abd: the linking vowel and article are dropped
// (Abdul/Abdel/Abd al-/Abdur/Abdi all mean "servant of the"), leaving the divine name.
func abdCompound(w string) (string, bool) {
	if len(w) < 5 || !strings.HasPrefix(w, "abd") {
		return "", false
	}
	rest := w[3:]
	if isAllahRest(rest) {
		return "abd+ALLAH", true
	}
	// Vowels, then the article's l, then vowels again: Abdul-Aziz, Abd al-Aziz and Abd Aziz all leave
	// "ziz". The price is that Abdulatif (one l) loses the l of Latif; Abdul Latif and Abdellatif keep it.
	r := strings.TrimLeft(rest, "aeiou")
	r = strings.TrimPrefix(r, "l")
	r = strings.TrimLeft(r, "aeiou")
	if len(r) < 2 || !hasConsonant(r) {
		return "", false // Abdu, Abdo, Abdul on its own: a plain word
	}
	return "abd+" + alias(skeleton(r)), true
}

// isAllahRest reports whether what follows "abd" spells Allah: [vowels] l+ vowels h* [i], with either
// a double l or a final h (ullah, allah, ulla, ulah, ellah, ullahi), so that Abdelaal (عبد العال) is not
// taken for Abdallah.
func isAllahRest(rest string) bool {
	r := strings.TrimLeft(rest, "aeiou")
	nl := len(r) - len(strings.TrimLeft(r, "l"))
	if nl == 0 {
		return false
	}
	r = r[nl:]
	nv := len(r) - len(strings.TrimLeft(r, "aeiou"))
	if nv == 0 {
		return false
	}
	r = r[nv:]
	nh := len(r) - len(strings.TrimLeft(r, "h"))
	switch r[nh:] {
	case "":
	case "i":
		if nh == 0 {
			return false
		}
	default:
		return false
	}
	return nl >= 2 || nh > 0
}

// abuCompound canonicalises Abu/Abou/Abo + name written as one word. The rest must be at least three
// letters so that Aboud and Abood (عبود) stay plain names.
func abuCompound(w string) (string, bool) {
	for _, p := range [...]string{"abou", "abu", "abo"} {
		if strings.HasPrefix(w, p) {
			rest := w[len(p):]
			if len(rest) < 3 || !hasConsonant(rest) {
				return "", false
			}
			return "abu+" + alias(skeleton(rest)), true
		}
	}
	return "", false
}

// stripArticle removes a leading al- or el- that is the Arabic article fused to the word (Alkuwari,
// Elsayed), returning the rest. Many names merely begin with those letters, so the rest must look like
// a name by itself: at least two consonants or glides in its skeleton, and at least three letters after "al" or four after "el"
// ("el" starts more non-article names: Elham, Elias, Elena). Alia, Alaa, Alam and Elham are therefore
// kept whole. Because detached articles are joined first, Al Ali and Alali agree with each other, but
// not with Ali — a deliberate miss, since stripping would make every Ali an Al-Ali.
// A trailing Eldin/Allah does not count towards the rest (Alaa Eldin is not Al + aeldin).
func stripArticle(w string) (string, bool) {
	min := 0
	switch {
	case strings.HasPrefix(w, "al"):
		min = 3
	case strings.HasPrefix(w, "el"):
		min = 4
	default:
		return "", false
	}
	core := w
	if raw, ok := dinSplit(w); ok {
		core = raw
	} else if raw, ok := allahSplit(w); ok {
		core = raw
	}
	if len(core) < 2 || len(core)-2 < min || consonants(skeleton(core[2:])) < 2 {
		return "", false
	}
	return w[2:], true
}

// dinSplit matches a word ending in a spelling of "ad-Din" — d+ then i/ee/e/y then n, optionally a
// French final e (din, deen, eddin, uddin, aldin, eddine) — and returns what precedes the d's.
func dinSplit(w string) (string, bool) {
	t := strings.TrimSuffix(w, "ne")
	if len(t) != len(w) {
		t += "n"
	}
	if !strings.HasSuffix(t, "n") {
		return "", false
	}
	t = t[:len(t)-1]
	j := len(t)
	for j > 0 && (t[j-1] == 'e' || t[j-1] == 'i' || t[j-1] == 'y') {
		j--
	}
	switch t[j:] {
	case "i", "ee", "ii", "e", "ie", "y":
	default:
		return "", false
	}
	t = t[:j]
	k := len(t)
	for k > 0 && t[k-1] == 'd' {
		k--
	}
	if k == len(t) {
		return "", false
	}
	return t[:k], true
}

// isDinWord reports a detached ad-Din: din, deen, eddin, uddin, aldin (articles are already "al").
func isDinWord(w string) bool {
	raw, ok := dinSplit(w)
	if !ok {
		return false
	}
	if raw != "" && isVowel(raw[0]) {
		raw = raw[1:]
	}
	return raw == "" || raw == "l"
}

// allahSplit matches a word ending in a/u + ll+ + a+ + h* (+ i): allah, ullah, alla, ulla, allahi; and
// returns what precedes it. A double l is required so that Layla, Jamila and Nabila are not compounds.
func allahSplit(w string) (string, bool) {
	j := len(w)
	if j >= 2 && w[j-1] == 'i' && w[j-2] == 'h' {
		j--
	}
	for j > 0 && w[j-1] == 'h' {
		j--
	}
	a := j
	for j > 0 && w[j-1] == 'a' {
		j--
	}
	if j == a {
		return "", false
	}
	l := j
	for j > 0 && w[j-1] == 'l' {
		j--
	}
	if l-j < 2 || j == 0 || (w[j-1] != 'a' && w[j-1] != 'u') {
		return "", false
	}
	return w[:j-1], true
}

// isAllahWord reports a detached Allah: allah, ullah, alla, ulla.
func isAllahWord(w string) bool {
	raw, ok := allahSplit(w)
	return ok && raw == ""
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

// consonants counts the consonants and glides of a skeleton: everything but the vowel classes.
// Counting on the skeleton rather than the letters keeps the h of -iyah and the digraphs from counting.
func consonants(skel string) int {
	n := 0
	for _, r := range skel {
		if r != 'A' && r != 'I' && r != 'U' {
			n++
		}
	}
	return n
}

func hasConsonant(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isVowel(s[i]) && s[i] != 'y' {
			return true
		}
	}
	return false
}

// skeleton reduces one Latin word to its transliteration skeleton.
//
//  1. Spelling: a final -que is q (Siddique); a final -ah loses its h (ة: Fatimah = Fatima); a final silent e after a consonant is
//     dropped (French-style Amine, Yassine, Abderrahmane).
//  2. Consonants: digraphs for Arabic sounds become one symbol — kh→x, sh and French ch→c, th→q,
//     dh→v, gh→g, ph→f, dj→j — and letters that spell the same Arabic sound merge: q, k, c, ck→k
//     (Tariq/Tarek, Qasim/Kassem), g→j (Egyptian Gamal = Jamal), v→w (Javed/Jawed), x→ks.
//  3. Glides: y and w at the start of a word are consonants. Elsewhere a run of e/i/y containing an i
//     or y, or a run of o/u/w, that is followed by a vowel is a glide Y or W (Mariam = Maryam =
//     Mariyam, Alia = Aliya, Ziad = Zeyad, Suad = Souad, Fouad = Fuad); otherwise its letters are
//     vowels (Aisha = Aysha = Ayesha, Khawla = Khaula, Dawood = Daoud, Faisal = Faysal).
//  4. Vowels: each run of vowels becomes one class letter, A, I or U — the three Arabic vowels. A run at
//     the start takes the class of its first letter (Osama = Usama, Eman = Iman, Aisha); any other run
//     that of its last letter (Saeed = Said, Saud, Hussein = Husain, Mawza = Moza). a is A; e and i
//     are I; o and u are U. So length (Hamid/Hameed) and diphthongs (Zeinab/Zainab) do not count, but
//     quality does: Hamad ≠ Hamid, Hassan ≠ Hussein, Dana ≠ Dina.
//  5. Doubled consonants collapse (Mohammed = Mohamed, Abbas = Abas).
//
// The letter e stands for Arabic i (Khaled, Hesham, Heba) more often than for a or u, so it is an I;
// the common names where convention writes e for a or u (Mohammed, Ahmed, Yousef, Sherif...) are put
// right by the aliases table, as are names written both with and without a helping vowel (Fahd/Fahad).
func skeleton(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "que") {
		w = w[:len(w)-2] // Pakistani and French -que for q: Rafique, Siddique, Tarique
	}
	if len(w) > 2 && strings.HasSuffix(w, "ah") {
		w = w[:len(w)-1]
	}
	if n := len(w); n > 2 && w[n-1] == 'e' && !isVowel(w[n-2]) && w[n-2] != 'y' && w[n-2] != 'w' && strings.ContainsAny(w[:n-2], "aeiouy") {
		w = w[:n-1]
	}

	// Step 2: one rune per sound; vowels a e i o u and the undecided y w stay as they are.
	u := make([]rune, 0, len(w)+2)
	rs := []rune(w)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		if next == 'h' {
			var d rune
			switch c {
			case 'k':
				d = 'x'
			case 's', 'c':
				d = 'c'
			case 't':
				d = 'q'
			case 'd':
				d = 'v'
			case 'g':
				d = 'g'
			case 'p':
				d = 'f'
			}
			if d != 0 {
				u = append(u, d)
				i++
				continue
			}
		}
		switch {
		case c == 'd' && next == 'j':
			u = append(u, 'j')
			i++
		case c == 'c' && next == 'k':
			u = append(u, 'k')
			i++
		case c == 'q' || c == 'c' || c == 'k':
			u = append(u, 'k')
		case c == 'g':
			u = append(u, 'j')
		case c == 'v':
			u = append(u, 'w')
		case c == 'x':
			u = append(u, 'k', 's')
		default:
			u = append(u, c)
		}
	}

	// Step 3: decide y and w. Glides become 'Y'/'W'; vocalic y and w become i and u.
	for i := 0; i < len(u); {
		c := u[i]
		if i == 0 {
			switch c {
			case 'y':
				u[0] = 'Y'
			case 'w':
				u[0] = 'W'
			}
			i++
			continue
		}
		front := c == 'e' || c == 'i' || c == 'y'
		back := c == 'o' || c == 'u' || c == 'w'
		if !front && !back {
			i++
			continue
		}
		j, glideable := i, back
		for j < len(u) && ((front && (u[j] == 'e' || u[j] == 'i' || u[j] == 'y')) || (back && (u[j] == 'o' || u[j] == 'u' || u[j] == 'w'))) {
			if u[j] != 'e' {
				glideable = true
			}
			j++
		}
		if glideable && j < len(u) && isVowelRune(u[j]) {
			g := rune('Y')
			if back {
				g = 'W'
			}
			u[i] = g
			u = append(u[:i+1], u[j:]...)
			i++
			continue
		}
		for ; i < j; i++ {
			switch u[i] {
			case 'y':
				u[i] = 'i'
			case 'w':
				u[i] = 'u'
			}
		}
	}

	// Steps 4 and 5.
	var b strings.Builder
	b.Grow(len(u))
	var last rune // last consonant written, 0 after a vowel
	for i := 0; i < len(u); {
		c := u[i]
		if isVowelRune(c) {
			j := i
			for j < len(u) && isVowelRune(u[j]) {
				j++
			}
			if i == 0 {
				b.WriteByte(vowelClass(u[0]))
			} else {
				b.WriteByte(vowelClass(u[j-1]))
			}
			last = 0
			i = j
			continue
		}
		if c != last {
			b.WriteRune(c)
		}
		last = c
		i++
	}
	return b.String()
}

func isVowelRune(c rune) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'
}

func vowelClass(c rune) byte {
	switch c {
	case 'a':
		return 'A'
	case 'o', 'u':
		return 'U'
	}
	return 'I'
}

func alias(s string) string {
	if a, ok := aliases[s]; ok {
		return a
	}
	return s
}

// aliases maps skeletons of established spellings that the general rules cannot reach onto the
// skeleton of the same name's other spellings. Each entry is a single well-known name; a rule that
// would produce these merges in general (e = a, or optional vowels) would merge many names that are
// not the same. Read-only.
var aliases = map[string]string{
	// e written for a or u by convention
	"mUhAmId": "mUhAmAd", // Mohammed, Mohamed, Muhammed
	"mIhmIt":  "mUhAmAd", // Mehmet
	"mIhmId":  "mUhAmAd", // Mehmed
	"AhmId":   "AhmAd",   // Ahmed
	"AhmIt":   "AhmAd",   // Ahmet
	"YUsIf":   "YUsUf",   // Yousef, Youssef, Yousif, Yosef
	"cIrIf":   "cArIf",   // Sherif, Shereef
	"mIhdI":   "mAhdI",   // Mehdi
	"YIhYA":   "YAhYA",   // Yehia, Yehya
	"mIhmUd":  "mAhmUd",  // Mehmood
	// one Arabic name, written with and without a helping vowel
	"fAhAd":  "fAhd", // Fahad, Fahed = Fahd
	"fAhId":  "fAhd",
	"bAdIr":  "bAdr", // Bader, Badar = Badr
	"bAdAr":  "bAdr",
	"sAkIr":  "sAkr", // Saqer, Saker, Saqar = Saqr
	"sAkAr":  "sAkr",
	"bAkIr":  "bAkr", // Baker, Bakar = Bakr (Abu Bakr)
	"bAkAr":  "bAkr",
	"sAxIr":  "sAxr",   // Sakher = Sakhr
	"AmrU":   "Amr",    // Amro, Amru, Amrou = Amr
	"fAtmA":  "fAtImA", // Fatma = Fatima (فاطمة)
	"fAtm":   "fAtImA", // Fatme
	"fAtmIh": "fAtImA", // Fatmeh
}
