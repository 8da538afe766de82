package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/batonrun/baton/internal/server"
)

// envOr returns the environment variable's value, or def.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func newServeCommand() *cobra.Command {
	cfg := server.Config{}
	var verbose bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the AWS APIs (Step Functions) on one port, with durable executions in SQLite",
		Long: `Serve runs Baton's server: the Step Functions API on --addr, so that the AWS CLI
and every SDK work against it with --endpoint-url http://127.0.0.1:4566.
Executions are durable: they are kept in the SQLite database --db and resume
after a restart. SIGINT or SIGTERM stops accepting requests, lets those in
flight finish, and closes the store.

Flags can also be set with BATON_ADDR, BATON_DB, BATON_REGION, BATON_ACCOUNT.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			level := slog.LevelInfo
			if verbose {
				level = slog.LevelDebug
			}
			cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
			srv, err := server.New(cfg)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := srv.Start(ctx); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "baton: serving on %s (database %s)\n", srv.URL(), cfg.DB)
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return srv.Stop(shutdown)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", envOr("BATON_ADDR", "127.0.0.1:4566"), "address to listen on")
	f.StringVar(&cfg.DB, "db", envOr("BATON_DB", ".baton/baton.db"), "SQLite database file (\":memory:\" for none)")
	f.StringVar(&cfg.Region, "region", envOr("BATON_REGION", "us-east-1"), "region in ARNs when a request names none")
	f.StringVar(&cfg.Account, "account", envOr("BATON_ACCOUNT", "000000000000"), "account id in ARNs")
	f.IntVar(&cfg.Limits.MaxPayloadBytes, "max-payload-bytes", 256*1024, "largest state input, output or task result (AWS: 262144)")
	f.IntVar(&cfg.Limits.MaxHistoryEvents, "max-history-events", 25000, "most events an execution's history may hold (AWS: 25000)")
	f.BoolVar(&verbose, "verbose", false, "log every request")
	return cmd
}
