package main

import (
	"context"
	"errors"
)

// userCommand manages staff accounts. Its subcommands arrive with the confidentiality core; until then
// it says so rather than pretending.
func userCommand(ctx context.Context, env environment, args []string) error {
	if len(args) == 0 {
		return usagef("user needs a subcommand: create")
	}
	switch args[0] {
	case "create":
		return errors.New("user create is not available in this build yet")
	}
	return usagef("unknown user subcommand %q", args[0])
}
