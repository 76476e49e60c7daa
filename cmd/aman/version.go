package main

import (
	"context"
	"fmt"
	"runtime"

	"aman.qa/aman"
)

func versionCommand(ctx context.Context, env environment, args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(env.stdout, "aman %s (%s)\n", aman.Version, runtime.Version())
	return nil
}
