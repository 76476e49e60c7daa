package main

import (
	"context"
	"fmt"
)

func migrateCommand(ctx context.Context, env environment, args []string) error {
	var s settings
	fs := newFlags("migrate")
	addStorageFlags(fs, &s)
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if err := s.validateStorage(); err != nil {
		return err
	}
	db, err := openMigrated(ctx, s, newLogger(env.stderr, s.LogLevel))
	if err != nil {
		return err
	}
	defer db.Close()
	version, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "%s schema at version %d\n", db.Engine(), version)
	return nil
}
