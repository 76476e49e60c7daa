package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"

	"aman.qa/aman/audit"
	"aman.qa/aman/seal"
	"aman.qa/aman/store"
)

// auditCommand checks the audit trail.
func auditCommand(ctx context.Context, env environment, args []string) error {
	if len(args) == 0 {
		return usagef("audit needs a subcommand: verify")
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, env, args[1:])
	}
	return usagef("unknown audit subcommand %q", args[0])
}

// auditVerify walks the whole hash chain. It prints "ok N" and exits 0 when the chain is whole;
// otherwise it returns the *audit.BrokenChain naming the first bad entry, which main prints and turns
// into exit status 1. Operators should keep the printed count outside the database: a later count that
// is smaller is the one tampering the chain itself cannot reveal (a restore of an older copy).
func auditVerify(ctx context.Context, env environment, args []string) error {
	return withDatabase(ctx, env, "audit verify", args, nil, nil, func(s settings, db *store.DB) error {
		return verifyChain(ctx, env, s, db)
	})
}

func verifyChain(ctx context.Context, env environment, s settings, db *store.DB) error {
	keys, haveKeys, err := loadKeysForVerify(ctx, s, env.getenv)
	if err != nil {
		return err
	}
	n, err := audit.New(keys).Verify(ctx, db)
	if err != nil {
		var broken *audit.BrokenChain
		if errors.As(err, &broken) && !haveKeys {
			// Every entry carries a MAC under the key material; without it nothing can be vouched for,
			// and "altered" would blame the log for a missing file.
			return errors.New("the audit log has entries but no key material was found (AMAN_KEYRING or " +
				KeyringFile + " in the data directory); it cannot be verified without the keys that wrote it")
		}
		return err
	}
	fmt.Fprintf(env.stdout, "ok %d\n", n)
	return nil
}

// loadKeysForVerify loads the key material without creating it: a verifier that minted new keys would
// report every entry as altered, and leave behind a keyring that does not match the data. When there is
// none it returns a throwaway keyring, which is enough to confirm that a log with no entries is empty.
func loadKeysForVerify(ctx context.Context, s settings, getenv func(string) string) (*seal.Keyring, bool, error) {
	ks, err := keyStore(s, getenv)
	if err != nil {
		return nil, false, err
	}
	if _, err := ks.Load(ctx); errors.Is(err, fs.ErrNotExist) {
		throwaway, err := seal.LoadOrCreate(ctx, &seal.MemStore{})
		if err != nil {
			return nil, false, fmt.Errorf("load keys: %w", err)
		}
		return throwaway, false, nil
	}
	keys, err := seal.LoadOrCreate(ctx, ks)
	if err != nil {
		return nil, false, fmt.Errorf("load keys: %w", err)
	}
	return keys, true, nil
}
