package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"aman.qa/aman"
	"aman.qa/aman/app"
	"aman.qa/aman/store"
)

// operator is the actor of the command line: whoever can run it on the server holds the database and
// the keys, so it acts with the administrator's role, and the audit names it as the command line.
func operator() aman.Actor {
	a := aman.System("cli")
	a.Role = aman.RoleAdmin
	return a
}

// userCommand manages staff accounts: create, disable, enable, reset-2fa.
func userCommand(ctx context.Context, env environment, args []string) error {
	if len(args) == 0 {
		return usagef("user needs a subcommand: create, disable, enable or reset-2fa")
	}
	switch args[0] {
	case "create":
		return userCreate(ctx, env, args[1:])
	case "disable", "enable", "reset-2fa":
		return userChange(ctx, env, args[0], args[1:])
	}
	return usagef("unknown user subcommand %q; use create, disable, enable or reset-2fa", args[0])
}

// withServices opens the database and builds the use cases for one command.
func withServices(ctx context.Context, env environment, s settings, fn func(db *store.DB, svc *services) error) error {
	if err := s.validateStorage(); err != nil {
		return err
	}
	db, err := openMigrated(ctx, s, newLogger(env.stderr, s.LogLevel))
	if err != nil {
		return err
	}
	defer db.Close()
	svc, err := newServices(ctx, s, env.getenv, db)
	if err != nil {
		return err
	}
	return fn(db, svc)
}

// withAccounts opens the database and the accounts service for one command.
func withAccounts(ctx context.Context, env environment, s settings, fn func(accounts *app.Accounts) error) error {
	return withServices(ctx, env, s, func(_ *store.DB, svc *services) error { return fn(svc.Accounts) })
}

func userCreate(ctx context.Context, env environment, args []string) error {
	var s settings
	var in app.NewUser
	var role string
	var passwordStdin bool
	fs := newFlags("user create")
	addStorageFlags(fs, &s)
	fs.StringVar(&in.Username, "username", "", "the sign-in name")
	fs.StringVar(&role, "role", "", "one of: "+rolesList())
	fs.StringVar(&in.DisplayName, "display-name", "", "the name shown on screens")
	fs.StringVar(&in.UnitID, "unit", "", "the unit id, for supervisors and case staff")
	fs.StringVar(&in.OrgID, "org", "", "the partner organisation id, for partner users")
	fs.StringVar(&in.Email, "email", "", "the work address for alert emails (critical intakes reach supervisors on duty there); optional")
	fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (required)")
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if in.Username == "" {
		return usagef("--username is required")
	}
	in.Role = aman.Role(role)
	if !in.Role.Valid() {
		return usagef("invalid value for --role: %q is not one of %s", role, rolesList())
	}
	if _, err := app.NormalizeEmail(in.Email); err != nil {
		return usagef("invalid value for --email: it must be one plain address, such as name@example.org")
	}
	if !passwordStdin {
		return usagef("--password-stdin is required: passwords are never taken from the command line, where other users can see them")
	}
	password, err := readPassword(env.stdin)
	if err != nil {
		return err
	}
	in.Password, in.EnrolTOTP = password, true
	return withAccounts(ctx, env, s, func(accounts *app.Accounts) error {
		_, uri, err := accounts.CreateUser(ctx, operator(), in)
		if err != nil {
			return accountError(err)
		}
		fmt.Fprintln(env.stdout, uri)
		return nil
	})
}

func userChange(ctx context.Context, env environment, verb string, args []string) error {
	var s settings
	var username string
	fs := newFlags("user " + verb)
	addStorageFlags(fs, &s)
	fs.StringVar(&username, "username", "", "the account to change")
	if err := parseFlags(fs, args, env.getenv, env.stdout); err != nil {
		return helpIsSuccess(err)
	}
	if username == "" {
		return usagef("--username is required")
	}
	return withAccounts(ctx, env, s, func(accounts *app.Accounts) error {
		id, err := accounts.UserIDByUsername(ctx, operator(), username)
		if err != nil {
			return accountError(err)
		}
		switch verb {
		case "disable":
			err = accounts.SetDisabled(ctx, operator(), id, true)
		case "enable":
			err = accounts.SetDisabled(ctx, operator(), id, false)
		case "reset-2fa":
			err = accounts.ResetTOTP(ctx, operator(), id)
		}
		if err != nil {
			return accountError(err)
		}
		fmt.Fprintf(env.stdout, "%s: done\n", verb)
		return nil
	})
}

// readPassword takes the first line of stdin, without its line ending.
func readPassword(stdin io.Reader) (string, error) {
	if stdin == nil {
		return "", usagef("no password on standard input")
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", usagef("no password on standard input")
	}
	return line, nil
}

// accountError turns a coded error into a clear message for the operator.
func accountError(err error) error {
	messages := map[string]string{
		app.EUsernameTaken:    "the username is already taken",
		app.EInvalidUsername:  "the username must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'",
		app.EPasswordTooShort: fmt.Sprintf("the password is too weak: it must be at least %d characters", app.MinPasswordLength),
		app.EPasswordCommon:   "the password is too weak: it is common or easy to guess",
		app.EInvalidRole:      "the role is not one of " + rolesList(),
		app.EUnknownUnit:      "the unit does not exist",
		app.EInvalidEmail:     "the email address must be one plain address, such as name@example.org",
		aman.ENotFound:        "no such account",
		aman.EInternal:        "internal error: " + err.Error(),
	}
	if m, ok := messages[aman.ErrorCode(err)]; ok && m != "" {
		return errors.New(m)
	}
	return err
}

func rolesList() string {
	var names []string
	for _, r := range aman.Roles() {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}
