package seal_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"

	"aman.qa/aman/seal"
)

// cheapParams keeps tests and benchmarks fast; production uses DefaultPasswordParams.
func cheapParams() seal.PasswordParams {
	return seal.PasswordParams{Memory: 64, Time: 1, Threads: 1}
}

func TestDefaultPasswordParams(t *testing.T) {
	want := seal.PasswordParams{Memory: 19456, Time: 2, Threads: 1}
	if got := seal.DefaultPasswordParams(); got != want {
		t.Fatalf("DefaultPasswordParams = %+v, want OWASP %+v", got, want)
	}
}

func TestHashPasswordFormat(t *testing.T) {
	p := seal.DefaultPasswordParams()
	h, err := seal.HashPassword("correct horse battery staple", p)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	if !re.MatchString(h) {
		t.Fatalf("hash %q is not a PHC argon2id string with 16-byte salt and 32-byte hash", h)
	}
	if strings.Contains(h, "horse") {
		t.Fatal("hash contains the password")
	}
	ok, rehash, err := seal.VerifyPassword(h, "correct horse battery staple", p)
	if err != nil || !ok || rehash {
		t.Fatalf("VerifyPassword = (%v, %v, %v), want (true, false, nil)", ok, rehash, err)
	}
	h2, err := seal.HashPassword("correct horse battery staple", p)
	if err != nil {
		t.Fatal(err)
	}
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
}

func TestVerifyPassword(t *testing.T) {
	const pw = "s3cret-كلمة-السر"
	cheap := cheapParams()
	stored, err := seal.HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	stronger := seal.PasswordParams{Memory: 128, Time: 2, Threads: 1}
	tests := []struct {
		name       string
		password   string
		current    seal.PasswordParams
		wantOK     bool
		wantRehash bool
	}{
		{"correct", pw, cheap, true, false},
		{"wrong", "s3cret", cheap, false, false},
		{"empty", "", cheap, false, false},
		{"case differs", strings.ToUpper(pw), cheap, false, false},
		{"trailing space", pw + " ", cheap, false, false},
		{"correct, params raised", pw, stronger, true, true},
		{"correct, threads changed", pw, seal.PasswordParams{Memory: 64, Time: 1, Threads: 2}, true, true},
		// A wrong password never asks for a rehash: rehashing needs the right one.
		{"wrong, params raised", "nope", stronger, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := seal.VerifyPassword(stored, tt.password, tt.current)
			if err != nil {
				t.Fatalf("VerifyPassword: %v", err)
			}
			if ok != tt.wantOK || rehash != tt.wantRehash {
				t.Errorf("VerifyPassword = (%v, %v), want (%v, %v)", ok, rehash, tt.wantOK, tt.wantRehash)
			}
		})
	}
}

