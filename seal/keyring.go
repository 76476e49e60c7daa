package seal

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/aead/aesgcm"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"
	"github.com/tink-crypto/tink-go/v2/prf/hmacprf"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// BlindIndexSize is the length in bytes of a [Keyring.BlindIndex] value. 128 bits keeps accidental
// collisions negligible (birthday bound ~2^64 values) while keeping index columns small.
const BlindIndexSize = 16

// tinkPrefixSize and tinkStartByte describe Tink's "TINK" output prefix: one 0x01 byte, then the
// key id as 4 bytes big-endian. All sealing keys are required to use it (see validateAEADHandle).
const (
	tinkPrefixSize = 5
	tinkStartByte  = 0x01
)

// Domain-separation labels. They version the encodings so a future format change cannot be
// confused with this one.
const (
	aadLabel   = "aman.seal.aad/v1"
	indexLabel = "aman.seal.blindindex/v1"
)

// Errors callers may want to tell apart. Messages never include plaintext or key material.
var (
	// ErrOpen reports that a ciphertext could not be opened: wrong key, wrong associated data,
	// truncation or tampering. The causes are deliberately not distinguished.
	ErrOpen = errors.New("seal: cannot open ciphertext (unknown key, wrong associated data or tampered)")
	// ErrNoAAD reports a Seal or Open without associated data. Every sealed value must be bound to
	// its table, column and row; see AAD.
	ErrNoAAD = errors.New("seal: associated data is required (use seal.AAD)")
	// ErrMalformed reports a ciphertext too short or without a Tink key prefix.
	ErrMalformed = errors.New("seal: malformed ciphertext")
	// ErrUnknownKey reports a ciphertext whose key id is not in this keyring.
	ErrUnknownKey = errors.New("seal: ciphertext key id is not in the keyring")
	// ErrStale reports that the stored keyring changed since this Keyring was loaded, so writing
	// it back would drop keys someone else added. Reload and retry.
	ErrStale = errors.New("seal: stored keyring changed since it was loaded; reload and retry")
)

// Keyring holds the sealing keyset (AES-256-GCM) and the separate blind-index keyset
// (HMAC-SHA256 PRF). It is safe for concurrent use; Seal, Open and BlindIndex take no lock.
// Obtain one from LoadOrCreate; the zero value is not usable.
type Keyring struct {
	// mu serialises operations that replace the state (Rotate, Reload, Save) so that two
	// rotations in one process cannot each add a key and lose the other's.
	mu sync.Mutex
	// st is swapped atomically as a whole, so readers always see a consistent primitive, primary
	// id and key set without locking.
	st atomic.Pointer[state]
	// follow, when set, is where to reload from on meeting a key this process does not know yet.
	follow atomic.Pointer[follower]
}

// state is immutable once built.
type state struct {
	aeadHandle  *keyset.Handle
	aead        tink.AEAD
	primaryID   uint32
	keyIDs      map[uint32]bool // every sealing key id in the keyset
	indexHandle *keyset.Handle
	index       prf.PRF
	indexID     uint32
}

func newState(aeadHandle, indexHandle *keyset.Handle) (*state, error) {
	if err := validateAEADHandle(aeadHandle); err != nil {
		return nil, err
	}
	if err := validateIndexHandle(indexHandle); err != nil {
		return nil, err
	}
	a, err := aead.New(aeadHandle)
	if err != nil {
		return nil, fmt.Errorf("seal: sealing keyset: %w", err)
	}
	primary, err := aeadHandle.Primary()
	if err != nil {
		return nil, fmt.Errorf("seal: sealing keyset: %w", err)
	}
	ids := make(map[uint32]bool, aeadHandle.Len())
	for i := range aeadHandle.Len() {
		e, err := aeadHandle.Entry(i)
		if err != nil {
			return nil, fmt.Errorf("seal: sealing keyset: %w", err)
		}
		ids[e.KeyID()] = true
	}
	set, err := prf.NewPRFSet(indexHandle)
	if err != nil {
		return nil, fmt.Errorf("seal: index keyset: %w", err)
	}
	p, ok := set.PRFs[set.PrimaryID]
	if !ok {
		return nil, errors.New("seal: index keyset has no enabled primary key")
	}
	return &state{
		aeadHandle:  aeadHandle,
		aead:        a,
		primaryID:   primary.KeyID(),
		keyIDs:      ids,
		indexHandle: indexHandle,
		index:       p,
		indexID:     set.PrimaryID,
	}, nil
}

