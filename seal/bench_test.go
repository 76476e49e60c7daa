package seal_test

import (
	"fmt"
	"testing"

	"aman.qa/aman/seal"
)

func BenchmarkSeal(b *testing.B) {
	k, _ := newKeyring(b)
	aad := seal.AAD("persons", "full_name", "0190a8c2-7d4e-7b1a-9f00-000000000001")
	for _, size := range []int{32, 1024, 64 * 1024} {
		pt := make([]byte, size)
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := k.Seal(pt, aad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkOpen(b *testing.B) {
	k, _ := newKeyring(b)
	aad := seal.AAD("persons", "full_name", "0190a8c2-7d4e-7b1a-9f00-000000000001")
	for _, size := range []int{32, 1024, 64 * 1024} {
		ct, err := k.Seal(make([]byte, size), aad)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dB", size), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(size))
			for b.Loop() {
				if _, err := k.Open(ct, aad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAAD(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = seal.AAD("persons", "full_name", "0190a8c2-7d4e-7b1a-9f00-000000000001")
	}
}

func BenchmarkBlindIndex(b *testing.B) {
	k, _ := newKeyring(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = k.BlindIndex("phone", "+97455512345")
	}
}

func BenchmarkHashPassword(b *testing.B) {
	p := cheapParams()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := seal.HashPassword("correct horse battery staple", p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPassword(b *testing.B) {
	p := cheapParams()
	h, err := seal.HashPassword("correct horse battery staple", p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _, err := seal.VerifyPassword(h, "correct horse battery staple", p); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}
