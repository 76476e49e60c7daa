package seal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
	tinkpb "github.com/tink-crypto/tink-go/v2/proto/tink_go_proto"
	"github.com/tink-crypto/tink-go/v2/tink"

	"aman.qa/aman/seal"
)

func TestFileStoreReload(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "secrets") // does not exist yet
	path := filepath.Join(dir, "keyring.json")
	ks := seal.FileStore{Path: path}

	if _, err := ks.Load(ctx); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load on empty store: err = %v, want os.ErrNotExist", err)
	}
	k, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("LoadOrCreate: %v", err)
	}
	aad := seal.AAD("persons", "full_name", "9")
	ct, err := k.SealString("Layla", aad)
	if err != nil {
		t.Fatal(err)
	}
	index := k.BlindIndex("name", "layla")

	if runtime.GOOS != "windows" {
		checkMode(t, path, 0o600)
		checkMode(t, dir, 0o700)
	}

	check := func(t *testing.T, k2 *seal.Keyring, wantPrimary uint32) {
		t.Helper()
		if got := k2.PrimaryKeyID(); got != wantPrimary {
			t.Errorf("PrimaryKeyID = %d, want %d", got, wantPrimary)
		}
		if s, err := k2.OpenString(ct, aad); err != nil || s != "Layla" {
			t.Errorf("OpenString = (%q, %v)", s, err)
		}
		if !bytes.Equal(k2.BlindIndex("name", "layla"), index) {
			t.Error("BlindIndex differs after reload")
		}
		if k2.IndexKeyID() != k.IndexKeyID() {
			t.Error("IndexKeyID differs after reload")
		}
	}

	k2, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	check(t, k2, k.PrimaryKeyID())

	// Rotation rewrites the file; mode and contents must survive it.
	newID, err := k2.Rotate(ctx, ks)
	if err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	if runtime.GOOS != "windows" {
		checkMode(t, path, 0o600)
	}
	k3, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("reload after rotate: %v", err)
	}
	check(t, k3, newID)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only keyring.json (temporary files left behind?)", names)
	}
}

func checkMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s mode = %#o, want %#o", path, got, want)
	}
}

func TestFileStoreRefusesLoosePermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
	ctx := context.Background()
	ks := seal.FileStore{Path: filepath.Join(t.TempDir(), "keyring.json")}
	if _, err := seal.LoadOrCreate(ctx, ks); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(ks.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := seal.LoadOrCreate(ctx, ks); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Fatalf("LoadOrCreate on a world-readable keyring: err = %v, want refusal", err)
	}
}

func TestFileStoreCreateIsExclusive(t *testing.T) {
	ctx := context.Background()
	ks := seal.FileStore{Path: filepath.Join(t.TempDir(), "keyring.json")}
	if err := ks.Create(ctx, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := ks.Create(ctx, []byte("second")); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second Create: err = %v, want fs.ErrExist", err)
	}
	got, err := ks.Load(ctx)
	if err != nil || string(got) != "first" {
		t.Fatalf("Load = (%q, %v), want first", got, err)
	}
}

// Several server processes starting at once on an empty volume must end up with one keyring;
// otherwise data sealed by the losers would be under a key nobody stored.
func TestLoadOrCreateConcurrentFirstStart(t *testing.T) {
	ctx := context.Background()
	ks := seal.FileStore{Path: filepath.Join(t.TempDir(), "keyring.json")}
	const n = 8
	keyrings := make([]*seal.Keyring, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { keyrings[i], errs[i] = seal.LoadOrCreate(ctx, ks) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("LoadOrCreate %d: %v", i, err)
		}
	}
	stored, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatal(err)
	}
	aad := seal.AAD("t", "c", "r")
	for i, k := range keyrings {
		if k.PrimaryKeyID() != stored.PrimaryKeyID() {
			t.Errorf("keyring %d has primary %d, stored has %d", i, k.PrimaryKeyID(), stored.PrimaryKeyID())
		}
		ct, err := k.Seal([]byte("x"), aad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stored.Open(ct, aad); err != nil {
			t.Errorf("stored keyring cannot open data sealed by keyring %d: %v", i, err)
		}
	}
}

