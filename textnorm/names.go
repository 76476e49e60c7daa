package textnorm

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NameTokens returns the blind-index tokens of a personal name written in any script: a sorted set with
// no duplicates, one token per name (a compound such as Abdullah counts as one name), so word order
// and repetition never matter. A run of digits is its own token. The same function
// serves the stored name and the search query — there is deliberately no separate QueryTokens — and a
// search matches a record when the record's token set contains the query's tokens.
//
// Every script: compatibility forms are folded (NFKD: Arabic presentation forms, ligatures such as ﷲ,
// full-width Latin), letters are lower-cased, apostrophes and invisible joiners are removed without
// splitting the word (Sa'ad = Saad), and any other punctuation or space separates words. A word changes
// script at a script boundary, so "محمدAli" is two words.
//
// Arabic words (see arabicTokens): harakat, Quranic marks, tatweel and standalone hamza are dropped;
// أ إ آ ٱ become ا, ؤ becomes و, ئ and ى become ي, ة becomes ه, Persian/Urdu letter forms become their
// Arabic equivalents, and doubled letters collapse. The article ال is removed from the front of a word
// (الكواري = كواري): one canonical token, not a with-and-without pair, so that stored and queried names
// agree without the search having to know about variants. Compounds are written as one token whichever
// way they were typed: عبد + next word, أبو + next word, and word + الله / الدين (عبد الله = عبدالله,
// أبو بكر = ابوبكر, نور الدين = نورالدين); a detached ال or آل joins the following word first.
//
// Latin words (see latinTokens) are reduced to a transliteration skeleton that keeps consonants and
// the position and broad quality of vowels, so Mohammed, Muhammad, Mohamed and Mohd meet while Mahmoud
// stays apart; the article al-/el- is handled as in Arabic, and Abdullah, Abu Bakr, Nour Eldin,
// Nasrallah and Zia-ul-Haq style compounds get one token however they were spaced or hyphenated. The
// token format and the list of deliberate merges and misses are documented in latin.go.
//
// Words in other scripts (Cyrillic, Devanagari, Ethiopic, CJK...) are kept whole after NFKD and case
// folding. No attempt is made to match across scripts: Arabic and Latin spellings of a name share no
// tokens, so a record should carry both when both are known.
//
// Dropped: single-letter words in Arabic or Latin script (initials — "M. Ali" must still find
// "Mohammed Ali"), and the patronymic connectors bin, bint, ibn, ben, بن, بنت, ابن, ابنة when they stand
// between two name words. They say nothing about who the person is, and a query that omits them must
// still match. At the start of a name they are kept, as "Ben" may be the person's own name.
func NameTokens(name string) []string {
	words := splitWords(name)
	if len(words) == 0 {
		return nil
	}
	var toks, latin, arabic []string
	for _, w := range words {
		switch w.sc {
		case scriptLatin:
			latin = append(latin, w.text)
		case scriptArabic:
			arabic = append(arabic, w.text)
		default:
			toks = append(toks, w.text)
		}
	}
	toks = arabicTokens(toks, arabic)
	toks = latinTokens(toks, latin)
	slices.Sort(toks)
	return slices.Compact(toks)
}

type script uint8

const (
	scriptNone script = iota
	scriptLatin
	scriptArabic
	scriptDigit
	scriptOther
)

type word struct {
	text string
	sc   script
}

// splitWords decomposes the name (NFKD), folds it per script and cuts it into words.
func splitWords(name string) []word {
	s := norm.NFKD.String(FoldDigits(name))
	var (
		words []word
		b     strings.Builder
		cur   = scriptNone
	)
	flush := func() {
		if b.Len() > 0 {
			words = append(words, word{b.String(), cur})
			b.Reset()
		}
	}
	for _, r := range s {
		if isSilent(r) {
			continue
		}
		if unicode.In(r, unicode.Mn, unicode.Mc, unicode.Me) {
			// After NFKD every accent, haraka and hamza-above is a separate mark. In Latin they are
			// accents people omit (é = e); in Arabic they are vowel signs people omit, and hamza seats
			// (أ = ا + U+0654). In other scripts marks are often vowels that change the name (Devanagari
			// matras), so there they stay.
			if cur == scriptOther {
				b.WriteRune(r)
			}
			continue
		}
		sc := classify(r)
		if sc != cur {
			flush()
			cur = sc
		}
		if sc != scriptNone {
			writeFolded(&b, r, sc)
		}
	}
	flush()
	return words
}

// isSilent reports runes that are removed without splitting a word: apostrophes and ayn/hamza signs of
// Latin transliteration (Sa'ad, ʿAbd), invisible format characters (ZWNJ inside Persian words,
// direction marks), tatweel (a purely typographic stretch) and the standalone hamza, which casual
// typing drops from the end of names (أسماء/اسما, إسراء/اسرا).
func isSilent(r rune) bool {
	switch r {
	case '\'', '`', '\u2018', '\u2019', '\u02BB', '\u02BC', '\u02BD', '\u02BE', '\u02BF', '\u2032',
		'\u0640', // tatweel
		'\u0621', // hamza
		'\u0674': // high hamza, from the NFKD of ٵ ٶ ٷ ٸ
		return true
	}
	return r >= 0x80 && unicode.Is(unicode.Cf, r)
}

