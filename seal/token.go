package seal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
)

// tokenAlphabet is RFC 4648 base32 in lower case: no padding, no characters that need escaping in
// URLs, cookies or file names, and case-insensitive when a person types a code back (upper-case
// input can be lowered before hashing).
const tokenAlphabet = "abcdefghijklmnopqrstuvwxyz234567"

// RandomToken returns nBytes of crypto/rand randomness encoded as lower-case base32 without padding
// (ceil(nBytes*8/5) characters). Use at least 16 bytes (128 bits) for anything that grants access:
// session ids, follow-up receipt codes, reset links. It panics if nBytes < 1, which is a
// programming error.
func RandomToken(nBytes int) string {
	if nBytes < 1 {
		panic("seal: RandomToken needs at least one byte")
	}
	b := make([]byte, nBytes)
	_, _ = rand.Read(b) // never fails on supported platforms; crashes the program otherwise
	return base32.NewEncoding(tokenAlphabet).WithPadding(base32.NoPadding).EncodeToString(b)
}

// HashToken returns the SHA-256 of token. Session ids and receipt codes are stored only as this
// hash, so a database copy cannot be replayed as live sessions. A plain fast hash is right here
// because tokens from RandomToken carry 128+ bits of entropy; anything a person chooses (the
// follow-up passphrase) must go through HashPassword instead.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
