package seal_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"aman.qa/aman/seal"
)

func newKeyring(t testing.TB) (*seal.Keyring, *seal.MemStore) {
	t.Helper()
	ks := &seal.MemStore{}
	k, err := seal.LoadOrCreate(context.Background(), ks)
	if err != nil {
		t.Fatalf("LoadOrCreate: %v", err)
	}
	return k, ks
}

func TestSealOpenRoundTrip(t *testing.T) {
	k, _ := newKeyring(t)
	aad := seal.AAD("persons", "full_name", "0190a8c2-7d4e-7b1a-9f00-000000000001")
	tests := []struct {
		name      string
		plaintext []byte
	}{
		{"empty", []byte{}},
		{"ascii", []byte("Jane Doe")},
		{"arabic", []byte("فاطمة الزهراء بنت محمد")},
		{"binary with zeros", []byte{0, 1, 0, 255, 0}},
		{"64KiB narrative", bytes.Repeat([]byte("incident narrative. "), 64*1024/20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct, err := k.Seal(tt.plaintext, aad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if got, want := len(ct), len(tt.plaintext)+5+12+16; got != want {
				t.Errorf("ciphertext length = %d, want %d (prefix+nonce+tag overhead)", got, want)
			}
			pt, err := k.Open(ct, aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(pt, tt.plaintext) {
				t.Errorf("Open = %q, want %q", pt, tt.plaintext)
			}

			sct, err := k.SealString(string(tt.plaintext), aad)
			if err != nil {
				t.Fatalf("SealString: %v", err)
			}
			s, err := k.OpenString(sct, aad)
			if err != nil {
				t.Fatalf("OpenString: %v", err)
			}
			if s != string(tt.plaintext) {
				t.Errorf("OpenString = %q, want %q", s, tt.plaintext)
			}

			// A fresh nonce per Seal: equal plaintexts must not give equal ciphertexts, or the
			// database would reveal which people share a name.
			again, err := k.Seal(tt.plaintext, aad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if bytes.Equal(ct, again) {
				t.Error("sealing the same plaintext twice gave identical ciphertexts")
			}
		})
	}
}

func TestOpenRejectsWrongAAD(t *testing.T) {
	k, _ := newKeyring(t)
	sealedAt := seal.AAD("persons", "full_name", "42")
	ct, err := k.SealString("Jane Doe", sealedAt)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		aad  []byte
	}{
		{"other row", seal.AAD("persons", "full_name", "43")},
		{"other column", seal.AAD("persons", "phone", "42")},
		{"other table", seal.AAD("contacts", "full_name", "42")},
		{"fields shifted", seal.AAD("persons", "full_nam", "e42")},
		{"naive concatenation", []byte("personsfull_name42")},
		{"trailing byte", append(seal.AAD("persons", "full_name", "42"), 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := k.Open(ct, tt.aad)
			if !errors.Is(err, seal.ErrOpen) {
				t.Fatalf("Open with %s = (%q, %v), want ErrOpen", tt.name, pt, err)
			}
		})
	}
	if _, err := k.Open(ct, sealedAt); err != nil {
		t.Fatalf("Open with the right AAD: %v", err)
	}
}

func TestSealRequiresAAD(t *testing.T) {
	k, _ := newKeyring(t)
	for _, aad := range [][]byte{nil, {}} {
		if _, err := k.Seal([]byte("x"), aad); !errors.Is(err, seal.ErrNoAAD) {
			t.Errorf("Seal(aad=%v) error = %v, want ErrNoAAD", aad, err)
		}
		if _, err := k.Open(make([]byte, 40), aad); !errors.Is(err, seal.ErrNoAAD) {
			t.Errorf("Open(aad=%v) error = %v, want ErrNoAAD", aad, err)
		}
	}
}

func TestAADIsUnambiguous(t *testing.T) {
	triples := [][3]string{
		{"persons", "name", "1"},
		{"persons", "name", "11"},
		{"persons", "name1", ""},
		{"persons", "nam", "e1"},
		{"personsname", "", "1"},
		{"", "personsname", "1"},
		{"persons", "name", ""},
		{"", "", ""},
		{"a\x00", "b", "c"},
		{"a", "\x00b", "c"},
	}
	seen := map[string][3]string{}
	for _, tr := range triples {
		enc := string(seal.AAD(tr[0], tr[1], tr[2]))
		if prev, dup := seen[enc]; dup {
			t.Errorf("AAD%q and AAD%q encode the same", prev, tr)
		}
		seen[enc] = tr
		if enc != string(seal.AAD(tr[0], tr[1], tr[2])) {
			t.Errorf("AAD%q is not deterministic", tr)
		}
	}
}

func TestOpenRejectsTampering(t *testing.T) {
	k, _ := newKeyring(t)
	aad := seal.AAD("notes", "body", "7")
	ct, err := k.SealString("the client disclosed ...", aad)
	if err != nil {
		t.Fatal(err)
	}
	type variant struct {
		name string
		ct   []byte
	}
	var variants []variant
	// Every single-bit flip, in the key prefix, the nonce, the body and the tag.
	for i := range ct {
		for _, bit := range []byte{0x01, 0x80} {
			c := bytes.Clone(ct)
			c[i] ^= bit
			variants = append(variants, variant{fmt.Sprintf("byte %d ^ %#x", i, bit), c})
		}
	}
	variants = append(variants,
		variant{"truncated by one", ct[:len(ct)-1]},
		variant{"prefix only", ct[:5]},
		variant{"empty", nil},
		variant{"extra byte", append(bytes.Clone(ct), 0)},
	)
	for _, v := range variants {
		if pt, err := k.Open(v.ct, aad); err == nil {
			t.Errorf("%s: Open succeeded with %q, want error", v.name, pt)
		}
	}
}

func TestRotate(t *testing.T) {
	ctx := context.Background()
	k, ks := newKeyring(t)
	aad := seal.AAD("persons", "qid", "1")
	oldID := k.PrimaryKeyID()
	oldCT, err := k.SealString("28763400123", aad)
	if err != nil {
		t.Fatal(err)
	}
	indexBefore := k.BlindIndex("qid", "28763400123")

	newID, err := k.Rotate(ctx, ks)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if newID == oldID {
		t.Fatalf("Rotate kept primary %d", oldID)
	}
	if got := k.PrimaryKeyID(); got != newID {
		t.Errorf("PrimaryKeyID = %d, want %d", got, newID)
	}
	newCT, err := k.SealString("28763400123", aad)
	if err != nil {
		t.Fatal(err)
	}

	reloaded, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	for _, kr := range []struct {
		name string
		k    *seal.Keyring
	}{{"rotated", k}, {"reloaded", reloaded}} {
		t.Run(kr.name, func(t *testing.T) {
			if got := kr.k.PrimaryKeyID(); got != newID {
				t.Errorf("PrimaryKeyID = %d, want %d", got, newID)
			}
			for _, c := range []struct {
				name   string
				ct     []byte
				keyID  uint32
				reseal bool
			}{
				{"old ciphertext", oldCT, oldID, true},
				{"new ciphertext", newCT, newID, false},
			} {
				s, err := kr.k.OpenString(c.ct, aad)
				if err != nil || s != "28763400123" {
					t.Errorf("%s: OpenString = (%q, %v)", c.name, s, err)
				}
				id, err := kr.k.KeyIDOf(c.ct)
				if err != nil || id != c.keyID {
					t.Errorf("%s: KeyIDOf = (%d, %v), want %d", c.name, id, err, c.keyID)
				}
				if got := kr.k.NeedsReseal(c.ct); got != c.reseal {
					t.Errorf("%s: NeedsReseal = %v, want %v", c.name, got, c.reseal)
				}
			}
			// The index key is separate: rotating the sealing key must not change indexes,
			// or every lookup column would need recomputing.
			if got := kr.k.BlindIndex("qid", "28763400123"); !bytes.Equal(got, indexBefore) {
				t.Error("BlindIndex changed after Rotate")
			}
			resealed, changed, err := kr.k.Reseal(oldCT, aad)
			if err != nil || !changed {
				t.Fatalf("Reseal(old) = (changed %v, %v), want changed", changed, err)
			}
			if id, _ := kr.k.KeyIDOf(resealed); id != newID || kr.k.NeedsReseal(resealed) {
				t.Errorf("Reseal(old) sealed under key %d, want %d", id, newID)
			}
			if s, err := kr.k.OpenString(resealed, aad); err != nil || s != "28763400123" {
				t.Errorf("OpenString(resealed) = (%q, %v)", s, err)
			}
			if same, changed, err := kr.k.Reseal(newCT, aad); err != nil || changed || !bytes.Equal(same, newCT) {
				t.Errorf("Reseal(new) = (changed %v, %v), want unchanged", changed, err)
			}
			if _, _, err := kr.k.Reseal(oldCT, seal.AAD("persons", "qid", "2")); !errors.Is(err, seal.ErrOpen) {
				t.Errorf("Reseal with wrong AAD: err = %v, want ErrOpen", err)
			}
			if got := len(kr.k.KeyIDs()); got != 2 {
				t.Errorf("KeyIDs has %d keys, want 2", got)
			}
		})
	}
}

func TestRotateRefusesStaleKeyring(t *testing.T) {
	ctx := context.Background()
	ks := seal.FileStore{Path: t.TempDir() + "/keyring.json"}
	k1, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatal(err)
	}
	id1, err := k1.Rotate(ctx, ks)
	if err != nil {
		t.Fatalf("first Rotate: %v", err)
	}
	if _, err := k2.Rotate(ctx, ks); !errors.Is(err, seal.ErrStale) {
		t.Fatalf("Rotate on a stale keyring: err = %v, want ErrStale (it would drop key %d)", err, id1)
	}
	if err := k2.Reload(ctx, ks); err != nil {
		t.Fatalf("Reload: %v", err)
	}
	if k2.PrimaryKeyID() != id1 {
		t.Fatalf("after Reload primary = %d, want %d", k2.PrimaryKeyID(), id1)
	}
	if _, err := k2.Rotate(ctx, ks); err != nil {
		t.Fatalf("Rotate after Reload: %v", err)
	}
}

func TestReloadRefusesForeignKeyring(t *testing.T) {
	ctx := context.Background()
	k, _ := newKeyring(t)
	_, other := newKeyring(t)
	if err := k.Reload(ctx, other); err == nil {
		t.Fatal("Reload accepted a keyring without the current primary key")
	}
}

func TestKeyIDOfAndNeedsResealOnBadInput(t *testing.T) {
	k, _ := newKeyring(t)
	other, _ := newKeyring(t)
	aad := seal.AAD("t", "c", "r")
	foreign, err := other.Seal([]byte("x"), aad)
	if err != nil {
		t.Fatal(err)
	}
	own, err := k.Seal([]byte("x"), aad)
	if err != nil {
		t.Fatal(err)
	}
	legacyPrefix := bytes.Clone(own)
	legacyPrefix[0] = 0x00

	tests := []struct {
		name    string
		ct      []byte
		wantErr error
	}{
		{"nil", nil, seal.ErrMalformed},
		{"short", []byte{1, 2, 3}, seal.ErrMalformed},
		{"non-TINK prefix", legacyPrefix, seal.ErrMalformed},
		{"other keyring", foreign, seal.ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := k.KeyIDOf(tt.ct); !errors.Is(err, tt.wantErr) {
				t.Errorf("KeyIDOf error = %v, want %v", err, tt.wantErr)
			}
			if !k.NeedsReseal(tt.ct) {
				t.Error("NeedsReseal = false, want true so a re-seal job surfaces it")
			}
			if _, err := k.Open(tt.ct, aad); !errors.Is(err, seal.ErrOpen) {
				t.Errorf("Open error = %v, want ErrOpen", err)
			}
		})
	}
}

