package seal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/tink-crypto/tink-go/v2/tink"
)

// KeyStore is where keyring material lives. Implementations store the bytes as given; the format
// is described in the package comment. A KMS-backed implementation can come later.
type KeyStore interface {
	// Load returns the stored material, or an error wrapping os.ErrNotExist (fs.ErrNotExist) when
	// nothing is stored yet.
	Load(ctx context.Context) ([]byte, error)
	// Save stores material, replacing what was there.
	Save(ctx context.Context, material []byte) error
}

// Creator is implemented by stores that can store material only if none exists yet, returning an
// error wrapping fs.ErrExist otherwise. LoadOrCreate uses it so that processes starting together on
// an empty store agree on one keyring instead of overwriting each other's.
type Creator interface {
	Create(ctx context.Context, material []byte) error
}

// KEKProvider is implemented by stores whose keysets must be encrypted under a key-encryption key
// (for example a KMS key). See [KEKStore].
type KEKProvider interface {
	KeyEncryptionAEAD() tink.AEAD
}

// ErrReadOnly is returned by Save on stores that cannot be written (EnvStore, BytesStore).
var ErrReadOnly = errors.New("seal: key store is read-only")

// kekOf returns the KEK of ks, or nil when ks has none. A provider that returns nil is an error
// rather than "no KEK", so a misconfigured KMS cannot silently fall back to cleartext.
func kekOf(ks KeyStore) (tink.AEAD, error) {
	p, ok := ks.(KEKProvider)
	if !ok {
		return nil, nil
	}
	kek := p.KeyEncryptionAEAD()
	if kek == nil {
		return nil, errors.New("seal: key store requires a key-encryption key but has none")
	}
	return kek, nil
}

// FileStore keeps material in a file with mode 0600, written atomically (temporary file in the
// same directory, fsync, rename, fsync of the directory) so a crash never leaves a half-written
// keyring. A missing parent directory is created with mode 0700; an existing one is left as is.
type FileStore struct {
	Path string
}

// Load reads the file. Like ssh with private keys, it refuses a file that group or others can
// access: the material is the key to all sealed data.
func (s FileStore) Load(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.Path == "" {
		return nil, errors.New("seal: FileStore has no path")
	}
	f, err := os.Open(s.Path)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err) // keeps fs.ErrNotExist visible to errors.Is
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	if perm := fi.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("seal: keyring file %s has mode %#o; it must not be accessible by group or others (chmod 600)", s.Path, perm)
	}
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return b, nil
}

// Save replaces the file atomically.
func (s FileStore) Save(ctx context.Context, material []byte) error {
	return s.write(ctx, material, false)
}

// Create writes the file only if it does not exist yet; otherwise it returns an error wrapping
// fs.ErrExist. It links the complete temporary file into place, so the file is never seen
// half-written and never replaced.
func (s FileStore) Create(ctx context.Context, material []byte) error {
	return s.write(ctx, material, true)
}

func (s FileStore) write(ctx context.Context, material []byte, exclusive bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.Path == "" {
		return errors.New("seal: FileStore has no path")
	}
	dir := filepath.Dir(s.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	// os.CreateTemp creates the file with mode 0600, so the material is never readable by
	// others, not even briefly.
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(s.Path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	// After a successful rename this removes nothing; after a link it removes the temporary
	// name; after a failure it cleans up.
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: %w", err)
	}
	if _, err := tmp.Write(material); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("seal: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	if exclusive {
		// link(2) fails with EEXIST if the target exists: an atomic create-if-absent.
		if err := os.Link(tmp.Name(), s.Path); err != nil {
			return fmt.Errorf("seal: %w", err)
		}
	} else if err := os.Rename(tmp.Name(), s.Path); err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	return syncDir(dir)
}

// syncDir makes the rename or link durable across a power loss.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be opened for sync there
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("seal: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("seal: sync %s: %w", dir, err)
	}
	return nil
}

// EnvStore reads base64 material (see [EncodeMaterial]) from the environment variable Var. It is
// read-only: servers get their keyring from the deployment's secret manager, never create one.
type EnvStore struct {
	Var string
}

// Load returns the decoded material, or an error wrapping fs.ErrNotExist when Var is unset or
// empty.
func (s EnvStore) Load(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.Var == "" {
		return nil, errors.New("seal: EnvStore has no variable name")
	}
	v, ok := os.LookupEnv(s.Var)
	if !ok || v == "" {
		return nil, fmt.Errorf("seal: environment variable %s holds no keyring: %w", s.Var, fs.ErrNotExist)
	}
	b, err := DecodeMaterial(v)
	if err != nil {
		return nil, fmt.Errorf("seal: environment variable %s: %w", s.Var, err)
	}
	return b, nil
}

// Save always fails with ErrReadOnly.
func (s EnvStore) Save(context.Context, []byte) error {
	return fmt.Errorf("seal: cannot save to environment variable %s: %w", s.Var, ErrReadOnly)
}

// BytesStore serves material the caller already holds, for instance read from a mounted secret
// file (decode it with [DecodeMaterial] first if it is base64). It is read-only.
type BytesStore struct {
	Material []byte
}

// Load returns a copy of Material, or an error wrapping fs.ErrNotExist when it is empty.
func (s BytesStore) Load(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if len(s.Material) == 0 {
		return nil, fmt.Errorf("seal: no keyring material given: %w", fs.ErrNotExist)
	}
	return bytes.Clone(s.Material), nil
}

// Save always fails with ErrReadOnly.
func (s BytesStore) Save(context.Context, []byte) error {
	return ErrReadOnly
}

// MemStore keeps material in memory: for tests and tools. Everything sealed under a keyring
// stored only here is lost when the process exits. The zero value is empty and ready to use.
type MemStore struct {
	mu       sync.Mutex
	material []byte
}

// Load returns a copy of the stored material, or an error wrapping fs.ErrNotExist.
func (s *MemStore) Load(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.material == nil {
		return nil, fmt.Errorf("seal: memory store is empty: %w", fs.ErrNotExist)
	}
	return bytes.Clone(s.material), nil
}

// Save replaces the stored material.
func (s *MemStore) Save(ctx context.Context, material []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.material = bytes.Clone(material)
	return nil
}

// Create stores material unless some is already stored.
func (s *MemStore) Create(ctx context.Context, material []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.material != nil {
		return fmt.Errorf("seal: memory store: %w", fs.ErrExist)
	}
	s.material = bytes.Clone(material)
	return nil
}

// KEKStore wraps a KeyStore so that the keysets inside the material are encrypted under KEK, a
// key-encryption key that normally lives in a KMS or HSM (for instance the tink.AEAD returned by a
// Tink KMS client). The wrapped store only ever sees encrypted keysets.
type KEKStore struct {
	KeyStore
	KEK tink.AEAD
}

// KeyEncryptionAEAD returns KEK.
func (s KEKStore) KeyEncryptionAEAD() tink.AEAD { return s.KEK }

// Create delegates to the wrapped store when it supports exclusive creation, and falls back to
// Save otherwise, so wrapping a store never loses LoadOrCreate's race protection.
func (s KEKStore) Create(ctx context.Context, material []byte) error {
	if c, ok := s.KeyStore.(Creator); ok {
		return c.Create(ctx, material)
	}
	return s.KeyStore.Save(ctx, material)
}