// Vectors from the argon2 reference implementation's tests (phc-winner-argon2 src/test.c): they
// prove our PHC encoding and parameters interoperate with other argon2id implementations.
func TestVerifyPasswordReferenceVectors(t *testing.T) {
	cheap := cheapParams()
	tests := []struct {
		encoded, password string
		want              bool
	}{
		{"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "password", true},
		{"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "password", true},
		{"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4", "differentpassword", false},
		{"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc", "passwore", false},
	}
	for _, tt := range tests {
		ok, rehash, err := seal.VerifyPassword(tt.encoded, tt.password, cheap)
		if err != nil {
			t.Fatalf("VerifyPassword(%q): %v", tt.encoded, err)
		}
		if ok != tt.want {
			t.Errorf("VerifyPassword(%q, %q) ok = %v, want %v", tt.encoded, tt.password, ok, tt.want)
		}
		// 8-byte salts and other params differ from ours: a correct login should upgrade them.
		if ok && !rehash {
			t.Errorf("VerifyPassword(%q) needsRehash = false, want true", tt.encoded)
		}
	}
}

// Every byte of the stored hash must count, not just a prefix.
func TestVerifyPasswordTamperedHash(t *testing.T) {
	cheap := cheapParams()
	stored, err := seal.HashPassword("password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	i := strings.LastIndexByte(stored, '$')
	raw, err := base64.RawStdEncoding.DecodeString(stored[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	for _, pos := range []int{0, len(raw) / 2, len(raw) - 1} {
		c := bytes.Clone(raw)
		c[pos] ^= 0x01
		tampered := stored[:i+1] + base64.RawStdEncoding.EncodeToString(c)
		ok, _, err := seal.VerifyPassword(tampered, "password", cheap)
		if err != nil || ok {
			t.Errorf("hash byte %d flipped: VerifyPassword = (%v, %v), want (false, nil)", pos, ok, err)
		}
	}
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const salt, hash = "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	cheap := cheapParams()
	tests := []struct{ name, encoded string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ012"},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1$" + salt + "$" + hash},
		{"version 16", "$argon2id$v=16$m=256,t=2,p=1$" + salt + "$" + hash},
		{"no version", "$argon2id$m=256,t=2,p=1$" + salt + "$" + hash},
		{"params reordered", "$argon2id$v=19$t=2,m=256,p=1$" + salt + "$" + hash},
		{"leading zero", "$argon2id$v=19$m=0256,t=2,p=1$" + salt + "$" + hash},
		{"signed", "$argon2id$v=19$m=+256,t=2,p=1$" + salt + "$" + hash},
		{"missing param", "$argon2id$v=19$m=256,t=2$" + salt + "$" + hash},
		{"extra param", "$argon2id$v=19$m=256,t=2,p=1,k=1$" + salt + "$" + hash},
		{"time zero", "$argon2id$v=19$m=256,t=0,p=1$" + salt + "$" + hash},
		{"threads zero", "$argon2id$v=19$m=256,t=2,p=0$" + salt + "$" + hash},
		{"threads overflow", "$argon2id$v=19$m=256,t=2,p=256$" + salt + "$" + hash},
		{"memory too low for lanes", "$argon2id$v=19$m=8,t=2,p=2$" + salt + "$" + hash},
		{"memory bomb", "$argon2id$v=19$m=4294967295,t=2,p=1$" + salt + "$" + hash},
		{"time bomb", "$argon2id$v=19$m=256,t=4294967295,p=1$" + salt + "$" + hash},
		{"padded salt", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "=$" + hash},
		{"url-safe base64", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.ReplaceAll(hash, "/", "_")},
		{"salt too short", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + hash},
		{"hash too short", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$c29tZXNhbHQ"},
		{"missing hash", "$argon2id$v=19$m=256,t=2,p=1$" + salt},
		{"trailing field", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + hash + "$"},
		{"too long", "$argon2id$v=19$m=256,t=2,p=1$" + salt + "$" + strings.Repeat("A", 600)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := seal.VerifyPassword(tt.encoded, "password", cheap)
			if !errors.Is(err, seal.ErrPasswordHash) || ok || rehash {
				t.Errorf("VerifyPassword = (%v, %v, %v), want ErrPasswordHash", ok, rehash, err)
			}
		})
	}
}

func TestHashPasswordRejects(t *testing.T) {
	cheap := cheapParams()
	tests := []struct {
		name     string
		password string
		p        seal.PasswordParams
	}{
		{"empty password", "", cheap},
		{"zero params", "pw", seal.PasswordParams{}},
		{"zero time", "pw", seal.PasswordParams{Memory: 64, Threads: 1}},
		{"zero threads", "pw", seal.PasswordParams{Memory: 64, Time: 1}},
		{"memory below 8 KiB per lane", "pw", seal.PasswordParams{Memory: 15, Time: 1, Threads: 2}},
		{"memory above limit", "pw", seal.PasswordParams{Memory: 1<<20 + 1, Time: 1, Threads: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if h, err := seal.HashPassword(tt.password, tt.p); err == nil {
				t.Errorf("HashPassword = %q, want error", h)
			}
		})
	}
	if _, err := seal.HashPassword("", cheap); !errors.Is(err, seal.ErrEmptyPassword) {
		t.Errorf("empty password: err = %v, want ErrEmptyPassword", err)
	}
}

func TestRandomToken(t *testing.T) {
	valid := regexp.MustCompile(`^[a-z2-7]+$`)
	for _, tt := range []struct{ n, wantLen int }{{1, 2}, {16, 26}, {20, 32}, {32, 52}} {
		tok := seal.RandomToken(tt.n)
		if len(tok) != tt.wantLen || !valid.MatchString(tok) {
			t.Errorf("RandomToken(%d) = %q, want %d lower-case base32 characters", tt.n, tok, tt.wantLen)
		}
	}
	seen := map[string]bool{}
	for range 1000 {
		tok := seal.RandomToken(16)
		if seen[tok] {
			t.Fatalf("RandomToken(16) repeated %q", tok)
		}
		seen[tok] = true
	}
	defer func() {
		if recover() == nil {
			t.Error("RandomToken(0) did not panic")
		}
	}()
	seal.RandomToken(0)
}

func TestHashToken(t *testing.T) {
	// SHA-256("abc") from FIPS 180-2.
	want := "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := hex.EncodeToString(seal.HashToken("abc")); got != want {
		t.Fatalf("HashToken(abc) = %s, want %s", got, want)
	}
	tok := seal.RandomToken(16)
	h := seal.HashToken(tok)
	if len(h) != sha256.Size {
		t.Fatalf("len = %d, want %d", len(h), sha256.Size)
	}
	if string(h) == string(seal.HashToken(tok+"x")) {
		t.Fatal("different tokens gave the same hash")
	}
}
