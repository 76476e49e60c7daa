package main

import (
	"context"
	"fmt"
	"path/filepath"

	"aman.qa/aman/jobs"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
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

// keysCommand manages the key material: `aman keys rotate`.
func keysCommand(ctx context.Context, env environment, args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usagef("keys needs a subcommand: rotate")
	}
	keyringFromEnv := func(settings) error {
		if env.getenv("AMAN_KEYRING") != "" {
			return usagef("the key material comes from AMAN_KEYRING, which this command cannot change: rotate the file it was made from with --data, then give every node the new material")
		}
		return nil
	}
	return withDatabase(ctx, env, "keys rotate", args[1:], nil, keyringFromEnv, func(s settings, db *store.DB) error {
		return rotateKeys(ctx, env, s, db)
	})
}

// rotateKeys adds a primary key and schedules the re-seal, in one audited transaction.
func rotateKeys(ctx context.Context, env environment, s settings, db *store.DB) error {
	svc, err := newServices(ctx, s, env.getenv, db)
	if err != nil {
		return err
	}
	primary, err := svc.keyManager.Rotate(ctx, operator(), func(ctx context.Context, tx *store.Tx) error {
		return jobs.EnqueueReseal(ctx, db, tx)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "new primary key %d; older data is re-sealed in the background by a running server\n", primary)
	return nil
}
