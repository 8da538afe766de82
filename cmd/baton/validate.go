package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/batonrun/baton/internal/asl"
)

func newValidateCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "validate FILE",
		Short: "Validate a state machine definition; exit 1 when it is invalid",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			diags := asl.Validate(src)
			failed := false
			for _, d := range diags {
				if d.Severity == asl.SeverityError {
					failed = true
				}
			}
			out := cmd.OutOrStdout()
			if asJSON {
				result := "OK"
				if failed {
					result = "FAIL"
				}
				if diags == nil {
					diags = []asl.Diagnostic{}
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				if err := enc.Encode(map[string]any{"result": result, "diagnostics": diags}); err != nil {
					return err
				}
			} else {
				for _, d := range diags {
					fmt.Fprintf(out, "%s: %s %s\n", args[0], d.Severity, d)
				}
				if !failed {
					fmt.Fprintf(out, "%s: OK\n", args[0])
				}
			}
			if failed {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result and diagnostics as JSON, as ValidateStateMachineDefinition returns them")
	return cmd
}
