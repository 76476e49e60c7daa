package app

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"aman.qa/aman"
	"aman.qa/aman/store"
	"aman.qa/aman/textnorm"
)

// Name search at national scale. One name word is shared by a large part of the register (a tenth of
// the women are called فاطمة, a fifth of the men's fathers محمد), so anything that reads every holder
// of a word grows with the register. Pairs of words of one name are rare; lookups by pair read a few
// index entries, newest first, and stop at a fixed number. A search or a duplicate check therefore
// costs the same at a thousand people and at a million.

const (
	// maxNameWords bounds the words of one name that make pairs (15 pairs at most): long names
	// repeat their first words in search, not their seventh.
	maxNameWords = 6
	// pairCandidates is how many holders of one pair a search reads, newest first.
	pairCandidates = 200
	// wordCandidates is how many holders of one word a search reads when its words make no pair.
	wordCandidates = 50
)

// namePairs are the pairs of distinct words of one name, each written in sorted order so that
// "Fatima Al-Kuwari" and "Al-Kuwari Fatima" give the same pair.
func namePairs(name string) []string {
	words := textnorm.NameTokens(name)
	if len(words) > maxNameWords {
		words = words[:maxNameWords]
	}
	var pairs []string
	seen := map[string]bool{}
	for i := range words {
		for j := i + 1; j < len(words); j++ {
			a, b := words[i], words[j]
			if a == b {
				continue
			}
			if b < a {
				a, b = b, a
			}
			if p := a + "\x1f" + b; !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
	}
	return pairs
}

// personYear is the birth year the duplicate check compares: the real one, or the one estimated from
// the age given, as the register stores it.
func personYear(b aman.Beneficiary, now time.Time) int {
	if y := birthYear(b.BirthDate); y > 0 {
		return y
	}
	return estimatedBirthYear(b.EstimatedAge, now)
}

// pairKeys are b's pair entries, in both scripts, with the birth year when it is known.
func (r *Beneficiaries) pairKeys(b aman.Beneficiary) []blindKey {
	var year any
	if y := personYear(b, r.DB.Now()); y > 0 {
		year = y
	}
	var keys []blindKey
	seen := map[string]bool{}
	for _, name := range []string{b.NameAR, b.NameEN} {
		for _, p := range namePairs(name) {
			if !seen[p] {
				seen[p] = true
				keys = append(keys, blindKey{kind: keyNamePair, hash: r.Keys.BlindIndex(keyNamePair, p), year: year})
			}
		}
	}
	return keys
}

// nameHits finds people by the words typed, with how many of the words each holds. Pairs of the words
// find those who hold two or more; single words, read newest first and bounded, find the rest.
func (r *Beneficiaries) nameHits(ctx context.Context, tx *store.Tx, words []string) (map[string]int, error) {
	hits := map[string]int{}
	pairHits := map[string]int{}
	for _, p := range namePairs(strings.Join(words, " ")) {
		err := r.holders(ctx, tx, keyNamePair, p, pairCandidates, func(id string) { pairHits[id]++ })
		if err != nil {
			return nil, err
		}
	}
	// m words held make m(m-1)/2 pairs.
	for id, n := range pairHits {
		hits[id] = int(math.Round((1 + math.Sqrt(1+8*float64(n))) / 2))
	}
	for _, w := range words {
		err := r.holders(ctx, tx, keyName, w, wordCandidates, func(id string) {
			if _, ok := hits[id]; !ok {
				hits[id] = 1
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if len(hits) <= MaxSearchResults {
		return hits, nil
	}
	// Keep the best: most words held, then the newest (ids are time-ordered).
	ids := slices.Collect(maps.Keys(hits))
	slices.SortFunc(ids, func(a, b string) int {
		if c := cmp.Compare(hits[b], hits[a]); c != 0 {
			return c
		}
		return strings.Compare(b, a)
	})
	best := make(map[string]int, MaxSearchResults)
	for _, id := range ids[:MaxSearchResults] {
		best[id] = hits[id]
	}
	return best, nil
}

// holders reads up to limit holders of one key, newest first: ids are time-ordered, and the primary
// key (kind, hash, beneficiary_id) is read backwards without sorting.
func (r *Beneficiaries) holders(ctx context.Context, tx *store.Tx, kind, value string, limit int, add func(id string)) error {
	rows, err := tx.QueryContext(ctx, `SELECT beneficiary_id FROM beneficiary_keys WHERE kind = $1 AND hash = $2
		ORDER BY beneficiary_id DESC LIMIT $3`, kind, r.Keys.BlindIndex(kind, value), limit)
	if err != nil {
		return err
	}
	return collect(rows, func(id string, _ int) { add(id) })
}

// sameNameAndYear finds people born within a year of b who hold every word of one of b's names (every
// pair of it), through the pair entries and their birth years: a handful of index entries.
func (r *Beneficiaries) sameNameAndYear(ctx context.Context, tx *store.Tx, b aman.Beneficiary) ([]string, error) {
	year := personYear(b, tx.Now)
	if year == 0 {
		return nil, nil
	}
	var ids []string
	for _, name := range []string{b.NameAR, b.NameEN} {
		pairs := namePairs(name)
		if len(pairs) == 0 {
			continue
		}
		// The kind is written into the query, not bound: PostgreSQL's generic plan for a prepared
		// statement can use the partial index (WHERE kind = 'name_pair') only when it sees the literal.
		var args []any
		holders := make([]string, len(pairs))
		for i, p := range pairs {
			args = append(args, r.Keys.BlindIndex(keyNamePair, p))
			holders[i] = "$" + strconv.Itoa(len(args))
		}
		args = append(args, year-1, year+1, b.ID, len(pairs))
		n := len(args)
		// Grouping reads the pair index alone; only the few who hold every pair are looked up in the
		// register, to leave out merged records.
		rows, err := tx.QueryContext(ctx, `SELECT p.id FROM beneficiaries p JOIN (
			SELECT k.beneficiary_id FROM beneficiary_keys k
			WHERE k.kind = '`+keyNamePair+`' AND k.hash IN (`+strings.Join(holders, ", ")+`) AND k.birth_year BETWEEN $`+strconv.Itoa(n-3)+` AND $`+strconv.Itoa(n-2)+`
			AND k.beneficiary_id <> $`+strconv.Itoa(n-1)+`
			GROUP BY k.beneficiary_id HAVING COUNT(*) >= $`+strconv.Itoa(n)+`) m ON p.id = m.beneficiary_id
			WHERE p.merged_into IS NULL LIMIT 10`, args...)
		if err != nil {
			return nil, err
		}
		if err := collect(rows, func(id string, _ int) { ids = append(ids, id) }); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// namePairsSetting marks a register whose pair entries are complete.
const namePairsSetting = "search.name_pairs"

// AddMissingPairKeys gives every person registered before pair entries existed their pairs, once per
// database, in batches so that no transaction grows large. It returns how many people it completed.
func (r *Beneficiaries) AddMissingPairKeys(ctx context.Context) (int, error) {
	done := false
	err := r.DB.Read(ctx, func(ctx context.Context, tx *store.Tx) error {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, namePairsSetting).Scan(&v)
		done = err == nil
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil || done {
		return 0, err
	}
	const batch = 500
	total, after := 0, ""
	for {
		n := 0
		err := r.DB.Write(ctx, func(ctx context.Context, tx *store.Tx) error {
			rows, err := tx.QueryContext(ctx, `SELECT `+beneficiaryColumns+` FROM beneficiaries WHERE id > $1 ORDER BY id LIMIT $2`, after, batch)
			if err != nil {
				return err
			}
			var people []aman.Beneficiary
			for rows.Next() {
				b, err := r.scan(rows)
				if err != nil {
					rows.Close()
					return err
				}
				people = append(people, b)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, b := range people {
				after = b.ID
				for _, k := range r.pairKeys(b) {
					if _, err := tx.ExecContext(ctx, `INSERT INTO beneficiary_keys (kind, hash, beneficiary_id, birth_year) VALUES ($1, $2, $3, $4)
						ON CONFLICT DO NOTHING`, k.kind, k.hash, b.ID, k.year); err != nil {
						return err
					}
				}
			}
			n = len(people)
			if n < batch {
				_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES ($1, 'v1', $2)`, namePairsSetting, store.Millis(tx.Now))
				return err
			}
			return nil
		})
		if err != nil {
			return total, err
		}
		total += n
		if n < batch {
			return total, nil
		}
	}
}
