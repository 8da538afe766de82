package main

import "github.com/spf13/cobra"

func newRootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "baton",
		Short:         "Run Step Functions state machines and the rest of a serverless application locally",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCommand(), newValidateCommand(), newRunCommand())
	return root
}