func TestReadOnlyStores(t *testing.T) {
	ctx := context.Background()
	src, mem := newKeyring(t)
	material, err := mem.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	aad := seal.AAD("t", "c", "r")
	ct, err := src.SealString("hello", aad)
	if err != nil {
		t.Fatal(err)
	}

	// base64 as a secret manager or `base64` (76-column lines) would produce it.
	b64 := seal.EncodeMaterial(material)
	var wrapped strings.Builder
	for i := 0; i < len(b64); i += 76 {
		wrapped.WriteString(b64[i:min(i+76, len(b64))])
		wrapped.WriteString("\n")
	}
	t.Setenv("AMAN_TEST_KEYRING", wrapped.String())

	stores := []struct {
		name string
		ks   seal.KeyStore
	}{
		{"EnvStore", seal.EnvStore{Var: "AMAN_TEST_KEYRING"}},
		{"BytesStore", seal.BytesStore{Material: material}},
	}
	for _, s := range stores {
		t.Run(s.name, func(t *testing.T) {
			k, err := seal.LoadOrCreate(ctx, s.ks)
			if err != nil {
				t.Fatalf("LoadOrCreate: %v", err)
			}
			if got, err := k.OpenString(ct, aad); err != nil || got != "hello" {
				t.Errorf("OpenString = (%q, %v)", got, err)
			}
			if _, err := k.Rotate(ctx, s.ks); !errors.Is(err, seal.ErrReadOnly) {
				t.Errorf("Rotate: err = %v, want ErrReadOnly", err)
			}
			if got, err := k.OpenString(ct, aad); err != nil || got != "hello" {
				t.Errorf("after failed Rotate: OpenString = (%q, %v)", got, err)
			}
			if k.PrimaryKeyID() != src.PrimaryKeyID() {
				t.Error("a Rotate that failed to save changed the primary key")
			}
		})
	}

	empties := []struct {
		name string
		ks   seal.KeyStore
	}{
		{"EnvStore unset", seal.EnvStore{Var: "AMAN_TEST_KEYRING_UNSET"}},
		{"BytesStore empty", seal.BytesStore{}},
	}
	for _, s := range empties {
		t.Run(s.name, func(t *testing.T) {
			if _, err := s.ks.Load(ctx); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Load: err = %v, want os.ErrNotExist", err)
			}
			if _, err := seal.LoadOrCreate(ctx, s.ks); !errors.Is(err, seal.ErrReadOnly) {
				t.Errorf("LoadOrCreate: err = %v, want ErrReadOnly (a server must not invent keys it cannot store)", err)
			}
		})
	}
}

func TestDecodeMaterial(t *testing.T) {
	want := []byte("material\x00\xff")
	enc := seal.EncodeMaterial(want)
	tests := []struct {
		name string
		in   string
	}{
		{"padded", enc},
		{"unpadded", strings.TrimRight(enc, "=")},
		{"wrapped with newline", enc[:4] + "\n" + enc[4:] + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := seal.DecodeMaterial(tt.in)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("DecodeMaterial = (%q, %v), want %q", got, err, want)
			}
		})
	}
	if _, err := seal.DecodeMaterial("not base64!"); err == nil {
		t.Error("DecodeMaterial accepted invalid base64")
	}
}