// validateAEADHandle accepts only AES-256-GCM keys with the TINK prefix. The prefix is what lets
// KeyIDOf and NeedsReseal work without trial decryption, and a single algorithm keeps the security
// level uniform: a stray AES-128 or RAW key slipped into stored material is refused.
func validateAEADHandle(h *keyset.Handle) error {
	if h.Len() == 0 {
		return errors.New("seal: sealing keyset is empty")
	}
	for i := range h.Len() {
		e, err := h.Entry(i)
		if err != nil {
			return fmt.Errorf("seal: sealing keyset: %w", err)
		}
		k, ok := e.Key().(*aesgcm.Key)
		if !ok {
			return fmt.Errorf("seal: sealing key %d is %T, want AES-GCM", e.KeyID(), e.Key())
		}
		p, ok := k.Parameters().(*aesgcm.Parameters)
		if !ok || p.KeySizeInBytes() != 32 || p.Variant() != aesgcm.VariantTink {
			return fmt.Errorf("seal: sealing key %d must be AES-256-GCM with TINK prefix", e.KeyID())
		}
	}
	return nil
}

// validateIndexHandle accepts only HMAC-SHA256 PRF keys of at least 32 bytes, so blind indexes
// have a fixed, reviewed construction.
func validateIndexHandle(h *keyset.Handle) error {
	if h.Len() == 0 {
		return errors.New("seal: index keyset is empty")
	}
	for i := range h.Len() {
		e, err := h.Entry(i)
		if err != nil {
			return fmt.Errorf("seal: index keyset: %w", err)
		}
		k, ok := e.Key().(*hmacprf.Key)
		if !ok {
			return fmt.Errorf("seal: index key %d is %T, want HMAC PRF", e.KeyID(), e.Key())
		}
		p, ok := k.Parameters().(*hmacprf.Parameters)
		if !ok || p.HashType() != hmacprf.SHA256 || p.KeySizeInBytes() < 32 {
			return fmt.Errorf("seal: index key %d must be HMAC-SHA256 with a 32-byte key", e.KeyID())
		}
	}
	return nil
}

// newKeyring builds a fresh keyring with one sealing key and one index key.
func newKeyring() (*Keyring, error) {
	ah, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("seal: new sealing key: %w", err)
	}
	ih, err := keyset.NewHandle(prf.HMACSHA256PRFKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("seal: new index key: %w", err)
	}
	st, err := newState(ah, ih)
	if err != nil {
		return nil, err
	}
	k := new(Keyring)
	k.st.Store(st)
	return k, nil
}

// LoadOrCreate loads the keyring from ks, or, when nothing is stored yet, creates one sealing key
// and one index key and stores them before returning. It never returns a keyring that is not
// stored, because data sealed under an unsaved key would be lost at the next restart.
//
// If ks implements [Creator] (FileStore does), creation is exclusive: when several processes start
// at once on an empty store, exactly one keyring wins and all of them use it.
func LoadOrCreate(ctx context.Context, ks KeyStore) (*Keyring, error) {
	kek, err := kekOf(ks)
	if err != nil {
		return nil, err
	}
	material, err := ks.Load(ctx)
	if err == nil {
		return parseKeyring(material, kek)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("seal: load keyring: %w", err)
	}

	k, err := newKeyring()
	if err != nil {
		return nil, err
	}
	material, err = encodeMaterial(k.st.Load(), kek)
	if err != nil {
		return nil, err
	}
	c, ok := ks.(Creator)
	if !ok {
		if err := ks.Save(ctx, material); err != nil {
			return nil, fmt.Errorf("seal: no keyring stored yet and cannot store a new one: %w", err)
		}
		return k, nil
	}
	err = c.Create(ctx, material)
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, fs.ErrExist):
		// Another process created the keyring first; use theirs so all agree.
		material, err := ks.Load(ctx)
		if err != nil {
			return nil, fmt.Errorf("seal: load keyring: %w", err)
		}
		return parseKeyring(material, kek)
	default:
		return nil, fmt.Errorf("seal: no keyring stored yet and cannot store a new one: %w", err)
	}
}

func parseKeyring(material []byte, kek tink.AEAD) (*Keyring, error) {
	st, err := decodeMaterial(material, kek)
	if err != nil {
		return nil, err
	}
	k := new(Keyring)
	k.st.Store(st)
	return k, nil
}

// Seal encrypts plaintext with the primary key, bound to aad (build it with [AAD]). The result
// starts with the 5-byte Tink key prefix, then a fresh 12-byte nonce, the ciphertext and a 16-byte
// tag: 33 bytes longer than plaintext.
func (k *Keyring) Seal(plaintext, aad []byte) ([]byte, error) {
	if len(aad) == 0 {
		return nil, ErrNoAAD
	}
	ct, err := k.st.Load().aead.Encrypt(plaintext, aad)
	if err != nil {
		return nil, fmt.Errorf("seal: encrypt: %w", err)
	}
	return ct, nil
}

