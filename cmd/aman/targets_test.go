package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

func TestResponseTargetFlagsMustBePositive(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		flag string
	}{
		{"zero critical", []string{"serve", "--target-critical", "0s"}, nil, "--target-critical"},
		{"negative high", []string{"serve", "--target-high", "-1h"}, nil, "--target-high"},
		{"not a duration", []string{"serve", "--target-high", "soon"}, nil, "target-high"},
		{"zero normal days", []string{"serve", "--target-normal-days", "0"}, nil, "--target-normal-days"},
		{"bad variable", []string{"serve"}, map[string]string{"AMAN_TARGET_NORMAL_DAYS": "one"}, "AMAN_TARGET_NORMAL_DAYS (--target-normal-days)"},
		{"negative variable", []string{"serve"}, map[string]string{"AMAN_TARGET_CRITICAL": "-5m"}, "--target-critical"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, envFrom(tc.env), strings.NewReader(""), &out, &errOut)
			var usage *usageError
			if !errors.As(err, &usage) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			if !strings.Contains(err.Error(), tc.flag) {
				t.Fatalf("err = %q, want it to name %q", err, tc.flag)
			}
		})
	}
}