func TestBlindIndex(t *testing.T) {
	k1, _ := newKeyring(t)
	k2, _ := newKeyring(t)

	a := k1.BlindIndex("phone", "+97455512345")
	if len(a) != seal.BlindIndexSize || seal.BlindIndexSize != 16 {
		t.Fatalf("len = %d, want 16", len(a))
	}
	if !bytes.Equal(a, k1.BlindIndex("phone", "+97455512345")) {
		t.Error("same domain and value gave different indexes")
	}

	tests := []struct {
		name string
		got  []byte
	}{
		{"other value", k1.BlindIndex("phone", "+97455512346")},
		{"other domain", k1.BlindIndex("qid", "+97455512345")},
		{"other keyring", k2.BlindIndex("phone", "+97455512345")},
		{"domain/value boundary shifted", k1.BlindIndex("phone+", "97455512345")},
		{"empty domain", k1.BlindIndex("", "phone+97455512345")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(tt.got, a) {
				t.Errorf("%s gave the same index", tt.name)
			}
		})
	}
}

func TestPlaintextMarkerNeverAppears(t *testing.T) {
	k, ks := newKeyring(t)
	const marker = "MARKER-7c1e-مريم"
	aad := seal.AAD("persons", "full_name", "1")
	inputs := []string{marker, strings.Repeat(marker, 100), "prefix " + marker + " suffix"}
	for _, in := range inputs {
		ct, err := k.SealString(in, aad)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range []string{marker, "MARKER", "مريم"} {
			if bytes.Contains(ct, []byte(part)) {
				t.Errorf("ciphertext of %q contains %q", in, part)
			}
		}
		if bi := k.BlindIndex("name", in); bytes.Contains(bi, []byte("MARKER")) {
			t.Errorf("blind index of %q contains the marker", in)
		}
	}
	material, err := ks.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(material, []byte("MARKER")) {
		t.Error("keyring material contains the marker")
	}
}

func TestConcurrentUseDuringRotate(t *testing.T) {
	ctx := context.Background()
	k, ks := newKeyring(t)
	aad := seal.AAD("t", "c", "r")
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 4 {
		wg.Go(func() {
			for i := range 50 {
				msg := fmt.Sprintf("goroutine %d message %d", g, i)
				ct, err := k.SealString(msg, aad)
				if err != nil {
					errs <- err
					return
				}
				if got, err := k.OpenString(ct, aad); err != nil || got != msg {
					errs <- fmt.Errorf("OpenString = (%q, %v)", got, err)
					return
				}
				_ = k.BlindIndex("name", msg)
				_ = k.NeedsReseal(ct)
			}
		})
	}
	wg.Go(func() {
		for range 5 {
			if _, err := k.Rotate(ctx, ks); err != nil {
				errs <- err
				return
			}
		}
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(k.KeyIDs()); got != 6 {
		t.Errorf("after 5 rotations KeyIDs has %d keys, want 6", got)
	}
}