// Open decrypts a ciphertext made by Seal with the same aad. Any change to the ciphertext or aad,
// or a key that is not in the keyring, yields an error wrapping [ErrOpen].
func (k *Keyring) Open(ciphertext, aad []byte) ([]byte, error) {
	if len(aad) == 0 {
		return nil, ErrNoAAD
	}
	pt, err := k.st.Load().aead.Decrypt(ciphertext, aad)
	if err != nil && k.caughtUp(ciphertext) {
		pt, err = k.st.Load().aead.Decrypt(ciphertext, aad)
	}
	if err != nil {
		// Tink's message adds nothing useful and we keep the causes indistinguishable.
		return nil, ErrOpen
	}
	return pt, nil
}

// SealString is Seal for text.
func (k *Keyring) SealString(s string, aad []byte) ([]byte, error) {
	return k.Seal([]byte(s), aad)
}

// OpenString is Open for text sealed with SealString.
func (k *Keyring) OpenString(ciphertext, aad []byte) (string, error) {
	pt, err := k.Open(ciphertext, aad)
	if err != nil {
		return "", err
	}
	return string(pt), nil
}

// AAD returns the associated data that binds a sealed value to its table, column and row. Each
// part is length-prefixed (4 bytes big-endian) after a version label, so distinct triples always
// give distinct bytes: ("ab","c","1") and ("a","bc","1") differ, and no separator character in a
// value can forge another triple.
func AAD(table, column, rowID string) []byte {
	return appendFields(nil, aadLabel, table, column, rowID)
}

// appendFields appends each field as a 4-byte big-endian length followed by its bytes.
func appendFields(dst []byte, fields ...string) []byte {
	n := 0
	for _, f := range fields {
		n += 4 + len(f)
	}
	dst = slices.Grow(dst, n)
	for _, f := range fields {
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(f)))
		dst = append(dst, f...)
	}
	return dst
}

// PrimaryKeyID returns the id of the key that Seal currently uses.
func (k *Keyring) PrimaryKeyID() uint32 {
	return k.st.Load().primaryID
}

// KeyIDs returns the ids of all sealing keys in the keyring, primary included, in keyset order.
func (k *Keyring) KeyIDs() []uint32 {
	h := k.st.Load().aeadHandle
	ids := make([]uint32, 0, h.Len())
	for i := range h.Len() {
		if e, err := h.Entry(i); err == nil {
			ids = append(ids, e.KeyID())
		}
	}
	return ids
}

// IndexKeyID returns the id of the blind-index key. Storing it next to indexes is not needed
// today, but it tells a future index-key migration which rows are already done.
func (k *Keyring) IndexKeyID() uint32 {
	return k.st.Load().indexID
}

// KeyIDOf returns the id of the key that sealed ciphertext, read from its Tink prefix. It does
// not authenticate the ciphertext: use it for bookkeeping (re-seal jobs, metrics), never to decide
// whether data is genuine.
func (k *Keyring) KeyIDOf(ciphertext []byte) (uint32, error) {
	if len(ciphertext) < tinkPrefixSize || ciphertext[0] != tinkStartByte {
		return 0, ErrMalformed
	}
	id := binary.BigEndian.Uint32(ciphertext[1:tinkPrefixSize])
	if !k.st.Load().keyIDs[id] {
		return id, fmt.Errorf("%w: %d", ErrUnknownKey, id)
	}
	return id, nil
}

// NeedsReseal reports whether ciphertext was sealed with a key other than the current primary.
// Malformed ciphertexts also report true, so a re-seal job tries to open them and surfaces the
// error instead of skipping them silently.
func (k *Keyring) NeedsReseal(ciphertext []byte) bool {
	if len(ciphertext) < tinkPrefixSize || ciphertext[0] != tinkStartByte {
		return true
	}
	return binary.BigEndian.Uint32(ciphertext[1:tinkPrefixSize]) != k.st.Load().primaryID
}

