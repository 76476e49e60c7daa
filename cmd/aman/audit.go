package main

import (
	"context"
	"errors"
)

// auditCommand checks the audit trail. The hash chain arrives with the confidentiality core.
func auditCommand(ctx context.Context, env environment, args []string) error {
	if len(args) == 0 {
		return usagef("audit needs a subcommand: verify")
	}
	switch args[0] {
	case "verify":
		return errors.New("audit verify is not available in this build yet")
	}
	return usagef("unknown audit subcommand %q", args[0])
}
