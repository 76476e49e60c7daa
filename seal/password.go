package seal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are argon2id cost parameters.
type PasswordParams struct {
	Memory  uint32 // memory in KiB
	Time    uint32 // number of passes
	Threads uint8  // degree of parallelism (lanes)
}

// DefaultPasswordParams returns the OWASP Password Storage Cheat Sheet minimum for argon2id:
// 19 MiB of memory, 2 passes, 1 lane. It is a function, not a variable, so no code can change
// the policy for everyone at run time.
func DefaultPasswordParams() PasswordParams {
	return PasswordParams{Memory: 19 * 1024, Time: 2, Threads: 1}
}

const (
	passwordSaltLen = 16 // bytes; RFC 9106 recommends 16
	passwordHashLen = 32 // bytes

	// Limits on parameters read back from stored hashes. A hash string planted in the database
	// with m=4000000000 would otherwise make a single sign-in attempt allocate terabytes.
	minPasswordSaltLen = 8 // the PHC reference test vectors use 8-byte salts
	maxPasswordSaltLen = 64
	minPasswordHashLen = 16
	maxPasswordHashLen = 64
	maxPasswordMemory  = 1 << 20 // KiB, i.e. 1 GiB
	maxPasswordTime    = 64
	maxEncodedLen      = 512
)

// ErrEmptyPassword is returned by HashPassword for an empty password, which is almost always a
// form or wiring bug rather than a choice.
var ErrEmptyPassword = errors.New("seal: empty password")

// ErrPasswordHash reports a stored password hash that is not a well-formed argon2id PHC string.
var ErrPasswordHash = errors.New("seal: malformed argon2id password hash")

// Validate reports whether p is usable: at least one pass and one lane, at least 8 KiB per lane
// (argon2's minimum), and within the limits this package accepts.
func (p PasswordParams) Validate() error {
	switch {
	case p.Time < 1 || p.Time > maxPasswordTime:
		return fmt.Errorf("seal: argon2id time %d out of range [1, %d]", p.Time, maxPasswordTime)
	case p.Threads < 1:
		return errors.New("seal: argon2id threads must be at least 1")
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxPasswordMemory:
		return fmt.Errorf("seal: argon2id memory %d KiB out of range [%d, %d]", p.Memory, 8*uint32(p.Threads), maxPasswordMemory)
	}
	return nil
}

// HashPassword hashes password with argon2id and a fresh 16-byte random salt, and returns a PHC
// string: $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>, salt and hash in unpadded
// standard base64. The string is what the database stores; it carries its own parameters, so
// they can be raised later without invalidating existing hashes.
func HashPassword(password string, p PasswordParams) (string, error) {
	if password == "" {
		return "", ErrEmptyPassword
	}
	if err := p.Validate(); err != nil {
		return "", err
	}
	salt := make([]byte, passwordSaltLen)
	_, _ = rand.Read(salt) // never fails on supported platforms; crashes the program otherwise
	hash := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, passwordHashLen)
	return encodePHC(p, salt, hash), nil
}

func encodePHC(p PasswordParams, salt, hash []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(hash))
}

// VerifyPassword checks password against an encoded hash from HashPassword (or any argon2id v=19
// PHC string). The comparison is constant-time. needsRehash is true only when the password is
// correct and the hash was made with parameters other than current, or with a salt or output length
// other than this package's (16 and 32 bytes); the caller should then store
// HashPassword(password, current).
//
// A malformed hash yields an error. To keep sign-in timing from revealing whether an account
// exists, callers should verify against a dummy hash when no account is found.
func VerifyPassword(encoded, password string, current PasswordParams) (ok, needsRehash bool, err error) {
	p, salt, want, err := parsePHC(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	needsRehash = p != current || len(salt) != passwordSaltLen || len(want) != passwordHashLen
	return true, needsRehash, nil
}

// parsePHC parses a strict, canonical argon2id PHC string: version 19, parameters in the order
// m, t, p without leading zeros, salt and hash in unpadded standard base64 with no stray bits.
// Strictness means one password hash has exactly one spelling.
func parsePHC(s string) (p PasswordParams, salt, hash []byte, err error) {
	if len(s) > maxEncodedLen {
		return p, nil, nil, fmt.Errorf("%w: too long", ErrPasswordHash)
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, ErrPasswordHash
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("%w: algorithm %q is not argon2id", ErrPasswordHash, parts[1])
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, fmt.Errorf("%w: unsupported version %q", ErrPasswordHash, parts[2])
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return p, nil, nil, fmt.Errorf("%w: parameters", ErrPasswordHash)
	}
	m, err1 := phcUint(fields[0], "m=", 32)
	t, err2 := phcUint(fields[1], "t=", 32)
	l, err3 := phcUint(fields[2], "p=", 8)
	if err := errors.Join(err1, err2, err3); err != nil {
		return p, nil, nil, fmt.Errorf("%w: parameters", ErrPasswordHash)
	}
	p = PasswordParams{Memory: uint32(m), Time: uint32(t), Threads: uint8(l)}
	if err := p.Validate(); err != nil {
		return p, nil, nil, fmt.Errorf("%w: %w", ErrPasswordHash, err)
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err = b64.DecodeString(parts[4])
	if err != nil || len(salt) < minPasswordSaltLen || len(salt) > maxPasswordSaltLen {
		return p, nil, nil, fmt.Errorf("%w: salt", ErrPasswordHash)
	}
	hash, err = b64.DecodeString(parts[5])
	if err != nil || len(hash) < minPasswordHashLen || len(hash) > maxPasswordHashLen {
		return p, nil, nil, fmt.Errorf("%w: hash", ErrPasswordHash)
	}
	return p, salt, hash, nil
}

// phcUint parses "<key><decimal>" with no sign and no leading zeros.
func phcUint(field, key string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(field, key)
	if !ok || v == "" || (len(v) > 1 && v[0] == '0') {
		return 0, ErrPasswordHash
	}
	return strconv.ParseUint(v, 10, bits)
}