func classify(r rune) script {
	switch {
	case r < 0x80:
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			return scriptLatin
		case r >= '0' && r <= '9':
			return scriptDigit
		}
		return scriptNone
	case unicode.IsDigit(r):
		return scriptDigit
	case !unicode.IsLetter(r):
		return scriptNone
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Latin, r):
		return scriptLatin
	}
	return scriptOther
}

func writeFolded(b *strings.Builder, r rune, sc script) {
	switch sc {
	case scriptArabic:
		b.WriteRune(foldArabic(r))
	case scriptLatin:
		r = unicode.ToLower(r)
		// Latin letters that NFKD does not decompose but that people type as plain ASCII.
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ':
			b.WriteString("ae")
		case 'œ':
			b.WriteString("oe")
		case 'þ':
			b.WriteString("th")
		case 'ð':
			b.WriteString("dh")
		case 'ø':
			b.WriteByte('o')
		case 'đ':
			b.WriteByte('d')
		case 'ł':
			b.WriteByte('l')
		case 'ı':
			b.WriteByte('i')
		case 'ħ':
			b.WriteByte('h')
		default:
			b.WriteRune(r)
		}
	default:
		b.WriteRune(unicode.ToLower(r))
	}
}

// foldArabic maps letter variants that people use interchangeably when typing names to one form.
// Hamza seats need no entry: NFKD has already split أ إ آ ؤ ئ into a base letter and a mark.
func foldArabic(r rune) rune {
	switch r {
	case 'ٱ', 'ٲ', 'ٳ': // alef wasla, alef with wavy hamza
		return 'ا'
	case 'ة': // ta marbuta is written as heh as often as not
		return 'ه'
	case 'ى', 'ی', 'ې', 'ے': // alef maqsura; Persian, Pashto and Urdu yeh
		return 'ي'
	case 'ک', 'ڪ': // Persian keheh, swash kaf
		return 'ك'
	case 'ە', 'ہ', 'ھ': // Kurdish ae, Urdu heh goal, heh doachashmee
		return 'ه'
	}
	return r
}

const (
	arArticle = "ال"
	arAbd     = "عبد"
	arAbu     = "ابو"
)

// arabicTokens appends the tokens of the Arabic words ws, in order, to dst.
func arabicTokens(dst, ws []string) []string {
	ws = dropConnectors(ws, func(w string) bool {
		return w == "بن" || w == "بنت" || w == "ابن" || w == "ابنه"
	})
	ws = mergeRTL(ws, func(w, next string) (string, bool) {
		// آل (family of) has become ال by now, so "آل ثاني" joins like "ال ثاني".
		if w == arArticle || w == arAbd || w == arAbu || next == "الله" || next == "الدين" {
			return w + next, true
		}
		return "", false
	})
	for _, w := range ws {
		if w == arArticle {
			continue // an article with nothing after it
		}
		if strings.HasPrefix(w, arArticle) && utf8.RuneCountInString(w) >= 4 {
			w = w[len(arArticle):]
		}
		w = collapseRuns(w)
		if utf8.RuneCountInString(w) >= 2 {
			dst = append(dst, w)
		}
	}
	return dst
}

// collapseRuns writes each run of a repeated letter once. Arabic marks doubling with shadda, which is
// already gone, so an explicitly doubled letter is a spelling variant (داوود/داود, يحيي/يحي); after
// article removal it also makes "اللطيف"-style spellings agree with their one-lam variants.
func collapseRuns(s string) string {
	prev := utf8.RuneError
	for i, r := range s {
		if r == prev {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for _, r := range s[i:] {
				if r != prev {
					b.WriteRune(r)
				}
				prev = r
			}
			return b.String()
		}
		prev = r
	}
	return s
}

// dropConnectors removes connector words that stand between two other words.
func dropConnectors(ws []string, isConnector func(string) bool) []string {
	out := ws[:0:0]
	for i, w := range ws {
		if i > 0 && i < len(ws)-1 && isConnector(w) {
			continue
		}
		out = append(out, w)
	}
	return out
}

// mergeRTL joins compound words. It walks right to left so that a word that attaches to its
// successor (an article, عبد, أبو) sees the successor already complete: "عبد ال رحمن" becomes
// عبد + الرحمن, and "آل عبد الله" becomes ال + عبدالله. merge(w, next) returns the joined word, if w
// and next form one. The order of the result is not significant.
func mergeRTL(ws []string, merge func(w, next string) (string, bool)) []string {
	out := make([]string, 0, len(ws))
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i]
		if n := len(out); n > 0 {
			if m, ok := merge(w, out[n-1]); ok {
				out[n-1] = m
				continue
			}
		}
		out = append(out, w)
	}
	return out
}
