package seal_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"testing"

	"aman.qa/aman/seal"
)

func TestMAC(t *testing.T) {
	k1, ks := newKeyring(t)
	k2, _ := newKeyring(t)

	a := k1.MAC("audit.entry", []byte("entry"))
	if len(a) != seal.MACSize || seal.MACSize != 32 {
		t.Fatalf("MAC length = %d, want 32", len(a))
	}
	if !bytes.Equal(a, k1.MAC("audit.entry", []byte("entry"))) {
		t.Fatal("MAC is not deterministic")
	}

	// Every one of these must differ from a: another key, domain or input, or a shift of bytes
	// between domain and data, or the blind index of the same domain and value.
	plain := sha256.Sum256([]byte("entry"))
	unkeyed := hmac.New(sha256.New, nil)
	unkeyed.Write([]byte("entry"))
	tests := []struct {
		name string
		got  []byte
	}{
		{"other keyring", k2.MAC("audit.entry", []byte("entry"))},
		{"other domain", k1.MAC("audit.head", []byte("entry"))},
		{"other data", k1.MAC("audit.entry", []byte("entrz"))},
		{"bytes moved from domain to data", k1.MAC("audit.entr", []byte("yentry"))},
		{"empty data", k1.MAC("audit.entry", nil)},
		{"blind index of the same text", k1.BlindIndex("audit.entry", "entry")},
		{"unkeyed sha256", plain[:]},
		{"hmac with an empty key", unkeyed.Sum(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if bytes.Equal(tt.got, a) || bytes.HasPrefix(a, tt.got) {
				t.Fatalf("MAC collides with %s", tt.name)
			}
		})
	}

	// The same material gives the same MAC after a reload, and sealing-key rotation leaves MACs
	// alone (they use the index key), so the audit chain survives a rotation.
	reloaded, err := seal.LoadOrCreate(t.Context(), ks)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(reloaded.MAC("audit.entry", []byte("entry")), a) {
		t.Fatal("MAC changed after reloading the same material")
	}
	if _, err := k1.Rotate(t.Context(), ks); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.MAC("audit.entry", []byte("entry")), a) {
		t.Fatal("MAC changed after rotating the sealing key")
	}
}

func BenchmarkMAC(b *testing.B) {
	k, _ := newKeyring(b)
	data := bytes.Repeat([]byte{7}, 300) // about one audit entry
	b.ReportAllocs()
	for b.Loop() {
		_ = k.MAC("audit.entry", data)
	}
}