func newKEK(t *testing.T) tink.AEAD {
	t.Helper()
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		t.Fatal(err)
	}
	a, err := aead.New(h)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestKEKStore(t *testing.T) {
	ctx := context.Background()
	kek := newKEK(t)
	mem := &seal.MemStore{}
	ks := seal.KEKStore{KeyStore: mem, KEK: kek}

	k, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("LoadOrCreate: %v", err)
	}
	aad := seal.AAD("t", "c", "r")
	ct, err := k.SealString("under a KEK", aad)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := mem.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Cleartext Tink JSON carries "keyData" with the key bytes; encrypted JSON must not.
	if bytes.Contains(raw, []byte("keyData")) || !bytes.Contains(raw, []byte("encryptedKeyset")) {
		t.Fatalf("material under a KEK looks like cleartext:\n%s", raw)
	}

	if _, err := k.Rotate(ctx, ks); err != nil {
		t.Fatalf("Rotate: %v", err)
	}
	k2, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		t.Fatalf("reload: %v", err)
	}
	if got, err := k2.OpenString(ct, aad); err != nil || got != "under a KEK" {
		t.Errorf("OpenString after reload = (%q, %v)", got, err)
	}

	refused := []struct {
		name string
		ks   seal.KeyStore
	}{
		{"no KEK", mem},
		{"other KEK", seal.KEKStore{KeyStore: mem, KEK: newKEK(t)}},
		{"nil KEK", seal.KEKStore{KeyStore: mem}},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			if _, err := seal.LoadOrCreate(ctx, r.ks); err == nil {
				t.Error("LoadOrCreate succeeded, want error")
			}
		})
	}

	// Moving a cleartext keyring under a KEK, and refusing cleartext once a KEK is required.
	plain := &seal.MemStore{}
	k0, err := seal.LoadOrCreate(ctx, plain)
	if err != nil {
		t.Fatal(err)
	}
	ct0, err := k0.SealString("before migration", aad)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seal.LoadOrCreate(ctx, seal.KEKStore{KeyStore: plain, KEK: kek}); err == nil || !strings.Contains(err.Error(), "not encrypted") {
		t.Errorf("a KEK store given cleartext material: err = %v, want a clear downgrade refusal", err)
	}
	wrapped := seal.KEKStore{KeyStore: &seal.MemStore{}, KEK: kek}
	if err := k0.Save(ctx, wrapped); err != nil {
		t.Fatalf("Save to KEK store: %v", err)
	}
	migrated, err := seal.LoadOrCreate(ctx, wrapped)
	if err != nil {
		t.Fatalf("load migrated: %v", err)
	}
	if got, err := migrated.OpenString(ct0, aad); err != nil || got != "before migration" {
		t.Errorf("migrated OpenString = (%q, %v)", got, err)
	}
}

// rawKeysetJSON returns h as a cleartext Tink JSON keyset.
func rawKeysetJSON(t *testing.T, h *keyset.Handle) json.RawMessage {
	t.Helper()
	var buf bytes.Buffer
	if err := insecurecleartextkeyset.Write(h, keyset.NewJSONWriter(&buf)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestMaterialRejected(t *testing.T) {
	ctx := context.Background()
	_, mem := newKeyring(t)
	good, err := mem.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(good, &fields); err != nil {
		t.Fatal(err)
	}
	with := func(key string, v json.RawMessage) []byte {
		m := map[string]json.RawMessage{}
		for k, x := range fields {
			m[k] = x
		}
		if v == nil {
			delete(m, key)
		} else {
			m[key] = v
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	keysetOf := func(kt *tinkpb.KeyTemplate) json.RawMessage {
		h, err := keyset.NewHandle(kt)
		if err != nil {
			t.Fatal(err)
		}
		return rawKeysetJSON(t, h)
	}

	tests := []struct {
		name     string
		material []byte
	}{
		{"garbage", []byte("not json")},
		{"trailing data", append(bytes.Clone(good), []byte(`{"x":1}`)...)},
		{"unknown field", with("extra", json.RawMessage(`1`))},
		{"wrong format", with("format", json.RawMessage(`"aman.seal.keyring/v0"`))},
		{"missing index", with("index", nil)},
		{"keysets swapped", with("aead", fields["index"])},
		{"index is an AEAD keyset", with("index", fields["aead"])},
		{"AES-128 sealing key", with("aead", keysetOf(aead.AES128GCMKeyTemplate()))},
		{"RAW-prefix sealing key", with("aead", keysetOf(aead.AES256GCMNoPrefixKeyTemplate()))},
		{"ChaCha sealing key", with("aead", keysetOf(aead.ChaCha20Poly1305KeyTemplate()))},
		{"claims encryption", with("encrypted", json.RawMessage(`true`))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := seal.LoadOrCreate(ctx, seal.BytesStore{Material: tt.material}); err == nil {
				t.Error("LoadOrCreate accepted bad material")
			}
		})
	}
	if _, err := seal.LoadOrCreate(ctx, seal.BytesStore{Material: with("format", fields["format"])}); err != nil {
		t.Fatalf("control: re-encoded good material rejected: %v", err)
	}
}
