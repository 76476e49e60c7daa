package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"aman.qa/aman"
)

// Migrations are forward-only, one numbered file per change and per dialect. The two directories must
// hold the same versions; a test checks it.
//
//go:embed migrations
var migrationFiles embed.FS

func (db *DB) migrationFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations/"+string(db.engine))
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

func (db *DB) provider(logger *slog.Logger) (*goose.Provider, error) {
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if logger != nil {
		opts = append(opts, goose.WithSlog(logger))
	}
	if db.engine == Postgres {
		dialect = goose.DialectPostgres
		// Several nodes may start at once; an advisory lock lets one of them migrate.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(dialect, db.write, db.migrationFS(), opts...)
}

// KnownSchemaVersion is the newest schema this binary knows.
func (db *DB) KnownSchemaVersion() (int64, error) {
	p, err := db.provider(nil)
	if err != nil {
		return 0, err
	}
	sources := p.ListSources()
	if len(sources) == 0 {
		return 0, nil
	}
	return sources[len(sources)-1].Version, nil
}

// SchemaVersion is the version the database is at. It reads goose's table directly rather than through
// a provider, which on PostgreSQL would first wait for the migration lock: a health check must answer at
// once even while another node migrates. Migrations are forward-only, so the highest applied version is
// the version.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return v.Int64, nil
}

// Migrate applies pending migrations and returns the resulting version. It refuses to touch a database
// whose schema is newer than this binary knows: an older binary would misread it.
func (db *DB) Migrate(ctx context.Context, logger *slog.Logger) (int64, error) {
	p, err := db.provider(logger)
	if err != nil {
		return 0, err
	}
	known, err := db.KnownSchemaVersion()
	if err != nil {
		return 0, err
	}
	// Nothing to apply is the common case (every start of every node, every command): answer it
	// without goose's lock, which is one per database and retried every few seconds, so that a node
	// starting while another migrates, or a command run beside a starting node, does not wait.
	if pending, err := p.HasPending(ctx); err == nil && !pending {
		current, err := db.SchemaVersion(ctx)
		if err != nil {
			return 0, err
		}
		if current > known {
			return current, aman.Errorf(aman.ESchemaTooNew,
				"the database schema is at version %d but this binary knows only up to %d; run a newer aman", current, known)
		}
		return current, nil
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if current > known {
		return current, aman.Errorf(aman.ESchemaTooNew,
			"the database schema is at version %d but this binary knows only up to %d; run a newer aman", current, known)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return p.GetDBVersion(ctx)
}
