package seal

// MACSize is the length in bytes of a [Keyring.MAC] value: the whole HMAC-SHA256 output. Unlike a
// blind index, a MAC protects integrity (the audit chain), where an attacker may try many forgeries
// over the life of the data, so it is not truncated.
const MACSize = 32

// macLabel versions the MAC input encoding. It differs from indexLabel and is length-prefixed at the
// same position, so no MAC input can ever equal a blind-index input: the two uses of the index key
// give unrelated outputs even for the same domain and bytes.
const macLabel = "aman.seal.mac/v1"

// MAC returns the 32-byte HMAC-SHA256 of data under the keyring's index key, separated by domain
// ("audit.entry", "audit.head", ...) so that a MAC computed for one purpose is never valid for
// another.
//
// It uses the index key rather than a third key because that key already has the properties a MAC
// key needs: it is secret, it never rotates silently ([Keyring.Reload] refuses a changed index key),
// and it is kept apart from the sealing keys. Someone who can edit the database but does not hold
// the key material cannot compute a valid MAC. Note that, as with blind indexes, changing the index
// key means recomputing every stored MAC (for the audit chain: re-keying it from the first entry).
//
// The input is the length-prefixed label and domain followed by data. data comes last and unprefixed,
// which is unambiguous because the prefix fixes where it starts; callers that put several fields in
// data must encode them unambiguously themselves.
func (k *Keyring) MAC(domain string, data []byte) []byte {
	in := appendFields(make([]byte, 0, 8+len(macLabel)+len(domain)+len(data)), macLabel, domain)
	in = append(in, data...)
	out, err := k.st.Load().index.ComputePRF(in, MACSize)
	if err != nil {
		// Unreachable: the index key is validated as HMAC-SHA256, which yields 32 bytes for any
		// input. A MAC that silently failed would make the audit chain unverifiable.
		panic("seal: mac: " + err.Error())
	}
	return out
}
