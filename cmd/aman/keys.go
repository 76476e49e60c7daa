package main

import (
	"context"
	"fmt"
	"path/filepath"

	"aman.qa/aman/seal"
)

// KeyringFile is the key material's file inside the data directory, used when AMAN_KEYRING is not set.
const KeyringFile = "keyring.json"

// keyStore says where the key material lives: the AMAN_KEYRING variable (base64, for servers that get
// their secrets from the environment; read-only), or a 0600 file in the data directory, created on
// first start. On PostgreSQL with several nodes, every node must be given the same material.
func keyStore(s settings, getenv func(string) string) (seal.KeyStore, error) {
	if encoded := getenv("AMAN_KEYRING"); encoded != "" {
		material, err := seal.DecodeMaterial(encoded)
		if err != nil {
			return nil, usagef("invalid value for AMAN_KEYRING: %v", err)
		}
		return seal.BytesStore{Material: material}, nil
	}
	return &seal.FileStore{Path: filepath.Join(s.DataDir, KeyringFile)}, nil
}

// openKeyring loads the key material, creating it on first start when it lives in a file.
func openKeyring(ctx context.Context, s settings, getenv func(string) string) (*seal.Keyring, error) {
	ks, err := keyStore(s, getenv)
	if err != nil {
		return nil, err
	}
	keys, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		return nil, fmt.Errorf("load keys: %w", err)
	}
	return keys, nil
}
