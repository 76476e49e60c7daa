package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// materialFormat names and versions the keyring material layout (see the package comment).
const materialFormat = "aman.seal.keyring/v1"

// Associated data for keysets encrypted under a KEK. Distinct values stop someone from swapping the
// sealing and index keysets, and bind both to this format version.
const (
	aeadKeysetAD  = materialFormat + " aead"
	indexKeysetAD = materialFormat + " index"
)

type material struct {
	Format    string          `json:"format"`
	Encrypted bool            `json:"encrypted"`
	AEAD      json.RawMessage `json:"aead"`
	Index     json.RawMessage `json:"index"`
}

// encodeMaterial serializes st; with a non-nil kek the keysets are encrypted under it.
func encodeMaterial(st *state, kek tink.AEAD) ([]byte, error) {
	a, err := writeKeyset(st.aeadHandle, kek, aeadKeysetAD)
	if err != nil {
		return nil, fmt.Errorf("seal: write sealing keyset: %w", err)
	}
	i, err := writeKeyset(st.indexHandle, kek, indexKeysetAD)
	if err != nil {
		return nil, fmt.Errorf("seal: write index keyset: %w", err)
	}
	out, err := json.MarshalIndent(material{
		Format:    materialFormat,
		Encrypted: kek != nil,
		AEAD:      a,
		Index:     i,
	}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("seal: encode keyring: %w", err)
	}
	return append(out, '\n'), nil
}

func writeKeyset(h *keyset.Handle, kek tink.AEAD, ad string) ([]byte, error) {
	var buf bytes.Buffer
	w := keyset.NewJSONWriter(&buf)
	var err error
	if kek != nil {
		err = h.WriteWithAssociatedData(w, kek, []byte(ad))
	} else {
		// Cleartext is the documented default until a KMS is wired in; the store's file mode
		// (or the secret manager behind EnvStore) is what protects it.
		err = insecurecleartextkeyset.Write(h, w)
	}
	return buf.Bytes(), err
}

// decodeMaterial parses material. kek must be non-nil exactly when the material is encrypted.
func decodeMaterial(b []byte, kek tink.AEAD) (*state, error) {
	var m material
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("seal: keyring material is not valid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("seal: keyring material has trailing data")
	}
	if m.Format != materialFormat {
		return nil, fmt.Errorf("seal: keyring material format %q, want %q", m.Format, materialFormat)
	}
	switch {
	case m.Encrypted && kek == nil:
		return nil, errors.New("seal: keyring material is encrypted but the store has no key-encryption key")
	case !m.Encrypted && kek != nil:
		// Refuse rather than accept: otherwise whoever can replace the stored material could plant
		// a cleartext keyring of their own and have new data sealed under it.
		return nil, errors.New("seal: keyring material is not encrypted but the store requires a key-encryption key")
	}
	if len(m.AEAD) == 0 || len(m.Index) == 0 {
		return nil, errors.New("seal: keyring material lacks the aead or index keyset")
	}
	ah, err := readKeyset(m.AEAD, kek, aeadKeysetAD)
	if err != nil {
		return nil, fmt.Errorf("seal: read sealing keyset: %w", err)
	}
	ih, err := readKeyset(m.Index, kek, indexKeysetAD)
	if err != nil {
		return nil, fmt.Errorf("seal: read index keyset: %w", err)
	}
	return newState(ah, ih)
}

func readKeyset(b []byte, kek tink.AEAD, ad string) (*keyset.Handle, error) {
	r := keyset.NewJSONReader(bytes.NewReader(b))
	if kek != nil {
		return keyset.ReadWithAssociatedData(r, kek, []byte(ad))
	}
	return insecurecleartextkeyset.Read(r)
}

// EncodeMaterial returns material as standard base64, the form EnvStore expects, e.g. to provision
// a server secret from a FileStore: AMAN_KEYRING=$(base64 -w0 keyring.json) is equivalent.
func EncodeMaterial(material []byte) string {
	return base64.StdEncoding.EncodeToString(material)
}

// DecodeMaterial decodes base64 material. Whitespace and line breaks are ignored (base64 tools wrap
// lines, secret files end with a newline) and padding is optional.
func DecodeMaterial(s string) ([]byte, error) {
	s = strings.Join(strings.Fields(s), "")
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("seal: keyring material is not valid base64: %w", err)
	}
	return b, nil
}
