package main

import (
	"context"
	"fmt"

	"aman.qa/aman/store"
)

func migrateCommand(ctx context.Context, env environment, args []string) error {
	return withDatabase(ctx, env, "migrate", args, nil, nil, func(s settings, db *store.DB) error {
		version, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s schema at version %d\n", db.Engine(), version)
		return nil
	})
}
