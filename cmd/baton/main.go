// Command baton runs serverless applications — Step Functions state
// machines first — on a laptop or a server, speaking the AWS APIs.
package main

import (
	"errors"
	"fmt"
	"os"
)

// exitError carries a process exit code out of a subcommand.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	err := newRootCommand().Execute()
	var ee *exitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		os.Exit(ee.code)
	default:
		fmt.Fprintln(os.Stderr, "baton:", err)
		os.Exit(1)
	}
}