// Reseal re-encrypts ciphertext under the primary key when NeedsReseal reports it was sealed with
// another key, for a background job that moves rows off old keys before they are retired. It
// returns the ciphertext unchanged and changed=false when nothing is to be done. The caller must
// write the result back with a condition on the old value, so a concurrent edit is not overwritten.
func (k *Keyring) Reseal(ciphertext, aad []byte) (out []byte, changed bool, err error) {
	if !k.NeedsReseal(ciphertext) {
		return ciphertext, false, nil
	}
	pt, err := k.Open(ciphertext, aad)
	if err != nil {
		return nil, false, err
	}
	out, err = k.Seal(pt, aad)
	clear(pt) // the plaintext is not needed any longer; do not leave it for the GC to find
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// Rotate adds a new AES-256-GCM key, makes it the primary, keeps the old keys for opening, and
// saves the keyring to ks. The new key is used only after it is saved: sealing data under a key
// that failed to persist would lose that data.
//
// Rotate refuses (ErrStale) when the material in ks no longer matches this keyring, e.g. another
// process rotated meanwhile; saving would otherwise drop that process's key. The check is
// best-effort, not a lock: run rotations from one place.
func (k *Keyring) Rotate(ctx context.Context, ks KeyStore) (newPrimary uint32, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()

	kek, err := kekOf(ks)
	if err != nil {
		return 0, err
	}
	cur := k.st.Load()
	if err := checkNotStale(ctx, ks, kek, cur); err != nil {
		return 0, err
	}

	m := keyset.NewManagerFromHandle(cur.aeadHandle)
	id, err := m.Add(aead.AES256GCMKeyTemplate())
	if err != nil {
		return 0, fmt.Errorf("seal: rotate: %w", err)
	}
	if err := m.SetPrimary(id); err != nil {
		return 0, fmt.Errorf("seal: rotate: %w", err)
	}
	h, err := m.Handle()
	if err != nil {
		return 0, fmt.Errorf("seal: rotate: %w", err)
	}
	next, err := newState(h, cur.indexHandle)
	if err != nil {
		return 0, err
	}
	material, err := encodeMaterial(next, kek)
	if err != nil {
		return 0, err
	}
	if err := ks.Save(ctx, material); err != nil {
		return 0, fmt.Errorf("seal: rotate: save: %w", err)
	}
	k.st.Store(next)
	return id, nil
}

// checkNotStale compares the stored keyring with cur. Nothing stored is fine (saving to a new
// store); different key ids mean someone else changed it.
func checkNotStale(ctx context.Context, ks KeyStore, kek tink.AEAD, cur *state) error {
	material, err := ks.Load(ctx)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("seal: load keyring: %w", err)
	}
	stored, err := decodeMaterial(material, kek)
	if err != nil {
		return err
	}
	if !sameKeys(stored, cur) {
		return ErrStale
	}
	return nil
}

func sameKeys(a, b *state) bool {
	if a.primaryID != b.primaryID || a.indexID != b.indexID || len(a.keyIDs) != len(b.keyIDs) {
		return false
	}
	for id := range a.keyIDs {
		if !b.keyIDs[id] {
			return false
		}
	}
	return true
}

// Save writes the keyring to ks. Use it to copy a keyring to another store, for instance to move
// a cleartext keyring under a KEK (see [KEKStore]).
func (k *Keyring) Save(ctx context.Context, ks KeyStore) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	kek, err := kekOf(ks)
	if err != nil {
		return err
	}
	material, err := encodeMaterial(k.st.Load(), kek)
	if err != nil {
		return err
	}
	if err := ks.Save(ctx, material); err != nil {
		return fmt.Errorf("seal: save keyring: %w", err)
	}
	return nil
}

// Reload replaces the keys with those stored in ks, e.g. after an operator rotated keys from the
// CLI. It refuses material that drops the current primary sealing key or changes the index key:
// either would make this process unable to open data it just sealed, or silently change every
// blind index.
func (k *Keyring) Reload(ctx context.Context, ks KeyStore) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	kek, err := kekOf(ks)
	if err != nil {
		return err
	}
	material, err := ks.Load(ctx)
	if err != nil {
		return fmt.Errorf("seal: load keyring: %w", err)
	}
	next, err := decodeMaterial(material, kek)
	if err != nil {
		return err
	}
	cur := k.st.Load()
	if !next.keyIDs[cur.primaryID] {
		return fmt.Errorf("seal: reload: stored keyring lacks current primary key %d", cur.primaryID)
	}
	if next.indexID != cur.indexID {
		return fmt.Errorf("seal: reload: stored keyring has a different index key (%d, was %d)", next.indexID, cur.indexID)
	}
	k.st.Store(next)
	return nil
}

// BlindIndex returns a 16-byte keyed PRF (HMAC-SHA256, truncated) of a normalized value for
// exact-match lookups. The same domain and value always give the same bytes under the same
// keyring; different domains ("qid", "phone", "name", ...) give unrelated bytes, so equal values
// cannot be joined across columns. Without the index key the output reveals nothing and cannot be
// reversed or brute-forced offline.
//
// Normalization is the caller's job and must be identical at write and lookup time (e.g. phone in
// E.164, names after Arabic/Latin folding). Note that an index does reveal equality: two rows with
// the same value in the same domain have the same index.
func (k *Keyring) BlindIndex(domain, normalized string) []byte {
	in := appendFields(nil, indexLabel, domain, normalized)
	out, err := k.st.Load().index.ComputePRF(in, BlindIndexSize)
	if err != nil {
		// Unreachable: the index key is validated as HMAC-SHA256, which yields 32 bytes and
		// accepts any input. Failing loudly beats returning an index that matches nothing.
		panic("seal: blind index: " + err.Error())
	}
	return out
}
