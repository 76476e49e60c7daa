package main

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// command is one subcommand. Its run receives the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env environment, args []string) error
}

// environment is what a command may touch of the outside world; nothing reaches for globals.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{
		{"serve", "run the server", serveCommand},
		{"migrate", "apply database migrations and exit", migrateCommand},
		{"user", "manage staff accounts (user create)", userCommand},
		{"audit", "check the audit trail (audit verify)", auditCommand},
		{"keys", "manage the key material (keys rotate)", keysCommand},
		{"bench", "measure a running server: intake throughput and page latency", benchCommand},
		{"demo", "fill an empty database with a synthetic centre (demo --beneficiaries 200)", demoCommand},
		{"version", "print the version", versionCommand},
	}
}

// run is the whole program; main only supplies the outside world and turns the error into an exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	env := environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return usagef("no command given")
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	return usagef("unknown command %q; run 'aman help' for the list", args[0])
}

func printUsage(w io.Writer) {
	var b strings.Builder
	b.WriteString("Usage: aman <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-9s %s\n", c.name, c.summary)
	}
	b.WriteString("\nEvery flag can also be set with an AMAN_ environment variable (--database-url is AMAN_DATABASE_URL); the flag wins.\n")
	fmt.Fprint(w, b.String())
}
