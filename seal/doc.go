// Package seal protects personal data at rest: field encryption (AEAD), blind indexes for exact
// lookups, password hashing and random tokens. It implements the confidentiality model in
// DESIGN.md section 4: a copy of the database must reveal no personal data, and the database never
// holds plaintext to search.
//
// # Sealing
//
// A [Keyring] holds two independent Tink keysets:
//
//   - the sealing keyset: AES-256-GCM keys with Tink output prefixes. Every ciphertext starts with
//     0x01 followed by the 4-byte big-endian id of the key that sealed it, so keys can rotate: new
//     data is sealed with the primary key, old data still opens with the key that sealed it, and
//     [Keyring.NeedsReseal] and [Keyring.Reseal] let a background job move rows to the new key.
//   - the index keyset: one HMAC-SHA256 PRF key, used only by [Keyring.BlindIndex]. It is separate so
//     that the index key never touches ciphertexts, and so that rotating the sealing key does not
//     invalidate every index in the database (an index key change means recomputing all indexes).
//
// Every ciphertext is bound to where it lives with associated data built by [AAD] (table, column,
// row id). A ciphertext copied to another row, column or table fails to open, so someone with write
// access to the database cannot swap one person's sealed name into another person's record.
//
// # Keyring material format
//
// [KeyStore] implementations store an opaque byte string, the "material". It is a JSON object:
//
//	{
//	  "format":    "aman.seal.keyring/v1",
//	  "encrypted": false,
//	  "aead":      <Tink keyset in Tink's JSON format>,
//	  "index":     <Tink keyset in Tink's JSON format>
//	}
//
// With "encrypted": false the two keysets are cleartext Tink keysets (as written by
// insecurecleartextkeyset.Write with keyset.NewJSONWriter) and the material is as secret as the data
// it protects. With "encrypted": true they are Tink EncryptedKeyset JSON objects (as written by
// keyset.Handle.WriteWithAssociatedData) under a key-encryption key (KEK), with the associated data
// "aman.seal.keyring/v1 aead" and "aman.seal.keyring/v1 index" respectively so the two cannot be
// swapped.
//
// # Key-encryption keys (KMS seam)
//
// A store that also implements [KEKProvider] supplies a tink.AEAD (typically backed by a cloud KMS or
// an HSM) that encrypts the keysets inside the material. [KEKStore] wraps any store with one. When a
// KEK is configured, cleartext material is refused, and vice versa, so a misconfiguration or an
// attacker who replaces the stored material cannot silently downgrade protection. To move an
// existing cleartext keyring under a KEK, load it from the plain store and call [Keyring.Save] with
// the KEKStore.
//
// # Stores
//
//   - [FileStore]: a file written atomically with mode 0600; for development and for the CLI.
//   - [EnvStore]: base64 material in an environment variable; read-only, for servers.
//   - [BytesStore]: material the caller already holds (e.g. read from a mounted secret); read-only.
//   - [MemStore]: in memory, for tests.
//
// Use [EncodeMaterial] / [DecodeMaterial] to move material between a file and an environment variable
// (the encoding is standard base64; whitespace is ignored when decoding).
//
// # Operational notes
//
//   - Rotation ([Keyring.Rotate]) should run in one place (the CLI), after which every server must
//     load the new material ([Keyring.Reload] or restart) before it meets data sealed under the new
//     key. A server that has not reloaded cannot open such data.
//   - Never delete an old sealing key before a re-seal job has moved every row off it
//     ([Keyring.NeedsReseal]); data sealed under a deleted key is lost for good.
//   - Losing the material means losing all sealed data. Back it up as carefully as the database,
//     and separately from it.
//
// # Passwords and tokens
//
// [HashPassword] / [VerifyPassword] use argon2id in PHC string format. [RandomToken] and
// [HashToken] serve session ids and anonymous follow-up receipt codes, which are stored only as
// SHA-256 hashes.
package seal
